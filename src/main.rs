//! Entry point of the console: install the panic hook, then boot.

#[global_allocator]
static ALLOCATOR: apikeys_console::heap::Counting = apikeys_console::heap::Counting;

fn main() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(apikeys_console::app::boot());
}

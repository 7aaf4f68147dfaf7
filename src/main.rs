//! Entry point of the console: install the panic hook, then boot.

fn main() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(apikeys_console::app::boot());
}

//! Entry point of the console: log panics (index.html shows the panel), then boot.

#[cfg(feature = "bench")]
#[global_allocator]
static ALLOCATOR: apikeys_console::bench::Counting = apikeys_console::bench::Counting;

fn main() {
    apikeys_console::panic::install();
    wasm_bindgen_futures::spawn_local(apikeys_console::app::boot());
}

//! The console's heap: Talc in the browser, the system allocator elsewhere (native tests).
//!
//! Talc replaces Rust's default wasm allocator (dlmalloc) because it is smaller and at least as
//! fast for what the console does: the figures are in docs/performance.md.

/// The allocator type the console (and the benchmark's counting wrapper) allocates through.
#[cfg(target_arch = "wasm32")]
pub type Heap = talc::wasm::WasmDynamicTalc;
/// The allocator type the console (and the benchmark's counting wrapper) allocates through.
#[cfg(not(target_arch = "wasm32"))]
pub type Heap = std::alloc::System;

/// A heap that grows the wasm memory as it needs (single-threaded wasm: the console has no
/// threads).
#[cfg(target_arch = "wasm32")]
pub const fn new() -> Heap {
    talc::wasm::new_wasm_dynamic_allocator()
}
/// The system allocator.
#[cfg(not(target_arch = "wasm32"))]
pub const fn new() -> Heap {
    std::alloc::System
}

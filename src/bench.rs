//! Instruments for `make bench` (and the end-to-end test of the panic panel): built only with
//! the `bench` feature, never in the release bundle.
//!
//! The heap counter: the wasm linear memory only ever grows, so its size says little about
//! leaks; the bytes currently allocated do. The count wraps the system allocator with one
//! addition or subtraction per call.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use wasm_bindgen::prelude::wasm_bindgen;

/// Counts the bytes handed out and not yet returned.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to `System`; only the counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            LIVE.fetch_add(new_size, Ordering::Relaxed);
        }
        p
    }
}

/// Bytes of the Rust heap in use now.
pub fn live_bytes() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// The same figure for the benchmark, read through `window.wasmBindings`.
#[wasm_bindgen(js_name = heapLiveBytes)]
pub fn heap_live_bytes() -> usize {
    live_bytes()
}

/// A performance mark, replaced on each call so a long session's marks do not pile up.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        p.clear_marks_with_mark_name(name);
        let _ = p.mark(name);
    }
}

/// Decodes a `GET /keys` answer as the dashboard does and gives the number of keys (0 when it
/// could not): the benchmark times the list's decoder with it, in the page's own engine.
#[wasm_bindgen(js_name = decodeKeyList)]
pub fn decode_key_list(body: String) -> usize {
    let raw = crate::api::RawResponse {
        status: 200,
        body,
        ..Default::default()
    };
    crate::api::decode::<platform_types::ApiKeys>(&raw).map_or(0, |list| list.api_keys.len())
}

/// Panics inside the app's own task loop, as a bug would: the end-to-end test of the panic
/// panel calls it through `window.wasmBindings`.
#[wasm_bindgen(js_name = panicForTest)]
pub fn panic_for_test() {
    wasm_bindgen_futures::spawn_local(async {
        panic!("panic provoked by the end-to-end test");
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_is_allocated_and_returned() {
        let c = Counting;
        let layout = Layout::from_size_align(4096, 8).unwrap();
        let before = live_bytes();
        // SAFETY: a valid non-zero layout; the pointer is freed with the same layout.
        unsafe {
            let p = c.alloc(layout);
            assert!(!p.is_null());
            assert_eq!(live_bytes() - before, 4096);
            let p = c.realloc(p, layout, 8192);
            assert_eq!(live_bytes() - before, 8192);
            c.dealloc(p, Layout::from_size_align(8192, 8).unwrap());
        }
        assert_eq!(live_bytes(), before);
    }
}

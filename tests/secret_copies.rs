//! Decoding the one-time secrets leaves no copy of them in freed memory, however the answer's
//! JSON spells them: an allocator that looks into every block as it is freed (or moved by a
//! reallocation) counts the blocks that still hold a secret.
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use apikeys_console::api::{decode, RawResponse};
use platform_types::SensitiveData;

/// What every secret below holds, decoded. The JSON spells it with escapes, so the answer's own
/// text never holds it: only a decoded copy can.
const DECODED: &str = "Zq8/K\u{e9}\"w\\3\u{1F510}x";

struct Watching;

thread_local! {
    /// Whether this thread's frees are looked into (each test runs on a thread of its own).
    static ON: Cell<bool> = const { Cell::new(false) };
    /// How many of them held a secret.
    static FREED_WITH_SECRET: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Watching {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ON.with(Cell::get) {
            let block = std::slice::from_raw_parts(ptr, layout.size());
            let needle = DECODED.as_bytes();
            if block.windows(needle.len()).any(|w| w == needle) {
                FREED_WITH_SECRET.with(|n| n.set(n.get() + 1));
            }
        }
        System.dealloc(ptr, layout)
    }
    // `realloc` is the default: a new block, a copy, then `dealloc` of the old one, looked into.
}

#[global_allocator]
static ALLOCATOR: Watching = Watching;

/// The secrets' answer with each secret spelled as `spelling` (JSON text, quotes included).
fn answer(spelling: &str) -> RawResponse {
    RawResponse {
        status: 200,
        body: format!(
            r#"{{"data":{{"id":"apikey--n","access_key":"onq.NEW","status":"active","arx_url":"https:\/\/arx.test","server_signing_key":{s},"server_crypto_access_key":{s},"client_key":{s},"provided_at":"2026-01-02T03:04:05Z"}},"error":{{"code":0,"status":"","message":"","correlation_id":"","details":null}}}}"#,
            s = spelling
        ),
        retry_after: None,
        correlation_id: None,
    }
}

/// Decodes `raw` and drops what it decoded; how many freed blocks held a secret meanwhile.
fn freed_copies(raw: &RawResponse) -> usize {
    FREED_WITH_SECRET.with(|n| n.set(0));
    ON.with(|on| on.set(true));
    let data = decode::<SensitiveData>(raw).expect("the answer decodes");
    let held = data.server_signing_key.expose().contains(DECODED)
        && data.server_crypto_access_key.expose().contains(DECODED)
        && data.client_key.expose().contains(DECODED);
    drop(data);
    ON.with(|on| on.set(false));
    assert!(held, "each secret decodes to what the JSON spells");
    FREED_WITH_SECRET.with(Cell::get)
}

#[test]
fn decoding_escaped_secrets_leaves_no_copy_in_freed_memory() {
    // Every escape JSON has, around the same text: short ones, \u of the BMP, a surrogate pair.
    let spellings = [
        r#""Zq8\/K\u00e9\"w\\3\ud83d\udd10x""#.to_owned(),
        r#""\u005aq8/K\u00E9\"w\\3\uD83D\uDD10x\b\f\n\r\t""#.to_owned(),
        // Long enough that the decoder's buffers grow while it reads (a copy left by a move).
        format!(r#""{}Zq8\/K\u00e9\"w\\3\ud83d\udd10x""#, "a\\/".repeat(300)),
    ];
    for spelling in spellings {
        let raw = answer(&spelling);
        assert_eq!(
            freed_copies(&raw),
            0,
            "freed blocks with a secret, for {spelling}"
        );
    }
}

#[test]
fn the_watch_sees_a_copy_left_behind() {
    // A decoded secret dropped without zeroing, as serde_json's own buffers are.
    FREED_WITH_SECRET.with(|n| n.set(0));
    ON.with(|on| on.set(true));
    let copy: String = serde_json::from_str(r#""Zq8\/K\u00e9\"w\\3\ud83d\udd10x""#).unwrap();
    drop(copy);
    ON.with(|on| on.set(false));
    assert!(FREED_WITH_SECRET.with(Cell::get) >= 1);
}

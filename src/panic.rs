//! A panic ends the app for good: the wasm instance cannot be trusted afterwards. Every panic
//! ends in a wasm trap, and index.html's watcher answers any trap with a panel that says so and
//! offers a reload.
//!
//! This hook only logs the panic's message, which is how a bug gets reported. The release build
//! compiles the standard library with `-Cpanic=immediate-abort` (docs/performance.md): a panic
//! there is the trap alone, with no message to log and no hook to call.

/// Logs a panic's message to the browser console, where the build has one.
pub fn install() {
    #[cfg(not(panic = "immediate-abort"))]
    std::panic::set_hook(Box::new(console_error_panic_hook::hook));
}

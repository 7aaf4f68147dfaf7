//! Holding the page through a sign-out: what shows the one-time secrets stays on screen.

use leptos::prelude::*;

use super::Session;

/// A hold on the page through a sign-out ([`Session::hold`]); released when the last clone goes.
#[derive(Clone)]
pub struct Hold(#[allow(dead_code)] std::sync::Arc<HoldInner>);

struct HoldInner(RwSignal<u32>);

impl Drop for HoldInner {
    fn drop(&mut self) {
        self.0.try_update(|n| *n = n.saturating_sub(1));
    }
}

impl Session {
    /// Whether something holds the page through a sign-out (see [`Session::hold`]), tracked.
    pub fn held(&self) -> bool {
        self.holds.get() > 0
    }

    /// Keeps what is on screen there if the session ends, for as long as the returned value (or
    /// a clone) lives: it shows, or is about to receive, what can never be fetched again (the
    /// one-time secrets), so a sign-out in another tab must not take it away before the person
    /// has stored it.
    pub fn hold(&self) -> Hold {
        self.holds.update(|n| *n += 1);
        Hold(std::sync::Arc::new(HoldInner(self.holds)))
    }
}

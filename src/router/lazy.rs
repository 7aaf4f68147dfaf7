//! Views whose code is fetched on demand (the pages' chunks).

use std::future::Future;

use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;

/// Whether the view that asked for a page's code is still on screen (see [`lazy_view`]).
#[derive(Clone, Copy)]
pub struct Shown(RwSignal<Option<AnyView>, LocalStorage>);

impl Shown {
    /// False once the view has been left (its owner cleaned up).
    pub fn is_shown(&self) -> bool {
        self.0.try_with_untracked(|_| ()).is_some()
    }
}

/// A view whose code is fetched on demand: `waiting`, then what `load` gives. `load` runs with
/// the caller's owner, so the page finds the contexts around it; it must build nothing once
/// [`Shown::is_shown`] is false (the person left while the code was on its way: the contexts may
/// be gone, and what it built would outlive the view).
pub fn lazy_view<L, F, W, V>(load: L, waiting: W) -> impl IntoView
where
    L: FnOnce(Shown) -> F,
    F: Future<Output = Option<AnyView>> + 'static,
    W: Fn() -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let slot = RwSignal::new_local(None::<AnyView>);
    let load = load(Shown(slot));
    leptos::task::spawn_local(ScopedFuture::new_untracked(async move {
        if let Some(view) = load.await {
            slot.try_set(Some(view));
        }
    }));
    move || {
        slot.track();
        match slot.try_update_untracked(Option::take).flatten() {
            Some(view) => view,
            None => waiting().into_any(),
        }
    }
}

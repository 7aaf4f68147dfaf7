//! One way for a page to load its data ([`Loaded`]) and to show it ([`Load`]): a skeleton the
//! first time, the content once the data is there (kept on screen while it loads again), and the
//! error with a retry when it failed.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use leptos::prelude::*;

use super::error_panel::ErrorPanel;
use super::skeleton::PageSkeleton;
use crate::api::ApiError;

/// What a view loads: `None` until the first answer, then the latest answer, which stays while
/// the next one loads.
///
/// `fetch` runs at once, again when a signal it reads before returning its future changes, and
/// on [`Loaded::refetch`]. An answer overtaken by a newer run is dropped, and so is one that
/// arrives after the view has gone. The console's resources need no more than that: Leptos'
/// `LocalResource` also serves `Suspense`, transitions and `.await` on the resource, which the
/// console does not use, and its machinery was 6.9 kB brotli of the first load
/// (docs/performance.md).
pub struct Loaded<T: 'static> {
    value: RwSignal<Option<T>, LocalStorage>,
    again: Trigger,
}

impl<T: 'static> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Loaded<T> {}

impl<T: 'static> Loaded<T> {
    /// Starts loading with `fetch`, under the current owner.
    pub fn new<F>(fetch: impl Fn() -> F + 'static) -> Self
    where
        F: Future<Output = T> + 'static,
    {
        let value = RwSignal::new_local(None);
        let again = Trigger::new();
        // The number of the latest run: only its answer is kept.
        let latest = Rc::new(Cell::new(0u64));
        Effect::new(move |_| {
            again.track();
            let answer = fetch();
            let run = latest.get() + 1;
            latest.set(run);
            let latest = latest.clone();
            leptos::task::spawn_local(async move {
                let answer = answer.await;
                if latest.get() == run {
                    value.try_set(Some(answer));
                }
            });
        });
        Self { value, again }
    }

    /// The latest answer, if any; tracked.
    pub fn get(&self) -> Option<T>
    where
        T: Clone,
    {
        self.value.get()
    }

    /// Loads again; the answer on screen stays until the new one is there.
    pub fn refetch(&self) {
        self.again.notify();
    }
}

/// Shows `children` once `resource` has loaded; they read the data themselves, so a reload that
/// succeeds updates them in place instead of building them again.
///
/// It follows the resource's state itself rather than wrapping it in `Transition` and
/// `ErrorBoundary`: with those (and the key step's `Suspense`), each visit to a page left a few
/// of their DOM markers behind, held from the wasm, after the page had gone (docs/performance.md).
#[component]
pub fn Load<T>(
    /// What the page loads.
    resource: Loaded<Result<T, ApiError>>,
    /// Heading of the error panel, e.g. "The API keys could not be loaded".
    #[prop(into)]
    title: String,
    children: ChildrenFn,
) -> impl IntoView
where
    T: Clone + 'static,
{
    // Whether it loaded, not what: the content reads the data it shows. A reload keeps the last
    // answer until the new one is there, so the content stays while it loads again.
    let outcome = Memo::new(move |_| resource.get().map(|r| r.map(|_| ())));
    let retrying = RwSignal::new(false);
    let retry = Callback::new(move |_| {
        retrying.set(true);
        resource.refetch();
    });
    move || {
        retrying.set(false);
        match outcome.get() {
            None => view! { <PageSkeleton/> }.into_any(),
            Some(Ok(())) => children().into_any(),
            Some(Err(error)) => {
                view! { <ErrorPanel title=title.clone() error on_retry=retry busy=retrying/> }
                    .into_any()
            }
        }
    }
}

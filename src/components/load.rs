//! One way for a page to load its data ([`Loaded`]) and to show it ([`Load`]): a skeleton the
//! first time (unless an answer kept from before is shown meanwhile), the content once the data
//! is there (kept on screen while it loads again), and the error with a retry when it failed.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;

use super::error_panel::ErrorPanel;
use super::skeleton::PageSkeleton;
use crate::api::ApiError;

/// What a view loads: `None` until the first answer (or the answer kept from before it was
/// made with, [`Loaded::after`]), then the latest answer, which stays while the next one loads.
///
/// `fetch` is called in the tick after the loader is made, again when a signal it reads before
/// returning its future changes, and on [`Loaded::refetch`]. Its futures run one at a time, in
/// order, each answer shown as it comes, as Leptos' `LocalResource` runs them: what a future
/// does on its way (the key list writes its rows) cannot be overtaken by an older one, and one
/// request is never sent twice at once (a new key's secrets are handed out once). A call made
/// while one runs waits for it; several such calls make one run, the last one's. A future in
/// flight when the view goes runs to its end, and its answer is dropped. `LocalResource` also
/// serves `Suspense`, transitions and `.await` on the resource, which the console does not
/// use; its machinery was 7.1 kB brotli of the main wasm (docs/performance.md).
pub struct Loaded<T: 'static> {
    value: RwSignal<Option<T>, LocalStorage>,
    again: Trigger,
    loading: RwSignal<bool>,
}

impl<T: 'static> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Loaded<T> {}

type Run<T> = Pin<Box<dyn Future<Output = T>>>;

impl<T: 'static> Loaded<T> {
    /// Starts loading with `fetch`, under the current owner.
    pub fn new<F>(fetch: impl Fn() -> F + 'static) -> Self
    where
        F: Future<Output = T> + 'static,
    {
        Self::after(None, fetch)
    }

    /// As [`Loaded::new`], showing `shown` (an answer kept from before) until the first
    /// answer is there.
    pub fn after<F>(shown: Option<T>, fetch: impl Fn() -> F + 'static) -> Self
    where
        F: Future<Output = T> + 'static,
    {
        let value = RwSignal::new_local(shown);
        let again = Trigger::new();
        let loading = RwSignal::new(true);
        // The run to start next (the latest call's), and whether a task is running them.
        let next: Rc<RefCell<Option<Run<T>>>> = Rc::default();
        let running = Rc::new(Cell::new(false));
        Effect::new(move |_| {
            again.track();
            *next.borrow_mut() = Some(Box::pin(fetch()));
            if running.replace(true) {
                return;
            }
            loading.set(true);
            let (next, running) = (next.clone(), running.clone());
            leptos::task::spawn_local(async move {
                loop {
                    let Some(run) = next.borrow_mut().take() else {
                        break;
                    };
                    let answer = run.await;
                    // Nobody to show it to: the view has gone, and so has any run after this one.
                    if value.try_set(Some(answer)).is_some() {
                        break;
                    }
                }
                running.set(false);
                loading.try_set(false);
            });
        });
        Self {
            value,
            again,
            loading,
        }
    }

    /// The latest answer, if any; tracked.
    pub fn get(&self) -> Option<T>
    where
        T: Clone,
    {
        self.value.get()
    }

    /// Whether a run is out or asked for; tracked. A retry offered beside an answer is busy
    /// while this holds, so a second click cannot send the request again.
    pub fn loading(&self) -> Signal<bool> {
        self.loading.into()
    }

    /// Loads again; the answer on screen stays until the new one is there.
    pub fn refetch(&self) {
        // At once, not when the run starts a tick later: a retry is busy from its click.
        self.loading.try_set(true);
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
    // answer until the new one is there, so the content stays while it loads again; a failure
    // after a failure keeps the error panel, which shows the latest.
    let failed = Memo::new(move |_| resource.get().map(|r| r.is_err()));
    let retry = Callback::new(move |_| resource.refetch());
    move || match failed.get() {
        None => view! { <PageSkeleton/> }.into_any(),
        Some(false) => children().into_any(),
        Some(true) => {
            let error = Memo::new(move |before: Option<&ApiError>| {
                match (resource.get(), before) {
                    (Some(Err(e)), _) => e,
                    // Loaded meanwhile: this panel is on its way out.
                    (_, Some(e)) => e.clone(),
                    (_, None) => ApiError::Cancelled,
                }
            });
            view! {
                <ErrorPanel title=title.clone() error on_retry=retry busy=resource.loading()/>
            }
            .into_any()
        }
    }
}

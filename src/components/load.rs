//! One way for a page to show what it loads: a skeleton the first time, the content once the
//! data is there (kept on screen while it loads again), and the error with a retry when it failed.

use leptos::prelude::*;

use super::error_panel::ErrorPanel;
use super::skeleton::PageSkeleton;
use crate::api::ApiError;

/// Shows `children` once `resource` has loaded; they read the data themselves, so a reload that
/// succeeds updates them in place instead of building them again.
///
/// It follows the resource's own state rather than wrapping it in `Transition` and
/// `ErrorBoundary`: with those (and the key step's `Suspense`), each visit to a page left a few
/// of their DOM markers behind, held from the wasm, after the page had gone (docs/performance.md).
#[component]
pub fn Load<T>(
    /// What the page loads.
    resource: LocalResource<Result<T, ApiError>>,
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

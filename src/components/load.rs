//! One way for a page to show what it loads: a skeleton the first time, the content once the
//! data is there (kept on screen while it loads again), and the error with a retry when it failed.

use leptos::prelude::*;

use super::error_panel::{caught_api_error, ErrorPanel};
use super::skeleton::PageSkeleton;
use crate::api::ApiError;

/// Shows `children` once `resource` has loaded; they read the data themselves, so a reload that
/// succeeds updates them in place instead of building them again.
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
    let retrying = RwSignal::new(false);
    let retry = Callback::new(move |_| resource.refetch());
    let fallback = move |errors: ArcRwSignal<leptos::error::Errors>| {
        let error = caught_api_error(&errors);
        view! { <ErrorPanel title=title.clone() error on_retry=retry busy=retrying/> }
    };
    view! {
        <Transition fallback=|| view! { <PageSkeleton/> } set_pending=retrying>
            <ErrorBoundary fallback>
                {
                    // Whether it loaded, not what: the content reads the data it shows.
                    let outcome = Memo::new(move |_| resource.get().map(|r| r.map(|_| ())));
                    let children = children.clone();
                    move || outcome.get().map(|r| r.map(|()| children()))
                }
            </ErrorBoundary>
        </Transition>
    }
}

//! The page for a route that does not exist.

use leptos::prelude::*;

/// Shown for any path the route table does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="panel empty-state" aria-labelledby="not-found-title">
            <h1 id="not-found-title">"Page not found"</h1>
            <p>"There is nothing at this address. It may have moved, or the link may be mistyped."</p>
            <a href="/" class="button">"Go to API keys"</a>
        </section>
    }
}

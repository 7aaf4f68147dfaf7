//! The dashboard of the tenant's API keys.

use leptos::prelude::*;

/// The home route, `/`.
#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <section aria-labelledby="dashboard-title">
            <h1 id="dashboard-title">"API keys"</h1>
        </section>
    }
}

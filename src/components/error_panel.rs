//! An error with what happened, the reference to quote to support, and a way to retry.

use leptos::prelude::*;

use super::retry_button::RetryButton;
use crate::api::ApiError;

/// Shows `error` as a message for people; never as HTML.
#[component]
pub fn ErrorPanel(
    /// Heading of the panel.
    #[prop(into)]
    title: String,
    /// What went wrong.
    error: ApiError,
    /// Called by the "Try again" button; without it there is no button.
    #[prop(optional, into)]
    on_retry: Option<Callback<()>>,
    /// While true, the retry is under way: the button says so and waits.
    #[prop(optional, into)]
    busy: Signal<bool>,
    /// A sentence after the message, e.g. what trying again does.
    #[prop(optional, into)]
    hint: Option<String>,
) -> impl IntoView {
    let correlation = error.correlation_id().map(str::to_owned);
    view! {
        <section class="panel error-panel" role="alert">
            <h2>{title}</h2>
            <p>{error.user_message()}</p>
            {correlation.map(|id| view! {
                <p class="muted">"Reference for support: " <code class="mono">{id}</code></p>
            })}
            {hint.map(|h| view! { <p>{h}</p> })}
            {on_retry.map(|on_retry| view! { <RetryButton busy on_retry/> })}
        </section>
    }
}

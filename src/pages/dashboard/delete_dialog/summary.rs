//! What the dialog says of the key it would delete.

use leptos::prelude::*;
use platform_types::ApiKey;

use crate::components::status_badge::StatusBadge;
use crate::components::time_text::TimeText;
use crate::shown;
use crate::time;

/// What will be deleted.
#[component]
pub(super) fn KeySummary(key: ApiKey) -> impl IntoView {
    let now = time::now_ms();
    let app = shown::name(key.application_name()).into_owned();
    let arx = shown::name(key.arx_name()).into_owned();
    view! {
        <dl class="detail-grid">
            <dt>"API key"</dt><dd>{if key.access_key.is_empty() {
                view! { <span class="muted">"None"</span> }.into_any()
            } else {
                view! { <code class="mono">{key.access_key.clone()}</code> }.into_any()
            }}</dd>
            <dt>"Application"</dt><dd class="name">{app}</dd>
            <dt>"Arx"</dt><dd class="name">{arx}</dd>
            <dt>"Status"</dt><dd><StatusBadge status=key.status.clone()/></dd>
            <dt>"Created"</dt><dd><TimeText shown=time::show(&key.created_at, now) exact=true/></dd>
            <dt>"Last used"</dt><dd>{match &key.last_used_at {
                Some(t) => view! { <TimeText shown=time::show(t, now) exact=true/> }.into_any(),
                None => view! { <span class="muted">{shown::NOT_REPORTED}</span> }.into_any(),
            }}</dd>
        </dl>
    }
}

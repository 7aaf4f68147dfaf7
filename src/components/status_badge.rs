//! The status of a key as a badge; pending shows a spinner.

use leptos::prelude::*;
use platform_types::KeyStatus;

/// Badge text for a status.
pub fn status_label(status: &KeyStatus) -> String {
    match status {
        KeyStatus::Pending => "Pending".into(),
        KeyStatus::Active => "Active".into(),
        KeyStatus::Disabled => "Disabled".into(),
        KeyStatus::Deleted => "Deleted".into(),
        KeyStatus::Failed => "Failed".into(),
        KeyStatus::Other(s) if s.is_empty() => "Unknown".into(),
        KeyStatus::Other(s) => s.clone(),
    }
}

/// A coloured badge for `status`.
#[component]
pub fn StatusBadge(
    /// The status to show.
    status: KeyStatus,
    /// Pending because this tab deleted the key: said so, not "Pending" as a key being set up.
    #[prop(optional)]
    deleting: bool,
) -> impl IntoView {
    let class = match &status {
        KeyStatus::Other(_) => "badge badge-other".to_owned(),
        s => format!("badge badge-{}", s.as_str()),
    };
    let pending = status == KeyStatus::Pending;
    view! {
        <span class=class data-status=status.as_str().to_owned()>
            {pending.then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
            {if deleting && pending { "Deleting…".to_owned() } else { status_label(&status) }}
        </span>
    }
}

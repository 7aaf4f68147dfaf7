//! The counts above the table, counted from the rows so live updates keep them right.

use leptos::prelude::*;
use platform_types::KeyStatus;

use super::rows::Rows;

/// Total, active and deleted keys.
#[component]
pub fn Insights(rows: RwSignal<Rows>) -> impl IntoView {
    let counts = Memo::new(move |_| {
        rows.with(|rows| {
            let count = |s: KeyStatus| rows.iter().filter(|r| r.key.status == s).count();
            (
                rows.len(),
                count(KeyStatus::Active),
                count(KeyStatus::Deleted),
            )
        })
    });
    view! {
        <dl class="insights" aria-label="Key counts">
            <div class="insight"><dt>"Total"</dt><dd data-testid="count-total">{move || counts.get().0}</dd></div>
            <div class="insight"><dt>"Active"</dt><dd data-testid="count-active">{move || counts.get().1}</dd></div>
            <div class="insight"><dt>"Deleted"</dt><dd data-testid="count-deleted">{move || counts.get().2}</dd></div>
        </dl>
    }
}

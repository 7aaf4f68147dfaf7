//! Placeholders shown while data loads, shaped like what will come.

use leptos::prelude::*;

/// A page-sized skeleton: a title and a few rows.
#[component]
pub fn PageSkeleton() -> impl IntoView {
    view! {
        <div class="page-skeleton" aria-busy="true">
            <span class="visually-hidden">"Loading…"</span>
            <div class="skeleton skeleton-title"></div>
            <div class="skeleton skeleton-row"></div>
            <div class="skeleton skeleton-row"></div>
            <div class="skeleton skeleton-row"></div>
        </div>
    }
}

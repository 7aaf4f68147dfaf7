//! What an Arx is: its properties, labelled, in the order people compare them.

use leptos::prelude::*;
use platform_types::Arx;

/// The properties of an Arx, labelled.
pub fn arx_facts(arx: &Arx) -> Vec<(&'static str, String)> {
    let regions: Vec<&str> = arx.regions.iter().map(|r| r.display_name()).collect();
    [
        ("Purpose", arx.purpose.display_name().to_owned()),
        ("Plan", arx.plan.display_name().to_owned()),
        ("Provider", arx.provider.display_name().to_owned()),
        ("Regions", regions.join(", ")),
        ("Encryption", arx.encryption.display_name().to_owned()),
        (
            "Rotation cycle",
            arx.rotation_cycle.display_name().to_owned(),
        ),
    ]
    .into_iter()
    .map(|(label, value)| (label, crate::shown::owned(value)))
    .collect()
}

/// The purpose as a coloured badge (production stands out from development at a glance), the
/// rest in a compact list: for choosing between Arx.
#[component]
pub fn ArxFacts(arx: Arx) -> impl IntoView {
    let purpose_class = format!("badge purpose-{}", arx.purpose.id);
    let rest = arx_facts(&arx)
        .into_iter()
        .skip(1)
        .map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> })
        .collect_view();
    view! {
        <span class=purpose_class>{crate::shown::name(arx.purpose.display_name()).into_owned()}</span>
        <dl class="facts">{rest}</dl>
    }
}

/// Everything known about an Arx, as a panel of its own.
#[component]
pub fn ArxDetails(arx: Arx) -> impl IntoView {
    let facts = arx_facts(&arx)
        .into_iter()
        .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
        .collect_view();
    view! {
        <div class="panel arx-details">
            <h2>"Arx: " <span class="name">{crate::shown::name(arx.display_name()).into_owned()}</span></h2>
            <dl class="detail-grid">{facts}</dl>
        </div>
    }
}

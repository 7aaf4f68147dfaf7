//! What an Arx is: its properties, labelled, in the order people compare them.

use leptos::prelude::*;
use platform_types::Arx;

/// The properties of an Arx the platform gave, labelled (every one is optional: one it left
/// out is not shown as a label with nothing after it).
pub fn arx_facts(arx: &Arx) -> Vec<(&'static str, String)> {
    let regions: Vec<&str> = arx.regions.iter().map(|r| r.display_name()).collect();
    [
        (PURPOSE, arx.purpose.display_name().to_owned()),
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
    .filter(|(_, value)| !value.trim().is_empty())
    .map(|(label, value)| (label, crate::shown::owned(value)))
    .collect()
}

/// The label of the purpose among [`arx_facts`].
const PURPOSE: &str = "Purpose";

/// The badge's classes for a purpose id: the platform's text picks a known colour or none, and
/// never adds classes of the page's own (an id `"x dialog-backdrop"` would lay the dialog's
/// backdrop over the page).
fn purpose_badge_class(id: &str) -> &'static str {
    match id {
        "production" => "badge purpose-production",
        "staging" => "badge purpose-staging",
        "development" => "badge purpose-development",
        "testing" => "badge purpose-testing",
        _ => "badge",
    }
}

/// The purpose as a coloured badge (production stands out from development at a glance), the
/// rest in a compact list: for choosing between Arx.
#[component]
pub fn ArxFacts(arx: Arx) -> impl IntoView {
    let mut facts = arx_facts(&arx);
    let purpose = facts
        .iter()
        .position(|(label, _)| *label == PURPOSE)
        .map(|at| facts.remove(at).1);
    let purpose = purpose.map(|name| {
        view! { <span class=purpose_badge_class(&arx.purpose.id)>{name}</span> }
    });
    let rest = facts
        .into_iter()
        .map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> })
        .collect_view();
    view! {
        {purpose}
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

#[cfg(test)]
mod tests {
    use super::*;
    use platform_types::Named;

    #[test]
    fn only_the_facts_the_platform_gave_are_listed() {
        let bare = Arx {
            id: "arx--1".into(),
            ..Default::default()
        };
        assert_eq!(arx_facts(&bare), vec![]);
        let some = Arx {
            plan: Named {
                id: "basic".into(),
                name: "Basic".into(),
            },
            ..bare
        };
        assert_eq!(arx_facts(&some), vec![("Plan", "Basic".to_owned())]);
    }
}

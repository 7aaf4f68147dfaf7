//! Steps 1 and 2: choose the application, choose the Arx (step 3 is `summary.rs`).

use leptos::prelude::*;

use super::draft::{Draft, Step};
use super::{replace_entry, step_href, use_wizard};
use crate::components::arx_facts::ArxFacts;
use crate::router::{use_navigate, use_router};
use crate::routes::{current_route, Route};
use crate::shown;

/// The class of an application's technology badge. The platform's id picks one of the names
/// the console knows and never becomes one itself: an answer's text is shown, not made markup
/// (an id of `"x dialog-backdrop"` would lay the dialog's backdrop over the page).
pub(super) fn tech_badge_class(id: &str) -> &'static str {
    match id {
        "server" => "badge tech-server",
        "client" => "badge tech-client",
        _ => "badge",
    }
}

/// Sends a person who skipped ahead (or whose link is stale) to the first open step.
pub(super) fn guard(step: Step) {
    let wizard = use_wizard();
    let navigate = use_navigate();
    let route = current_route();
    Effect::new(move |_| {
        // Only while this step is the route: leaving it (to step 4) also empties the draft.
        let here = route.with(|r| *r == Route::Wizard(Some(step)));
        if !here {
            return;
        }
        if let Some(c) = wizard.checked() {
            if !c.may_enter(step) {
                navigate(
                    &step_href(c.first_open_step(), &wizard.draft.get_untracked()),
                    replace_entry(true),
                );
            }
        }
    });
}

/// One option of a step: a radio card, named by its title alone and described by the rest (an
/// Arx's facts would make a name of a paragraph).
#[component]
fn Choice(
    /// Radio group name.
    group: &'static str,
    /// Prefix of the input's id.
    prefix: &'static str,
    /// The id chosen by this option.
    id: String,
    /// Whether it is the current choice.
    checked: Signal<bool>,
    /// Called with `id` when chosen.
    on_choose: Callback<String>,
    /// The option's name.
    title: String,
    /// What the card shows below its name.
    children: Children,
) -> impl IntoView {
    let input_id = format!("{prefix}-{id}");
    let label_for = input_id.clone();
    let (name_id, about_id) = (format!("{input_id}-name"), format!("{input_id}-about"));
    let value = id.clone();
    view! {
        <label class="choice" for=label_for>
            <input type="radio" name=group id=input_id value=value
                aria-labelledby=name_id.clone() aria-describedby=about_id.clone()
                prop:checked=move || checked.get()
                on:change=move |_| on_choose.run(id.clone())/>
            <span class="choice-title name" id=name_id>{title}</span>
            <span class="choice-about" id=about_id>{children()}</span>
        </label>
    }
}

/// Enter on a step's choices goes on to the next step, as Enter in a form submits it, once
/// something is chosen (the choices are not a form: each choice is kept in the address).
fn enter_goes_on(
    chosen: impl Fn() -> bool + 'static,
    next: impl Fn() + 'static,
) -> impl Fn(leptos::ev::KeyboardEvent) + 'static {
    move |e| {
        // Not a held key's repeats: they would go on past the next step too.
        if e.key() == "Enter" && !e.repeat() && chosen() {
            e.prevent_default();
            next();
        }
    }
}

/// Step 1: the application.
#[component]
pub fn ApplicationStep() -> impl IntoView {
    let wizard = use_wizard();
    let navigate = use_navigate();
    // The newer platform revision has no applications: go straight to the Arx.
    {
        let navigate = navigate.clone();
        Effect::new(move |_| {
            if wizard.checked().is_some_and(|c| c.skip_application) {
                navigate(
                    &step_href(Step::Arx, &wizard.draft.get_untracked()),
                    replace_entry(true),
                );
            }
        });
    }
    let applications = move || {
        wizard
            .base_info()
            .map(|b| b.model.applications.clone())
            .unwrap_or_default()
    };
    let chosen = move || wizard.checked().and_then(|c| c.application).map(|a| a.id);
    let stale = move || wizard.checked().is_some_and(|c| c.stale_application);
    let choose = {
        let navigate = navigate.clone();
        Callback::new(move |id: String| {
            let d = Draft {
                application: Some(id),
                ..wizard.draft.get_untracked()
            };
            navigate(&step_href(Step::Application, &d), replace_entry(true));
        })
    };
    let next = move || {
        let mut draft = wizard.draft.get_untracked();
        if draft.arx.is_none() {
            draft.arx = wizard.last_arx.get_value();
        }
        navigate(&step_href(Step::Arx, &draft), Default::default())
    };
    view! {
        <fieldset class="choices" on:keydown=enter_goes_on(move || chosen().is_some(), next.clone())>
            <legend data-arrive>"Which application will use the key?"</legend>
            {move || stale().then(|| view! {
                <p class="notice" role="alert">"The application in this link is no longer available. Choose one below."</p>
            })}
            <For each=applications key=|a| a.id.clone() let:app>
                {
                    let id = app.id.clone();
                    let tech = app.application_technology.clone();
                    let title = shown::name(app.display_name()).into_owned();
                    let tech_name = shown::name(tech.display_name()).into_owned();
                    let tech_about = shown::owned(tech.description.clone());
                    view! {
                        <Choice group="application" prefix="app" id=app.id.clone()
                            checked=Signal::derive(move || chosen().as_deref() == Some(id.as_str()))
                            on_choose=choose title>
                            <span class=tech_badge_class(&tech.id)>{tech_name}</span>
                            <span class="muted small">{tech_about}</span>
                        </Choice>
                    }
                }
            </For>
        </fieldset>
        <div class="wizard-actions">
            <a href=use_router().dashboard_href() class="button secondary">"Cancel"</a>
            <button type="button" class="button" disabled=move || chosen().is_none() on:click=move |_| next()>"Next: choose the Arx"</button>
        </div>
    }
}

/// Step 2: the Arx.
#[component]
pub fn ArxStep() -> impl IntoView {
    guard(Step::Arx);
    let wizard = use_wizard();
    let navigate = use_navigate();
    let clusters = move || {
        wizard
            .base_info()
            .map(|b| b.model.clusters.clone())
            .unwrap_or_default()
    };
    let chosen = move || wizard.checked().and_then(|c| c.arx).map(|a| a.id);
    let stale = move || wizard.checked().is_some_and(|c| c.stale_arx);
    let none_offered = move || {
        wizard
            .base_info()
            .is_some_and(|b| b.model.clusters.is_empty())
    };
    let skip = move || wizard.checked().is_some_and(|c| c.skip_application);
    // The application this Arx is for, as the address says: Forward can bring back an entry
    // whose application the person has since changed on step 1.
    let for_application = move || {
        wizard
            .checked()
            .and_then(|c| c.application)
            .map(|a| shown::name(a.display_name()).into_owned())
    };
    let choose = {
        let navigate = navigate.clone();
        Callback::new(move |id: String| {
            let d = Draft {
                arx: Some(id),
                ..wizard.draft.get_untracked()
            };
            navigate(&step_href(Step::Arx, &d), replace_entry(true));
        })
    };
    let back_href = move || step_href(Step::Application, &wizard.draft.get());
    let next = move || {
        navigate(
            &step_href(Step::Summary, &wizard.draft.get_untracked()),
            Default::default(),
        )
    };
    view! {
        <fieldset class="choices" on:keydown=enter_goes_on(move || chosen().is_some(), next.clone())>
            // Described by what it is for, so that it is heard on arrival (by Forward too).
            <legend data-arrive aria-describedby=move || {
                if none_offered() { Some("no-arx") } else { for_application().map(|_| "for-application") }
            }>"Which Arx will the key use?"</legend>
            {move || for_application().map(|name| view! {
                <p class="muted" id="for-application" data-testid="for-application">"For the application " <span class="name">{name}</span></p>
            })}
            {move || (stale() && !none_offered()).then(|| view! {
                <p class="notice" role="alert">"The Arx in this link is no longer available. Choose one below."</p>
            })}
            // The question's description, so that it is read with the question on arrival.
            {move || none_offered().then(|| view! {
                <p class="notice" id="no-arx" data-testid="no-arx">
                    "There is no Arx to put a key on yet. An Arx, the cluster that encrypts "
                    "your data, is set up on the Onqlave platform; once one is ready it is offered here."
                </p>
            })}
            <For each=clusters key=|a| a.id.clone() let:arx>
                {
                    let id = arx.id.clone();
                    view! {
                        <Choice group="arx" prefix="arx" id=arx.id.clone()
                            checked=Signal::derive(move || chosen().as_deref() == Some(id.as_str()))
                            on_choose=choose title=shown::name(arx.display_name()).into_owned()>
                            <ArxFacts arx=arx.clone()/>
                        </Choice>
                    }
                }
            </For>
        </fieldset>
        <div class="wizard-actions">
            <a href=use_router().dashboard_href() class="button secondary">"Cancel"</a>
            {move || (!skip()).then(|| view! { <a href=back_href class="button secondary">"Back"</a> })}
            <button type="button" class="button" disabled=move || chosen().is_none() on:click=move |_| next()>"Next: review"</button>
        </div>
    }
}

//! `/keys/new/*`: the four-step create wizard. This layout loads `/keys/base`, checks the
//! permission (for steps 1–3: step 4's key is made already), draws the stepper and holds the
//! run (its idempotency key, whether its outcome is open, and the created key).

pub mod credentials;
pub mod draft;
pub mod key_step;
mod leave_guard;
mod secrets;
pub mod steps;
pub mod summary;
mod without_run;

use std::sync::Arc;

use leptos::prelude::*;
use platform_types::{ApiKey, BaseInfo, CreateApiKeyRequest};

use crate::api::{new_idempotency_key, use_api_client, ApiError};
use crate::components::load::{Load, Loaded};
use crate::created_here;
use crate::links;
use crate::permissions::create_permission;
use crate::router::{use_router, NavigateOptions};
use crate::routes::{current_route, wizard_step_view, Route};
use crate::session::{use_session, Phase};
use draft::{Checked, Draft, Step};

/// The wizard's shared state, alive while any step is shown.
#[derive(Clone, Copy)]
pub struct Wizard {
    /// `/keys/base`.
    pub base: Loaded<Result<Arc<BaseInfo>, ApiError>>,
    /// The draft from the URL.
    pub draft: Memo<Draft>,
    checked: Memo<Option<Checked>>,
    intent: StoredValue<Option<(String, CreateApiKeyRequest)>>,
    /// The key this run created (not secret); cleared when step 4 is left.
    pub created: RwSignal<Option<ApiKey>>,
    /// Whether a create is on its way: the wizard's own ways back (the summary's Cancel and
    /// Back, the stepper's links) wait for it, since it cannot be called back.
    pub creating: RwSignal<bool>,
    /// The last Arx chosen in this run. Step 1's address was made before it was chosen: after
    /// the browser's Back from step 2, step 1's Next brings it back rather than losing it.
    pub last_arx: StoredValue<Option<String>>,
    /// Whether a create of this run may have made a key that has not been seen (its answer was
    /// lost, or a failure followed one that was): its intent lives in the page's memory only
    /// (here, and in `created_here` across a sign-in), so leaving the wizard asks first
    /// (`summary::still_open`).
    pub unresolved: StoredValue<bool>,
}

impl Wizard {
    /// The draft checked against the base, once the base is loaded.
    pub fn checked(&self) -> Option<Checked> {
        self.checked.get()
    }

    /// What the platform offers, once loaded; tracked.
    pub fn base_info(&self) -> Option<Arc<BaseInfo>> {
        self.base.get().and_then(Result::ok)
    }

    /// The idempotency key of this create intent: the same while the request is the same (a
    /// retry), a new one when the choices changed or a key was created.
    pub fn intent_key(&self, request: &CreateApiKeyRequest) -> String {
        let existing = self.intent.with_value(|i| {
            i.as_ref()
                .filter(|(_, r)| r == request)
                .map(|(k, _)| k.clone())
        });
        existing.unwrap_or_else(|| {
            let key = new_idempotency_key();
            self.intent.set_value(Some((key.clone(), request.clone())));
            key
        })
    }

    /// Whether the intent held is for `request`: a create of it again is a replay.
    pub fn holds_intent_for(&self, request: &CreateApiKeyRequest) -> bool {
        self.intent
            .with_value(|i| i.as_ref().is_some_and(|(_, r)| r == request))
    }

    /// Takes up an intent kept past an earlier wizard (`created_here`): its create's outcome is
    /// open, and Create of the same choices replays it.
    pub fn take_up(&self, idempotency_key: String, request: CreateApiKeyRequest) {
        self.intent.set_value(Some((idempotency_key, request)));
        self.unresolved.set_value(true);
    }

    /// Forgets the intent once it produced a key: the next run starts afresh.
    pub fn finish_intent(&self) {
        self.intent.set_value(None);
        self.unresolved.set_value(false);
        // The next run ("Create another key") starts afresh.
        self.last_arx.set_value(None);
    }
}

/// Asked before leaving the wizard while a create's outcome is unknown.
const LEAVE_UNRESOLVED: &str = "The platform has not said whether your API key was created. Leave anyway? If it was, it will be in the list of API keys; creating again from the start would make a second key.";

/// The wizard's context.
pub fn use_wizard() -> Wizard {
    expect_context::<Wizard>()
}

/// Navigation that replaces the current history entry: between steps (keeping the scroll, as a
/// choice is made in place) and when leaving step 4 (replacing its guard entry; see
/// `leave_guard`).
pub fn replace_entry(keep_scroll: bool) -> NavigateOptions {
    NavigateOptions {
        replace: true,
        scroll: !keep_scroll,
        ..Default::default()
    }
}

/// The href of `step` carrying `draft` (step 4 carries no choices).
pub fn step_href(step: Step, draft: &Draft) -> String {
    let choices = if step == Step::Key {
        vec![]
    } else {
        draft.to_query()
    };
    links::wizard_step(step.slug(), &choices)
}

/// The wizard layout.
#[component]
pub fn CreateKeyPage() -> impl IntoView {
    let client = use_api_client();
    let session = use_session();
    let router = use_router();
    let draft = Memo::new(move |_| router.with(|a| Draft::from_query(|k| a.query(k))));
    // Read again after a refused create: should that read fail, the offer read before stands
    // (the refusal is on screen; the wizard must not give way to an error).
    let last_base = StoredValue::new(None::<Arc<BaseInfo>>);
    let base = Loaded::new(move || {
        let client = client.clone();
        async move {
            match client.key_base().await {
                Ok(info) => {
                    let info = Arc::new(info);
                    last_base.try_set_value(Some(info.clone()));
                    Ok(info)
                }
                Err(e) => last_base.try_get_value().flatten().ok_or(e),
            }
        }
    });
    // Checked once per change of the draft or the base, however many views ask.
    let checked = Memo::new(move |_| {
        let draft = draft.get();
        base.get()
            .and_then(Result::ok)
            .map(|base| Checked::new(&draft, &base))
    });
    // A create of this person's whose outcome is unknown, from a wizard the session's end took
    // them out of: this one takes it up (its Create of the same choices replays it). Left by
    // the person's own choice (still signed in), the wizard lets it go, as they agreed to.
    let record = created_here::use_created_here();
    let taken_up = record.and_then(|r| session.user_id_untracked().and_then(|u| r.open_for(&u)));
    let wizard = Wizard {
        base,
        draft,
        checked,
        unresolved: StoredValue::new(false),
        intent: StoredValue::new(None),
        created: RwSignal::new(None),
        creating: RwSignal::new(false),
        last_arx: StoredValue::new(None),
    };
    if let Some((key, request)) = taken_up {
        wizard.take_up(key, request);
    }
    on_cleanup(move || {
        if session.phase_untracked() == Phase::SignedIn {
            if let Some(record) = record {
                record.let_go();
            }
        }
    });
    Effect::new(move |_| {
        if let Some(arx) = wizard.draft.with(|d| d.arx.clone()) {
            wizard.last_arx.set_value(Some(arx));
        }
    });
    provide_context(wizard);
    // While a create's outcome is unknown, Create from a new start (after leaving the wizard, a
    // reload, or in a new tab) would make a second key: leaving asks first.
    leave_guard::ask_before_leaving_the_wizard(
        move || {
            wizard.creating.try_get_untracked().unwrap_or(false)
                || wizard.unresolved.try_get_value().unwrap_or(false)
        },
        LEAVE_UNRESOLVED,
    );
    let route = current_route();
    // `None` once the address has left the wizard, which is then on its way out.
    let step = Memo::new(move |_| match route.get() {
        Route::Wizard(step) => Some(step),
        _ => None,
    });
    let roles = Memo::new(move |_| session.roles());
    let refusal = Memo::new(move |before: Option<&Option<String>>| {
        // Signed out (in another tab), the decision stands until the page gives way to the
        // sign-in. Step 4 is not decided here at all (below).
        if session.phase() != Phase::SignedIn {
            if let Some(before) = before {
                return before.clone();
            }
        }
        wizard.base_info().and_then(|b| {
            create_permission(Some(&b.acl), &roles.get())
                .reason()
                .map(str::to_owned)
        })
    });

    // Step 4 needs neither the offer nor the permission to create: its key is made, and its
    // secrets go to whoever the platform hands them to (the creator, asking from the key's
    // page after leaving while it was set up). A failed read of the offer, or a role or plan
    // that no longer allows creating, must not keep them unclaimed.
    // Keyed by the key the address names, so that moving from one key's step 4 to another's
    // (the Back button's menu) draws the other, not the first under the other's address.
    let key_step = Memo::new(move |_| {
        (step.get() == Some(Some(Step::Key))).then(|| router.with(|a| a.query("key")))
    });
    view! {
        <section class="wizard" aria-labelledby="wizard-title">
            <h1 id="wizard-title">"Create an API key"</h1>
            {move || if let Some(key) = key_step.get() {
                // The steps behind it only for a key this app made: step 4 opened from the
                // key's page, or reloaded, had none of them done here.
                let made_here = key.zip(session.user_id_untracked()).is_some_and(|(key, me)| {
                    record.is_some_and(|r| r.made_here(&me, &key))
                });
                view! { {made_here.then(|| view! { <Stepper/> })}{wizard_step_view(Some(Step::Key))}}.into_any()
            } else { view! {
            <Load resource=base title="The wizard could not load its choices">
                {move || match refusal.get() {
                    Some(reason) => view! {
                        <section class="panel empty-state" data-testid="not-permitted">
                            <h2>"You cannot create API keys"</h2>
                            <p>{reason}</p>
                            <a href=links::DASHBOARD class="button">"Back to API keys"</a>
                        </section>
                    }
                    .into_any(),
                    None => view! { <Stepper/>{move || step.get().map(wizard_step_view)} }.into_any(),
                }}
            </Load>
            }.into_any() }}
        </section>
    }
}

/// Where the person is among the four steps; earlier steps are links.
#[component]
fn Stepper() -> impl IntoView {
    let wizard = use_wizard();
    let route = current_route();
    let current = Memo::new(move |_| match route.get() {
        Route::Wizard(Some(step)) => step,
        _ => Step::Application,
    });
    let skip = Memo::new(move |_| wizard.checked().is_some_and(|c| c.skip_application));
    let items = move || {
        let cur = current.get();
        let draft = wizard.draft.get();
        let checked = wizard.checked();
        let pos = |s: Step| Step::ALL.iter().position(|x| *x == s).unwrap_or(0);
        Step::ALL
            .into_iter()
            .filter(|s| !(skip.get() && *s == Step::Application))
            .enumerate()
            .map(|(n, s)| {
                let label = format!("{}. {}", n + 1, s.label());
                let is_current = s == cur;
                let reachable = cur != Step::Key
                    && s != Step::Key
                    && pos(s) < pos(cur)
                    && checked.as_ref().is_some_and(|c| c.may_enter(s));
                let state = if is_current {
                    "current"
                } else if pos(s) < pos(cur) {
                    "done"
                } else {
                    "todo"
                };
                let href = step_href(s, &draft);
                view! {
                    <li class=format!("step step-{state}") aria-current=is_current.then_some("step")>
                        {if reachable {
                            view! {
                                <a href=href aria-disabled=move || wizard.creating.get().to_string()
                                    on:click=move |e| if wizard.creating.get_untracked() { e.prevent_default() }>{label}</a>
                            }
                            .into_any()
                        } else {
                            view! { <span>{label}</span> }.into_any()
                        }}
                    </li>
                }
            })
            .collect_view()
    };
    view! { <ol class="stepper" aria-label="Steps">{items}</ol> }
}

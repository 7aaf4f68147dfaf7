//! Step 3 of the wizard: what was chosen, what happens next, and Create, whose request may
//! outlive the page.

use leptos::prelude::*;

use super::draft::Step;
use super::leave_guard;
use super::steps::{guard, tech_badge_class};
use super::{step_href, use_wizard};
use crate::api::{use_api_client, ApiError};
use crate::components::announcer::use_announcer;
use crate::components::arx_facts::ArxFacts;
use crate::created_here;
use crate::key_events::{broadcast_key_event, broadcast_key_event_here_too};
use crate::links;
use crate::pages::dashboard::kept::use_kept_list;
use crate::router::{use_navigate, use_router, NavigateOptions};
use crate::session::use_session;
use crate::shown;

/// Whether the intent may have made its key after its latest attempt failed with `e`, when
/// `open` says whether it might have before. An answer lost on the way, or a failure after an
/// earlier attempt's answer was lost (the client retried it), leaves that open. A refusal of
/// the choices (422) settles it: the platform looks up the intent first, and a replay of a
/// create already made gets its key before its choices are judged (contract §5.2). A refusal
/// of the role (403) comes before that look-up: it settles nothing an earlier attempt left
/// open, and makes nothing itself.
fn still_open(e: &ApiError, open: bool) -> bool {
    match e {
        ApiError::Validation { .. } => false,
        ApiError::Forbidden(_) => open,
        _ => true,
    }
}

/// What a failed create says. A 409 after the client's retries is the same intent still being
/// handled by the platform, told in the person's terms rather than the lock's.
fn create_failed_message(e: &ApiError) -> String {
    match e {
        ApiError::Conflict(_) => "The platform is still working on this request.".to_owned(),
        e => e.user_message(),
    }
}

/// Step 3: what was chosen, what happens next, and Create.
#[component]
pub fn SummaryStep() -> impl IntoView {
    guard(Step::Summary);
    let wizard = use_wizard();
    let client = use_api_client();
    let navigate = use_navigate();
    let session = use_session();
    let me = move || session.user_id_untracked();
    let record = created_here::use_created_here();
    let kept = use_kept_list();
    let announce = use_announcer();
    let creating = wizard.creating;
    let error = RwSignal::new(None::<ApiError>);
    // Back at the review after a create whose outcome is unknown (by step 2, say): with the
    // same choices, Create replays that intent; with others, it may make a second key.
    let earlier = wizard.unresolved.get_value().then(|| {
        wizard
            .checked
            .get_untracked()
            .and_then(|c| c.request())
            .is_some_and(|r| wizard.holds_intent_for(&r))
    });
    // Whether this intent may have made a key that has not been seen (see `still_open`).
    let open = RwSignal::new(earlier == Some(true));
    // A key made from these very choices a moment ago (Back from step 4 comes here): another
    // Create makes a second key, which may be meant, so it is said rather than prevented.
    // What the create would send, as the record keeps it: a platform without applications
    // names none.
    let made_before = move || {
        let user = me()?;
        let request = wizard.checked()?.request()?;
        let application = request
            .api_key
            .application_id
            .as_deref()
            .unwrap_or_default();
        record?.made_from(&user, application, &request.api_key.cluster_id)
    };
    let create = move || {
        if creating.get_untracked() {
            return;
        }
        let Some(request) = wizard.checked().and_then(|c| c.request()) else {
            return;
        };
        // An intent of this person's for these very choices, kept past an earlier wizard (its
        // answer lost, the session ended, and the answer kept after this wizard was made):
        // Create replays it, as the wizard that takes it up when made does.
        if let (Some(record), Some(user)) = (record, me()) {
            if !wizard.holds_intent_for(&request) {
                if let Some((key, kept)) = record.open_for(&user).filter(|(_, r)| *r == request) {
                    wizard.take_up(key, kept);
                }
            }
        }
        let idempotency_key = wizard.intent_key(&request);
        let sent_at = crate::time::now_ms();
        creating.set(true);
        error.set(None);
        let client = client.clone();
        let navigate = navigate.clone();
        // Whose create it is: its answer may come after they have gone.
        let user = me();
        let person = kept.and_then(|k| k.person());
        let let_go_at_send = record.map(|r| r.let_go_count()).unwrap_or_default();
        // Not cancelled with the view: the create is committed either way, and its answer
        // is what step 4 needs.
        leptos::task::spawn_local(async move {
            match client.create_key(&request, &idempotency_key).await {
                Ok(key) => {
                    open.try_set(false);
                    wizard.finish_intent();
                    if let Some(record) = record {
                        record.close_open(&idempotency_key);
                    }
                    if let (Some(record), Some(user)) = (record, &user) {
                        record.created(user, &key, &request);
                    }
                    // The dashboard they come back to shows it before reading the list again.
                    if let (Some(kept), Some(person)) = (kept, &person) {
                        kept.put(person, key.clone());
                    }
                    let (id, access_key) = (key.id.clone(), key.access_key.clone());
                    // The person left the wizard meanwhile (by the header's links: its own wait):
                    // not pulled back to a step 4, but told that the key was made, and the
                    // dashboard of this tab, which may have read the list before, hears of it.
                    // Told to the person who asked, not to whoever signed in since (the sign-in
                    // page's words are for them).
                    if wizard.created.try_set(Some(key)).is_some() {
                        broadcast_key_event_here_too("created", &id);
                        if me().is_some() && me() == user {
                            announce.say(format!(
                                "API key {access_key} was created. Its secrets can be shown once, from its page."
                            ));
                        }
                        return;
                    }
                    broadcast_key_event("created", &id);
                    navigate(&links::key_step(&id), NavigateOptions::default());
                }
                Err(e) => {
                    // Refused as asked (the choices, or the role, changed on the platform since
                    // the wizard read them): what it offers now is read again, so that a choice
                    // withdrawn is said as such, or the page says this person may not create.
                    // The review's, or once it has gone (left while this was out), the wizard's.
                    let was_open = open
                        .try_get_untracked()
                        .unwrap_or_else(|| wizard.unresolved.try_get_value().unwrap_or(false));
                    let now_open = still_open(&e, was_open);
                    if !now_open {
                        wizard.base.refetch();
                    }
                    open.try_set(now_open);
                    // The wizard's, which outlives this step: leaving it asks while open. And
                    // the app's, which outlives the wizard: a sign-in that brings the person
                    // back to it takes the intent up. Not once the person has let it go (left
                    // the wizard by choice, or signed out) while it was on its way.
                    wizard.unresolved.try_set_value(now_open);
                    if let (Some(record), Some(user)) = (record, &user) {
                        if !now_open {
                            record.close_open(&idempotency_key);
                        } else if record.let_go_count() == let_go_at_send {
                            record.keep_open(user, &idempotency_key, &request, sent_at);
                        }
                    }
                    error.try_set(Some(e));
                }
            }
            creating.try_set(false);
        });
    };
    // The browser's Back or Forward to another step waits for a create on its way, as the
    // page's own links do: its answer would land on a review of other choices. Out of the
    // wizard, the wizard asks.
    use_router().ask_before_leaving(move || {
        let path = window().location().pathname().unwrap_or_default();
        if !creating.try_get_untracked().unwrap_or(false) || !leave_guard::in_wizard(&path) {
            return true;
        }
        announce.say(
            "An API key is being created from this review. It waits for the platform's answer."
                .to_owned(),
        );
        false
    });
    let back_href = move || step_href(Step::Arx, &wizard.draft.get());
    let wait_for_create = move |e: leptos::ev::MouseEvent| {
        if creating.get_untracked() {
            e.prevent_default();
        }
    };
    let summary = move || {
        wizard.checked().map(|c| {
            let app = c.application.map(|a| {
                let tech = &a.application_technology;
                view! {
                    <dt>"Application"</dt>
                    <dd><span class="name">{shown::name(a.display_name()).into_owned()}</span> " "
                        <span class=tech_badge_class(&tech.id)>{shown::name(tech.display_name()).into_owned()}</span></dd>
                }
            });
            let arx = c.arx.map(|a| view! {
                <dt>"Arx"</dt>
                <dd><div class="choice-title name">{shown::name(a.display_name()).into_owned()}</div><ArxFacts arx=a.clone()/></dd>
            });
            view! { <dl class="detail-grid">{app}{arx}</dl> }
        })
    };
    view! {
        <div class="panel">
            <h2 data-arrive>"Review"</h2>
            {summary}
        </div>
        <div class="panel">
            <h2>"What happens next"</h2>
            <ol>
                <li>"The platform provisions the key on the Arx. This usually takes seconds, and can take up to 10 minutes."</li>
                <li>"The key and its secrets are then shown "<strong>"once"</strong>". Copy them, or download the credentials file, before you leave that page; a client key is not in the file, so copy it."</li>
            </ol>
        </div>
        {move || error.get().map(|e| {
            // The platform refused these choices (an Arx withdrawn meanwhile, say): sending them
            // again is no remedy, another Arx may be.
            let refused = matches!(e, ApiError::Validation { .. });
            view! {
                <p class="form-error" role="alert">
                    {create_failed_message(&e)}
                    {e.reference()}
                    {match (open.get(), &e) {
                        (true, ApiError::Forbidden(_)) => Some(" An earlier attempt may have made the key: look for it in the list of API keys."),
                        (true, _) => Some(" Creating again from this page is safe: it will not make a second key."),
                        _ => None,
                    }}
                    {refused.then(|| view! { " " <a href=back_href class="link">"Choose another Arx"</a> })}
                </p>
            }
        })}
        {move || (earlier.is_some() && error.with(Option::is_none) && !creating.get()).then(|| view! {
            <p class="notice" data-testid="earlier-create">
                {if open.get() {
                    "An earlier attempt to create this key got no answer. Creating again from this page is safe: it will not make a second key."
                } else {
                    "An earlier attempt to create a key in this wizard got no answer, and may have made one: look for it in the list of API keys before you create another."
                }}
            </p>
        })}
        {move || made_before().map(|(id, access_key)| view! {
            <p class="notice" data-testid="made-before">
                "You created API key " <code class="mono">{shown::name(&access_key).into_owned()}</code>
                " from these choices. Creating again makes a second key. "
                {links::key(&id).map(|href| view! { <a href=href class="link">"View that key"</a> })}
            </p>
        })}
        <div class="wizard-actions">
            // Not while the create is on its way: it cannot be called back, and its answer is
            // what step 4 needs.
            <a href=use_router().dashboard_href() class="button secondary"
                aria-disabled=move || creating.get().to_string() on:click=wait_for_create>"Cancel"</a>
            <a href=back_href class="button secondary"
                aria-disabled=move || creating.get().to_string() on:click=wait_for_create>"Back"</a>
            <button type="button" class="button" data-testid="create-submit"
                aria-disabled=move || creating.get().to_string()
                aria-busy=move || creating.get().to_string()
                on:click=move |_| create()>
                {move || if creating.get() {
                    "Creating…"
                } else if open.get() && error.with(|e| !matches!(e, Some(ApiError::Forbidden(_)))) {
                    "Try again"
                } else {
                    "Create API key"
                }}
            </button>
        </div>
    }
}

//! Step 4: wait for the new key to be provisioned, then fetch its secrets, once.

use std::sync::Arc;

use leptos::prelude::*;
use platform_types::{ids, ApiKey, KeyStatus, SensitiveData};

use super::leave_guard::{step_off_guard_entry_when_shown_again, use_leave_guard};
use super::secrets::Secrets;
use super::use_wizard;
use super::without_run::CannotShowAgain;
use crate::api::retry::next_poll_delay_ms;
use crate::api::{use_api_client, ApiClient, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::load::Loaded;
use crate::created_here;
use crate::links;
use crate::router::use_router;
use crate::session::{use_session, Hold, Session};
use crate::timer::{sleep_ms, while_hidden};

/// How the wait for the secrets ended.
#[derive(Clone)]
enum Outcome {
    /// The secrets; from then on only this view has them.
    Ready(Arc<SensitiveData>),
    /// Provisioning failed: no secret was issued.
    Failed,
    /// Someone (another tab) already received them.
    AlreadyProvided,
    /// The step was left (the person agreed to) before the secrets were asked for.
    Left,
    /// The platform gives the secrets to the key's creator only, and this is someone else.
    NotYours,
}

/// When the secrets could not be fetched.
const LOST_HINT: &str = "Trying again is safe. If the secrets were handed out but lost on the way, they cannot be shown again: delete the key and create a new one.";

/// Step 4.
#[component]
pub fn KeyStep() -> impl IntoView {
    let wizard = use_wizard();
    let remembered_id = use_router()
        .with_untracked(|a| a.query("key"))
        .filter(|id| ids::is_id(id, ids::API_KEY));
    // A move to another key's step 4 rebuilds this view after the last one has ended the run
    // (its clean-up below), so a run's key is never shown under another key's address.
    let Some(key) = wizard.created.get_untracked() else {
        return view! { <CannotShowAgain id=remembered_id/> }.into_any();
    };
    // Leaving this step ends the run: coming back shows the "cannot be shown again" view.
    on_cleanup(move || {
        wizard.created.try_set(None);
    });
    view! { <RevealUntilLeft key/> }.into_any()
}

/// [`Reveal`] until the page is left, then what a reload shows. The browser may keep a page left
/// for another (the back/forward cache) and show it again on Back, to whoever presses it: the
/// page it keeps has the secrets dropped (zeroed) and the wait for them ended. The swap runs in
/// the microtasks after `pagehide`, before the browser freezes the page.
#[component]
pub(super) fn RevealUntilLeft(key: ApiKey) -> AnyView {
    let left = RwSignal::new(false);
    let on_hide = window_event_listener(leptos::ev::pagehide, move |e| {
        left.set(true);
        if e.persisted() {
            step_off_guard_entry_when_shown_again();
        }
    });
    on_cleanup(move || on_hide.remove());
    let id = Some(key.id.clone());
    (move || {
        if left.get() {
            view! { <CannotShowAgain id=id.clone()/> }.into_any()
        } else {
            view! { <Reveal key=key.clone()/> }.into_any()
        }
    })
    .into_any()
}

/// Waits for `key` to be provisioned, then asks for its secrets once and shows them.
#[component]
fn Reveal(key: ApiKey) -> impl IntoView {
    // From the key's creation, not only once its secrets are here: leaving while it provisions
    // loses them as surely, since only this view will ever ask for them.
    let stored = RwSignal::new(false);
    let client = use_api_client();
    let waited = RwSignal::new(0u32);
    // Whether the secrets may have been handed out: asked for, and not refused as not ready.
    let asked = RwSignal::new(false);
    // Asking again after an error is safe: the platform forgets the secrets only once it has
    // sent them, and answers 410 after that.
    let session = use_session();
    let (key_id, failed_key) = (key.id.clone(), key.clone());
    let record = created_here::use_created_here();
    // Keeps the page on screen through a sign-out from the moment the secrets are asked for,
    // for as long as this view lives: the platform forgets them once it has sent them.
    let held = StoredValue::new(None::<Hold>);
    let outcome = Loaded::new(move || {
        let wait = Wait {
            waited,
            asked,
            held,
        };
        reveal(client.clone(), session, key.clone(), wait)
    });
    // From the moment they are asked for, leaving may lose them: the answer on its way, or
    // lost on the way, may have been the one hand-out.
    use_leave_guard(stored, asked.into());
    // Nothing to lose once the platform has said no secret will come.
    Effect::new(move |_| {
        if matches!(
            outcome.get(),
            Some(Ok(Outcome::Failed
                | Outcome::AlreadyProvided
                | Outcome::NotYours))
        ) {
            stored.set(true);
        }
    });
    // Its own state, not `Suspense`: see `components::load`. While a retry is out the error
    // stays and its button is busy: a second click would ask again for secrets the first may be
    // receiving.
    let shown = move || {
        match outcome.get() {
        None => view! { <Provisioning waited/> }.into_any(),
        Some(Ok(Outcome::Ready(data))) => {
            if let Some(user) = untrack(|| session.signed_in()).map(|s| s.user.id.clone()) {
                if let Some(record) = record {
                    record.secrets_shown(&user, &key_id);
                }
            }
            view! { <Secrets data stored/> }.into_any()
        }
        Some(Ok(Outcome::Failed)) => {
            view! { <ProvisioningFailed key=failed_key.clone()/> }.into_any()
        }
        Some(Ok(Outcome::AlreadyProvided)) => {
            view! { <AlreadyProvided key_href=links::key(&key_id)/> }.into_any()
        }
        Some(Ok(Outcome::Left)) => ().into_any(),
        Some(Ok(Outcome::NotYours)) => view! { <NotYours/> }.into_any(),
        Some(Err(error)) => view! {
            <ErrorPanel title="The key could not be shown" error
                on_retry=Callback::new(move |_| outcome.refetch())
                busy=outcome.loading()
                hint=LOST_HINT/>
            <p class="wizard-actions start">
                {links::key(&key_id).map(|href| view! { <a href=href class="link">"The key's page"</a> })}
                <a href=links::DASHBOARD class="link">"Back to API keys"</a>
            </p>
        }
        .into_any(),
    }
    };
    view! {
        <section aria-labelledby="key-title">
            <h2 id="key-title" class="visually-hidden" data-arrive>"Your new API key"</h2>
            {shown}
        </section>
    }
}

/// What the wait shares with the view that shows it, and goes with that view.
#[derive(Clone, Copy)]
struct Wait {
    /// The seconds waited so far.
    waited: RwSignal<u32>,
    /// Whether the secrets may have been handed out: asked for, and not refused as not ready.
    asked: RwSignal<bool>,
    /// The hold on the page through a sign-out while the secrets are asked for or shown. The
    /// view owns it, not the wait, which outlives a view left meanwhile: the page shown next
    /// has nothing to keep from whoever signs in after.
    held: StoredValue<Option<Hold>>,
}

/// Waits (polling with backoff) until `key` is active, then asks for its secrets once, unless
/// the view (which owns `wait`) has gone: the platform hands them out once, and nobody would
/// see them.
async fn reveal(
    client: ApiClient,
    session: Session,
    mut key: ApiKey,
    wait: Wait,
) -> Result<Outcome, ApiError> {
    let Wait {
        waited,
        asked,
        held,
    } = wait;
    let started = js_sys::Date::now();
    let mut delay = client.config().poll_interval_ms;
    loop {
        match key.status {
            KeyStatus::Active => {
                // A sign-out while the answer is on its way must not take the view that will
                // show it. Gone already: nobody would see them.
                if held.try_set_value(Some(session.hold())).is_some() {
                    return Ok(Outcome::Left);
                }
                asked.try_set(true);
                let answer = client.key_secrets(&key.id).await;
                if answer.is_err() {
                    held.try_set_value(None);
                }
                match answer {
                    Ok(data) => {
                        let data = super::credentials::completed(data, &key);
                        return Ok(Outcome::Ready(Arc::new(data)));
                    }
                    // Not ready yet after all: nothing was handed out; keep waiting.
                    Err(ApiError::Conflict(_)) => {
                        asked.try_set(false);
                    }
                    Err(ApiError::Gone(_)) => return Ok(Outcome::AlreadyProvided),
                    Err(ApiError::NotFound(_)) => return Ok(Outcome::NotYours),
                    Err(e) => return Err(e),
                }
            }
            // Provisioning, or a status this console does not know (or none given): the
            // contract says to poll until a terminal one.
            KeyStatus::Pending | KeyStatus::Other(_) => {}
            KeyStatus::Failed | KeyStatus::Disabled | KeyStatus::Deleted => {
                return Ok(Outcome::Failed)
            }
        }
        sleep_ms(delay).await;
        while_hidden().await;
        // Gone while the page was hidden (the session ended, say): nothing more is asked.
        if waited.try_get_untracked().is_none() {
            return Ok(Outcome::Left);
        }
        delay = next_poll_delay_ms(delay);
        // A failed poll is retried by the client; if it still fails for a reason that may pass,
        // poll again later. One that will not (the key was deleted meanwhile, this person may
        // no longer see it, or an answer this console does not understand, which the next
        // poll would bring again) ends the wait with the error rather than a spinner forever.
        match client.get_key(&key.id).await {
            // The latest copy: the secrets' answer is completed from it.
            Ok(mut k) if k.id == key.id => {
                k.fill_from(&key);
                key = k;
            }
            Ok(_) => {}
            Err(e) if !e.is_retryable() || matches!(e, ApiError::Decode(_)) => return Err(e),
            Err(e) => delay = delay.max(e.asked_wait_ms()),
        }
        // Gone (with the view that owns `waited`) before the next ask: nobody would see it.
        if waited
            .try_set(((js_sys::Date::now() - started) / 1000.0) as u32)
            .is_some()
        {
            return Ok(Outcome::Left);
        }
    }
}

/// The wait, counted in seconds as they pass: the polls behind it come further apart (up to
/// 10 s), and a count that moved only with them would seem stuck.
#[component]
fn Provisioning(waited: RwSignal<u32>) -> impl IntoView {
    let start = js_sys::Date::now() - f64::from(waited.get_untracked()) * 1000.0;
    let tick = set_interval_with_handle(
        move || {
            waited.try_set(((js_sys::Date::now() - start) / 1000.0) as u32);
        },
        std::time::Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(tick) = tick {
            tick.clear();
        }
    });
    view! {
        // The counter stays outside the live region, which would read it out every second.
        <div class="panel provisioning">
            <div role="status" aria-live="polite">
                <h2><span class="spinner" aria-hidden="true"></span>" Provisioning your key…"</h2>
                <p>"The platform is setting up the key on the Arx. This can take up to 10 minutes; you can keep this page open."</p>
            </div>
            <p class="muted">{move || format!("Time waited: {}", crate::time::elapsed(waited.get()))}</p>
            // Said once, when the wait outlasts what the page promised.
            <p role="status" data-testid="taking-long">{move || (waited.get() >= LONG_WAIT_SECS).then_some(
                "This is taking longer than usual. You may leave: the secrets wait for you, once, on the key's page."
            )}</p>
        </div>
    }
}

/// The wait the page says provisioning can take ("up to 10 minutes").
const LONG_WAIT_SECS: u32 = 600;

/// The key could not be provisioned. Starting again keeps its application, so another Arx is
/// one choice away.
#[component]
fn ProvisioningFailed(key: ApiKey) -> impl IntoView {
    let again = links::wizard_step("arx", &[("app", key.application_id.clone())]);
    view! {
        <div class="panel error-panel" role="alert" data-testid="provisioning-failed">
            <h2>"Provisioning failed"</h2>
            <p>"The platform could not provision this key on its Arx, so it cannot be used. Nothing secret was issued."</p>
            <a href=again class="button">"Choose another Arx"</a>
        </div>
    }
}

#[component]
pub(super) fn NotYours() -> impl IntoView {
    view! {
        <div class="panel empty-state" data-testid="not-yours">
            <h2 data-arrive>"Only the key's creator can see its secrets"</h2>
            <p>"The platform gives an API key's secrets once, to the person who created it, and gave nothing here. If you created this key, it may have been deleted meanwhile."</p>
            <a href=links::DASHBOARD class="button">"Back to API keys"</a>
        </div>
    }
}

/// `key_href`: the key's page, where it can be deleted (none for an id not of the platform's
/// form).
#[component]
fn AlreadyProvided(key_href: Option<String>) -> impl IntoView {
    view! {
        <div class="panel error-panel" role="alert">
            <h2>"The secrets were already handed out"</h2>
            <p>"They are shown only once, and were shown already: in another tab, or on this page before it was reloaded. If nobody stored them, delete this key and create a new one."</p>
            <div class="wizard-actions start">
                {key_href.map(|href| view! { <a href=href class="button">"Go to the key to delete it"</a> })}
                <a href=links::DASHBOARD class="button secondary">"Back to API keys"</a>
            </div>
        </div>
    }
}

//! Step 4 without its run (a reload, Back or Forward, a sign-in on the way): what can still be
//! said or asked about the key whose id the address names.

use leptos::prelude::*;
use platform_types::{ApiKey, KeyStatus};

use super::key_step::{NotYours, RevealUntilLeft};
use crate::api::{use_api_client, ApiError};
use crate::created_here;
use crate::links;
use crate::session::use_session;

/// Shown when step 4 is opened without a run in memory (a reload, Back or Forward, a sign-in on
/// the way). With the key's id, it offers to ask for its secrets: the platform hands them out
/// once, so if nobody has received them yet (the step was left while the key provisioned),
/// this is that once; if somebody has, it says so.
#[component]
pub(super) fn CannotShowAgain(id: Option<String>) -> impl IntoView {
    let Some(id) = id else {
        return view! {
            <div class="panel empty-state" data-testid="cannot-show-again">
                <h2 data-arrive>"This key cannot be shown again"</h2>
                <p>"An API key's secrets are displayed once, right after it is created. This console does not keep them."</p>
                <a href=links::DASHBOARD class="button">"Back to API keys"</a>
            </div>
        }
        .into_any();
    };
    let client = use_api_client();
    let session = use_session();
    let resumed = RwSignal::new(None::<ApiKey>);
    let refused = RwSignal::new(None::<Refusal>);
    let error = RwSignal::new(None::<ApiError>);
    let asking = RwSignal::new(false);
    let resume = {
        let id = id.clone();
        move |e: leptos::ev::MouseEvent| {
            if asking.get_untracked() {
                return;
            }
            if let Some(button) = e
                .current_target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into(t).ok())
            {
                crate::focus::follow_replacement(button);
            }
            asking.set(true);
            error.set(None);
            let (client, id) = (client.clone(), id.clone());
            leptos::task::spawn_local(async move {
                match client.get_key(&id).await {
                    Ok(key) => {
                        // Only the creator may receive them (the platform says 404 to anyone
                        // else), and only a key on its way or in use has any.
                        let me = session.signed_in().map(|s| s.user.id.clone());
                        // A creator without an id (the contract lets any field be absent) is
                        // the platform's to judge: it says 404 to anyone but the creator.
                        let creator = key
                            .created_by
                            .as_ref()
                            .map(|c| c.id.clone())
                            .filter(|id| !id.is_empty());
                        let refusal = match (&key.status, creator) {
                            (_, Some(c)) if me.is_some_and(|me| me != c) => Some(Refusal::NotYours),
                            (KeyStatus::Pending | KeyStatus::Active | KeyStatus::Other(_), _) => {
                                None
                            }
                            _ => Some(Refusal::Settled),
                        };
                        match refusal {
                            None => {
                                resumed.try_set(Some(key));
                            }
                            Some(r) => {
                                refused.try_set(Some(r));
                            }
                        }
                    }
                    Err(ApiError::NotFound(_)) => {
                        refused.try_set(Some(Refusal::Unknown));
                    }
                    Err(e) => {
                        error.try_set(Some(e));
                    }
                }
                asking.try_set(false);
            });
        }
    };
    let key_href = links::key(&id);
    let seen = untrack(|| session.signed_in()).is_some_and(|s| {
        created_here::use_created_here().is_some_and(|r| r.were_secrets_shown(&s.user.id, &id))
    });
    if seen {
        return view! {
            <div class="panel empty-state" data-testid="cannot-show-again">
                <h2 data-arrive>"This key's secrets were shown on this page"</h2>
                <p data-testid="shown-here">"They are shown once, and this console does not keep them. If they were not stored, delete this key and create a new one."</p>
                <div class="wizard-actions">
                    <a href=key_href class="button secondary">"View the key's details"</a>
                    <a href=links::DASHBOARD class="button">"Back to API keys"</a>
                </div>
            </div>
        }
        .into_any();
    }
    // The platform hands secrets only to a role that manages keys; a role lowered since the key
    // was made gets no button it may not use.
    let may_receive = Memo::new(move |_| platform_types::roles_may_manage_keys(&session.roles()));
    let shown = move || {
        match (resumed.get(), refused.get()) {
        (Some(key), _) => view! { <RevealUntilLeft key/> }.into_any(),
        (None, Some(Refusal::NotYours)) => view! { <NotYours/> }.into_any(),
        (None, Some(Refusal::Settled)) => view! {
            <div class="panel empty-state" data-testid="no-secrets">
                <h2 data-arrive>"This API key has no secrets to show"</h2>
                <p>"It failed, was disabled or was deleted, so its secrets cannot be used."</p>
                <a href=links::DASHBOARD class="button">"Back to API keys"</a>
            </div>
        }
        .into_any(),
        (None, Some(Refusal::Unknown)) => view! {
            <div class="panel empty-state" data-testid="no-such-key">
                <h2 data-arrive>"There is no such API key in your tenant"</h2>
                <p>"The address may be mistyped, or the key may have been removed."</p>
                <a href=links::DASHBOARD class="button">"Back to API keys"</a>
            </div>
        }
        .into_any(),
        (None, None) if !may_receive.get() => view! {
            <div class="panel empty-state" data-testid="not-permitted">
                <h2 data-arrive>"Your role cannot receive a key's secrets"</h2>
                <p>"Only a Platform Owner or a Developer may receive them. They stay with the platform, unclaimed, until the key's creator asks for them with such a role."</p>
                <a href=key_href.clone() class="button secondary">"View the key's details"</a>
            </div>
        }
        .into_any(),
        (None, None) => {
            let resume = resume.clone();
            view! {
                <div class="panel empty-state" data-testid="cannot-show-again">
                    <h2 data-arrive>"This key's secrets are not on this page"</h2>
                    <p>"An API key's secrets are displayed once, and this console does not keep them. If nobody has received them yet (this step was reloaded or left while the key was being set up), they can be shown now, once."</p>
                    {move || error.get().map(|e| view! {
                        <p class="form-error" role="alert">{e.user_message()}
                            {e.reference()}</p>
                    })}
                    <div class="wizard-actions">
                        <button type="button" class="button" data-testid="show-secrets"
                            aria-busy=move || asking.get().to_string() on:click=resume>
                            {move || if asking.get() { "Asking…" } else { "Show the secrets" }}
                        </button>
                        <a href=key_href.clone() class="button secondary">"View the key's details"</a>
                    </div>
                </div>
            }
            .into_any()
        }
    }
    };
    shown.into_any()
}

/// Why step 4 without its run will not ask for a key's secrets.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// Someone else created the key.
    NotYours,
    /// The key failed, or was disabled or deleted.
    Settled,
    /// The platform knows no such key (in this tenant).
    Unknown,
}

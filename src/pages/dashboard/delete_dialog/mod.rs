//! `/keys/:id/delete`: the dialog that deletes a key once the person has typed its API key (its
//! id, for a key the platform gave none).

mod confirmation;
mod leave;
mod send;
mod summary;

use leptos::ev;
use leptos::prelude::*;

use super::use_keys::use_keys_context;
use crate::api::{use_api_client, ApiError};
use crate::components::announcer::use_announcer;
use crate::components::dialog::{take_late_initial_focus, Dialog};
use crate::components::load::Loaded;
use crate::components::retry_button::AnnouncedRetryButton;
use crate::permissions::delete_permission;
use crate::router::{use_navigate, use_router};
use crate::routes::{current_route, Route};
use crate::session::use_session;
pub use confirmation::{confirmation_hint, confirmation_matches};
use summary::KeySummary;

/// The delete dialog, routed over the dashboard.
#[component]
pub fn DeleteKeyDialog() -> impl IntoView {
    let client = use_api_client();
    let session = use_session();
    let router = use_router();
    let navigate = use_navigate();
    let announce = use_announcer();
    let keys = use_keys_context();
    let deleted_here = crate::key_events::use_deleted_here();
    let id = current_route().with_untracked(|r| match r {
        Route::Dashboard { delete } => delete.clone().unwrap_or_default(),
        _ => String::new(),
    });

    // The list's copy shows at once; the platform's own, read as the dialog opens, replaces it
    // (and if that read fails, the list's copy stands).
    let cached = keys.and_then(|k| k.find(&id));
    let fresh = {
        let (client, id) = (client.clone(), id.clone());
        Loaded::new(move || {
            let (client, id) = (client.clone(), id.clone());
            async move { client.get_key(&id).await }
        })
    };
    let key = Memo::new(move |_| match (fresh.get(), &cached) {
        (Some(Ok(mut k)), Some(listed)) if k.id == listed.id => {
            k.fill_from(listed);
            Some(Ok(k))
        }
        (Some(Ok(k)), _) => Some(Ok(k)),
        (_, Some(k)) => Some(Ok(k.clone())),
        (answer, None) => answer,
    });
    let typed = RwSignal::new(String::new());
    // The field may appear after the dialog opened (a deep link waits for the key): focus it then.
    let field = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = field.get() {
            take_late_initial_focus(&el);
        }
    });
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    // A retry of the read that fails as before is said (the alert's words do not change).
    let still_failing = Callback::new(move |_| match key.get_untracked() {
        Some(Err(e)) => Some(format!(
            "The API key still could not be loaded: {}",
            e.user_message()
        )),
        _ => None,
    });

    let leave = leave::leaving(router, navigate);
    // Not while the delete is on its way: the dialog is where its outcome is told, and a
    // Cancel then would cancel nothing.
    let close = {
        let leave = leave.clone();
        Callback::new(move |_: ()| {
            if !pending.get_untracked() {
                leave(false);
            }
        })
    };
    // After a delete, or when there is no such key to go back to.
    let finish = Callback::new(move |_: ()| leave(true));

    let roles = Memo::new(move |_| session.roles());
    let name = move || {
        key.with(|k| match k {
            Some(Ok(k)) => k.access_key_or_id().to_owned(),
            _ => String::new(),
        })
    };
    let matches = Memo::new(move |_| typed.with(|t| confirmation_matches(t, &name())));

    let confirm = {
        let client = client.clone();
        move || {
            if pending.get_untracked() || !matches.get_untracked() {
                return;
            }
            // The id comes from the fetched key, never from the typed text.
            let Some(Ok(target)) = key.get_untracked() else {
                return;
            };
            pending.set(true);
            error.set(None);
            let client = client.clone();
            // What is said of the outcome is for the person who asked, not whoever signed in
            // since.
            let who = move || session.user_id_untracked();
            let person = session.person_untracked();
            let asker = person.as_ref().map(|(user, _)| user.clone());
            let record = deleted_here.zip(asker.clone());
            let announce = move |message: String| {
                if who().is_some() && who() == asker {
                    announce.say(message);
                }
            };
            let outcome = send::Outcome {
                keys,
                deleted_here: record,
                asker: person,
                error,
                pending,
                fresh,
                finish,
            };
            leptos::task::spawn_local(outcome.send(client, target, announce));
        }
    };
    let confirm_submit = {
        let confirm = confirm.clone();
        move |e: ev::SubmitEvent| {
            e.prevent_default();
            confirm();
        }
    };

    // What the dialog shows, by its shape: a read that fails again (each failure has its own
    // reference) keeps the view, with the retry under the focus, and says only its new words;
    // the platform's own read of the key, which differs from the list's copy in what the
    // summary shows (when it was last used), keeps the form, with what was typed and the focus.
    let shape = Memo::new(move |_| {
        key.with(|k| match k {
            None => Shape::Loading,
            Some(Err(ApiError::NotFound(_) | ApiError::Forbidden(_))) => Shape::Gone,
            Some(Err(_)) => Shape::Failed,
            Some(Ok(k)) => Shape::Key {
                id: k.id.clone(),
                access_key: k.access_key.clone(),
                refusal: roles.with(|r| delete_permission(k, r).reason().map(str::to_owned)),
            },
        })
    });
    let summary = move || {
        key.with(|k| match k {
            Some(Ok(k)) => Some(view! { <KeySummary key=k.clone()/> }),
            _ => None,
        })
    };
    // The alert holds the words only: a new failure's reference, outside it, does not make it
    // read out again on top of the retry's own "still could not be loaded".
    let failure = move || {
        key.with(|k| match k {
            Some(Err(e)) => e.user_message(),
            _ => String::new(),
        })
    };
    let reference = move || {
        key.with(|k| match k {
            Some(Err(e)) => e.support_reference(),
            _ => None,
        })
    };
    let body = move || {
        let confirm_submit = confirm_submit.clone();
        match shape.get() {
            Shape::Loading => view! { <p class="muted" aria-busy="true">"Loading the API key…"</p> }.into_any(),
            Shape::Gone => view! {
                <p id=OUTCOME_ID>"There is no such API key in your tenant."</p>
                <div class="dialog-actions">{told_by_close(finish)}</div>
            }
            .into_any(),
            Shape::Failed => view! {
                <p role="alert">{failure}</p>
                <p class="muted small">{reference}</p>
                <div class="dialog-actions">
                    <button type="button" class="button secondary" on:click=move |_| close.run(())>"Close"</button>
                    <AnnouncedRetryButton busy=fresh.loading() on_retry=Callback::new(move |_| fresh.refetch())
                        still_failing/>
                </div>
            }
            .into_any(),
            Shape::Key { id, access_key, refusal } => {
                if let Some(reason) = refusal {
                    return view! {
                        {summary}
                        <p class="notice" id=OUTCOME_ID data-testid="not-permitted">{reason}</p>
                        <div class="dialog-actions">{told_by_close(close)}</div>
                    }
                    .into_any();
                }
                // The form holds the whole body, so that its actions, kept at the dialog's
                // bottom edge where it scrolls, can stay there from the top down.
                view! {
                    <form on:submit=confirm_submit>
                        {summary}
                        <p class="warning" id="delete-warning">
                            "Applications using this API key will stop working. This cannot be undone."
                        </p>
                        <div class="field">
                            {if access_key.is_empty() {
                                view! { <label for="delete-confirm">"Type the key's id "<code class="mono">{id}</code>" to confirm (it has no API key)"</label> }.into_any()
                            } else {
                                view! { <label for="delete-confirm">"Type the API key "<code class="mono">{access_key}</code>" to confirm"</label> }.into_any()
                            }}
                            <input id="delete-confirm" type="text" class="mono" node_ref=field
                                autocomplete="off" spellcheck="false" autocapitalize="off"
                                aria-describedby="delete-hint"
                                prop:value=move || typed.get()
                                on:input=move |e| typed.set(event_target_value(&e))/>
                            <p id="delete-hint" class="muted small" aria-live="polite">
                                {move || confirmation_hint(&typed.get(), &name())}
                            </p>
                        </div>
                        {move || error.get().map(|e| {
                            let message = match &e {
                                ApiError::Conflict(_) => "An operation on this API key is already in progress. Wait a moment and try again.".to_owned(),
                                other => other.user_message(),
                            };
                            view! { <p class="form-error" role="alert">{message}
                                {e.reference()}</p> }
                        })}
                        <div class="dialog-actions">
                            <button type="button" class="button secondary" on:click=move |_| close.run(())
                                aria-disabled=move || pending.get().to_string()>"Cancel"</button>
                            // Busy, not disabled, while it deletes: a disabled button would drop
                            // the focus of the person who pressed it.
                            <button type="submit" class="button danger" data-testid="confirm-delete"
                                disabled=move || !matches.get()
                                aria-disabled=move || pending.get().to_string()
                                aria-busy=move || pending.get().to_string()>
                                {move || if pending.get() { "Deleting…" } else if error.with(Option::is_some) { "Try again" } else { "Delete API key" }}
                            </button>
                        </div>
                    </form>
                }
                .into_any()
            }
        }
    };

    view! {
        <Dialog labelled_by="delete-title" described_by="delete-warning" initial_focus="#delete-confirm" on_close=close>
            <h2 id="delete-title">"Delete API key"</h2>
            {body}
        </Dialog>
    }
}

/// The message of a dialog that has no delete to offer.
const OUTCOME_ID: &str = "delete-outcome";

/// The Close of a dialog with no delete to offer, described by its message ([`OUTCOME_ID`]).
/// It takes the focus from the dialog's panel, where a dialog opened while the key loaded
/// left it: the message is heard as the focus arrives, not only shown.
fn told_by_close(close: Callback<()>) -> impl IntoView {
    let button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(b) = button.get() {
            take_late_initial_focus(&b);
        }
    });
    view! {
        <button type="button" class="button secondary" node_ref=button aria-describedby=OUTCOME_ID
            on:click=move |_| close.run(())>"Close"</button>
    }
}

/// The dialog's view by what the key's read gave (see `shape` in [`DeleteKeyDialog`]).
#[derive(Clone, PartialEq)]
enum Shape {
    Loading,
    /// No such key in this tenant, or none this person may see.
    Gone,
    /// The read failed; its words are read from the answer as it changes.
    Failed,
    /// The key, by what the form depends on: the text to type, and why this person may not
    /// delete it, if they may not.
    Key {
        id: String,
        access_key: String,
        refusal: Option<String>,
    },
}

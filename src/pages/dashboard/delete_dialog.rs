//! `/keys/:id/delete`: the dialog that deletes a key once the person has typed its API key (its
//! id, for a key the platform gave none).

use leptos::ev;
use leptos::prelude::*;
use platform_types::{ApiKey, KeyStatus};

use super::use_keys::use_keys_context;
use crate::api::{use_api_client, ApiError};
use crate::components::announcer::use_announcer;
use crate::components::dialog::Dialog;
use crate::components::load::Loaded;
use crate::components::status_badge::StatusBadge;
use crate::components::time_text::TimeText;
use crate::key_events::broadcast_key_event;
use crate::permissions::delete_permission;
use crate::router::{use_navigate, use_router, NavigateOptions};
use crate::routes::{current_route, Route};
use crate::session::use_session;
use crate::shown;
use crate::time;

/// Whether the typed text confirms deleting the key named `name` (`ApiKey::access_key_or_id`):
/// exactly equal, byte for byte. No trimming, no case folding, no Unicode normalisation: a near
/// miss must never delete.
pub fn confirmation_matches(typed: &str, name: &str) -> bool {
    !name.is_empty() && typed == name
}

/// Why Delete is not enabled yet, for the hint under the field (whose label says what to type).
pub fn confirmation_hint(typed: &str, name: &str) -> &'static str {
    if confirmation_matches(typed, name) {
        "It matches. Delete is enabled."
    } else if typed.is_empty() {
        "Type or paste it exactly to enable Delete."
    } else if typed.trim() == name {
        "Remove the extra spaces: the text must match exactly."
    } else if crate::fold::lowercase(typed) == crate::fold::lowercase(name) {
        "Check upper and lower case: the text must match exactly."
    } else {
        "This does not match yet."
    }
}

/// The delete dialog, routed over the dashboard.
#[component]
pub fn DeleteKeyDialog() -> impl IntoView {
    let client = use_api_client();
    let session = use_session();
    let router = use_router();
    let navigate = use_navigate();
    let announce = use_announcer();
    let keys = use_keys_context();
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
            let _ = el.focus();
        }
    });
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    // A retry that fails as the read before it leaves the alert's words as they were, which
    // is not read out again: the announcer says it.
    let retried = RwSignal::new(false);
    Effect::new(move |was_loading: Option<bool>| {
        let loading = fresh.loading().get();
        if was_loading == Some(true) && !loading && retried.get_untracked() {
            retried.set(false);
            if let Some(Err(e)) = key.get_untracked() {
                announce.say(format!(
                    "The API key still could not be loaded: {}",
                    e.user_message()
                ));
            }
        }
        loading
    });

    // Opened by a link of the page under it (the dashboard's line, the key's own page: its
    // entry is the one before this), a close without a delete goes back to it, so that Back
    // does not bring the dialog again; opened by the list's line, a delete too, so that the
    // list is one entry, not two of the same view. Otherwise (a link from elsewhere, an address
    // typed), and after a delete from the key's page, to the dashboard with the view it showed,
    // in place of the dialog's entry (whose dialog Back must not bring again).
    let opened_by = window()
        .history()
        .and_then(|h| h.state())
        .ok()
        .and_then(|s| s.as_string());
    let from_list = opened_by.as_deref() == Some(crate::links::OPENED_FROM_LIST);
    let opened_here = from_list || opened_by.as_deref() == Some(crate::links::OPENED_HERE);
    let leave = move |deleted: bool| {
        if opened_here && (!deleted || from_list) {
            if let Ok(history) = window().history() {
                let _ = history.back();
                return;
            }
        }
        let q = router.with_untracked(|a| a.search.clone());
        navigate(
            &format!("{}{q}", crate::links::DASHBOARD),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
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
            let asker = who();
            let announce = move |message: String| {
                if who().is_some() && who() == asker {
                    announce.say(message);
                }
            };
            leptos::task::spawn_local(async move {
                match client.delete_key(&target.id).await {
                    Ok(mut updated) => {
                        // Without a status, it is what a delete makes a key (contract §5).
                        if updated.status == KeyStatus::Other(String::new()) {
                            updated.status = KeyStatus::Pending;
                        }
                        if let Some(k) = keys {
                            // An answer about another key is not this delete's: the list is
                            // read again instead.
                            if updated.id == target.id {
                                k.apply(updated);
                            } else {
                                k.reload();
                            }
                        }
                        done(&target, announce, "is being deleted");
                        // Not `run`: the person may have closed the dialog while it deleted.
                        finish.try_run(());
                    }
                    // Gone meanwhile (deleted and purged, or never this tenant's to see).
                    Err(ApiError::NotFound(_)) => {
                        if let Some(k) = keys {
                            k.reload();
                        }
                        done(&target, announce, "no longer exists");
                        finish.try_run(());
                    }
                    // Told in the dialog; if it has gone meanwhile (Back), by the page's
                    // announcer, so that nobody is left believing the key was deleted. A
                    // delete whose answer never came (or could not be read) may have been
                    // done: the list is read again, and neither is claimed. A refusal reads
                    // the key and the list again: if this person may no longer delete it, the
                    // dialog says so in place of the form.
                    Err(e) => {
                        let unknown = matches!(
                            e,
                            ApiError::Timeout | ApiError::Network(_) | ApiError::Decode(_)
                        );
                        let refused = matches!(e, ApiError::Forbidden(_));
                        if let Some(k) = keys.filter(|_| unknown || refused) {
                            k.reload();
                        }
                        match error.try_set(Some(e)) {
                            Some(Some(e)) => {
                                let outcome = if unknown {
                                    "may not have been deleted"
                                } else {
                                    "was not deleted"
                                };
                                announce(format!(
                                    "API key {} {outcome}: {}",
                                    target.access_key_or_id(),
                                    e.user_message()
                                ));
                            }
                            _ if refused => fresh.refetch(),
                            _ => {}
                        }
                        pending.try_set(false);
                    }
                }
            });
        }
    };
    let confirm_submit = {
        let confirm = confirm.clone();
        move |e: ev::SubmitEvent| {
            e.prevent_default();
            confirm();
        }
    };

    let body = move || {
        let confirm_submit = confirm_submit.clone();
        match key.get() {
            None => view! { <p class="muted" aria-busy="true">"Loading the API key…"</p> }.into_any(),
            Some(Err(ApiError::NotFound(_))) | Some(Err(ApiError::Forbidden(_))) => view! {
                <p>"There is no such API key in your tenant."</p>
                <div class="dialog-actions">
                    <button type="button" class="button secondary" on:click=move |_| finish.run(())>"Close"</button>
                </div>
            }
            .into_any(),
            // Busy, not disabled: a disabled button under the focus drops it to the page.
            Some(Err(e)) => view! {
                <p role="alert">{e.user_message()}</p>
                <div class="dialog-actions">
                    <button type="button" class="button secondary" on:click=move |_| close.run(())>"Close"</button>
                    <button type="button" class="button" aria-busy=move || fresh.loading().get().to_string()
                        aria-disabled=move || fresh.loading().get().to_string()
                        on:click=move |_| if !fresh.loading().get_untracked() {
                            retried.set(true);
                            fresh.refetch();
                        }>
                        {move || if fresh.loading().get() { "Trying again…" } else { "Try again" }}
                    </button>
                </div>
            }
            .into_any(),
            Some(Ok(k)) => {
                let permission = delete_permission(&k, &roles.get());
                let summary = view! { <KeySummary key=k.clone()/> };
                if let Some(reason) = permission.reason() {
                    return view! {
                        {summary}
                        <p class="notice" data-testid="not-permitted">{reason.to_owned()}</p>
                        <div class="dialog-actions">
                            <button type="button" class="button secondary" on:click=move |_| close.run(())>"Close"</button>
                        </div>
                    }
                    .into_any();
                }
                view! {
                    {summary}
                    <p class="warning" id="delete-warning">
                        "Applications using this API key will stop working. This cannot be undone."
                    </p>
                    <form on:submit=confirm_submit>
                        <div class="field">
                            {if k.access_key.is_empty() {
                                view! { <label for="delete-confirm">"Type the key's id "<code class="mono">{k.id.clone()}</code>" to confirm (it has no API key)"</label> }.into_any()
                            } else {
                                view! { <label for="delete-confirm">"Type the API key "<code class="mono">{k.access_key.clone()}</code>" to confirm"</label> }.into_any()
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
                                {e.correlation_id().map(|c| format!(" (reference {c})"))}</p> }
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

fn done(key: &ApiKey, announce: impl Fn(String), what: &str) {
    broadcast_key_event("deleted", &key.id);
    announce(format!("API key {} {what}", key.access_key_or_id()));
}

/// What will be deleted.
#[component]
fn KeySummary(key: ApiKey) -> impl IntoView {
    let now = time::now_ms();
    let app = shown::name(key.application_name()).into_owned();
    let arx = shown::name(key.arx_name()).into_owned();
    view! {
        <dl class="detail-grid">
            <dt>"API key"</dt><dd>{if key.access_key.is_empty() {
                view! { <span class="muted">"None"</span> }.into_any()
            } else {
                view! { <code class="mono">{key.access_key.clone()}</code> }.into_any()
            }}</dd>
            <dt>"Application"</dt><dd class="name">{app}</dd>
            <dt>"Arx"</dt><dd class="name">{arx}</dd>
            <dt>"Status"</dt><dd><StatusBadge status=key.status.clone()/></dd>
            <dt>"Created"</dt><dd><TimeText shown=time::show(&key.created_at, now) exact=true/></dd>
            <dt>"Last used"</dt><dd>{match &key.last_used_at {
                Some(t) => view! { <TimeText shown=time::show(t, now) exact=true/> }.into_any(),
                None => view! { <span class="muted">"Not reported"</span> }.into_any(),
            }}</dd>
        </dl>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod prop_tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn enabled_iff_equal(key in "\\PC{1,40}", typed in "\\PC{0,40}") {
            prop_assert_eq!(confirmation_matches(&typed, &key), typed == key);
            prop_assert!(confirmation_matches(&key, &key));
        }

        #[test]
        fn near_misses_stay_disabled(key in "onq\\.[0-9A-F]{24}", pos in 0usize..28) {
            let mut chars: Vec<char> = key.chars().collect();
            let p = pos % chars.len();
            let variants = [
                format!("{key} "),
                format!(" {key}"),
                key.to_lowercase(),
                format!("{key}\u{200b}"),
                {
                    let mut v = chars.clone();
                    v.insert(p, '\u{200b}');
                    v.into_iter().collect::<String>()
                },
                format!("\u{202e}{key}"),
                key[..key.len() - 1].to_owned(),
                {
                    chars[p] = if chars[p] == 'A' { 'B' } else { 'A' };
                    chars.iter().collect::<String>()
                },
            ];
            for v in variants {
                if v != key {
                    prop_assert!(!confirmation_matches(&v, &key), "{:?} must not match {:?}", v, key);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_normalisation_is_not_applied() {
        let nfc = "caf\u{e9}";
        let nfd = "cafe\u{301}";
        assert!(!confirmation_matches(nfd, nfc));
        assert!(!confirmation_matches(nfc, nfd));
        assert!(!confirmation_matches("", ""), "an empty key never confirms");
    }

    #[test]
    fn hints_explain_why() {
        let k = "onq.ABC";
        assert!(confirmation_hint("", k).contains("Type or paste"));
        assert!(confirmation_hint("onq.ABC ", k).contains("spaces"));
        assert!(confirmation_hint("ONQ.abc", k).contains("upper and lower case"));
        assert!(confirmation_hint("onq.AB", k).contains("does not match"));
        assert!(confirmation_hint(k, k).contains("enabled"));
    }
}

//! `/keys/:id`: every field of one key, its Arx, copy, and delete where allowed.

use std::sync::Arc;

use leptos::prelude::*;
use platform_types::{ids, ApiKey, Arx, KeyStatus};

use crate::api::{use_api_client, ApiError};
use crate::components::announcer::use_announcer;
use crate::components::arx_facts::ArxDetails;
use crate::components::copy_button::CopyButton;
use crate::components::load::{Load, Loaded};
use crate::components::status_badge::{status_label, StatusBadge};
use crate::components::time_text::TimeText;
use crate::components::usage_tabs::UsageTabs;
use crate::created_here;
use crate::key_events::use_key_events;
use crate::links;
use crate::permissions::delete_permission;
use crate::router::use_router;
use crate::routes::{current_route, Route};
use crate::sdk_usage::{ENV_SECRET_KEY, ENV_SIGNING_KEY};
use crate::session::use_session;
use crate::shown;
use crate::time;
use crate::timer::every_minute;

mod freshness;

use freshness::{follow_pending, RefreshFailed};

/// What the page found at its address.
#[derive(Debug, Clone)]
enum Found {
    /// The key, and its Arx when `/keys/base` still offers it.
    Key(Arc<ApiKey>, Option<Arc<Arx>>),
    /// No such key in this tenant (or one the person may not know of).
    Missing,
}

/// The key detail page.
#[component]
pub fn KeyDetailPage() -> impl IntoView {
    let client = use_api_client();
    let route = current_route();
    // Kept as the address leaves the page, which is then on its way out.
    let id = Memo::new(move |prev: Option<&String>| match route.get() {
        Route::KeyDetail(id) => id,
        _ => prev.cloned().unwrap_or_default(),
    });
    let poll_client = client.in_background();
    // The last answer for this address and when it was read: a read again that fails (the
    // key settled, changed in another tab, the tab back after a while) keeps the page as it was
    // read and says so, as the dashboard's list does, rather than trading it for an error.
    let last = StoredValue::new_local(None::<(String, Found, f64)>);
    let refresh_failed = RwSignal::new(None::<ApiError>);
    let found = Loaded::new(move || {
        let (client, id) = (client.clone(), id.get());
        async move {
            let (key, base) = futures::join!(client.get_key(&id), client.key_base());
            let answer = match key {
                Ok(k) => {
                    let arx = base
                        .ok()
                        .and_then(|b| b.model.clusters.into_iter().find(|c| c.id == k.cluster_id));
                    Ok(Found::Key(Arc::new(k), arx.map(Arc::new)))
                }
                Err(ApiError::NotFound(_) | ApiError::Forbidden(_)) => Ok(Found::Missing),
                Err(e) => Err(e),
            };
            let kept = || {
                last.try_with_value(|l| {
                    l.as_ref()
                        .filter(|(of, ..)| *of == id)
                        .map(|(_, found, _)| found.clone())
                })
                .flatten()
            };
            match answer {
                Ok(found) => {
                    last.try_set_value(Some((id, found.clone(), time::now_ms())));
                    refresh_failed.try_set(None);
                    Ok(found)
                }
                Err(e) => match kept() {
                    Some(found) => {
                        refresh_failed.try_set(Some(e));
                        Ok(found)
                    }
                    None => {
                        refresh_failed.try_set(None);
                        Err(e)
                    }
                },
            }
        }
    });
    follow_pending(found, poll_client, id);
    // Back to the tab after a while, the key is read again: someone else may have deleted it.
    let on_focus = window_event_listener(leptos::ev::focus, move |_| {
        let stale = last
            .try_with_value(|l| {
                l.as_ref()
                    .is_some_and(|(.., at)| time::now_ms() - at > time::STALE_AFTER_MS)
            })
            .unwrap_or(false);
        if stale && !found.loading().get_untracked() {
            found.refetch();
        }
    });
    on_cleanup(move || on_focus.remove());
    // Which view the page shows: the key (by id), or none. A new answer for the same key
    // updates its view in place (status, last use, delete) instead of building it again, so
    // that the tab chosen and the focus stay when a pending key settles.
    let shown = Memo::new(move |_| match found.get() {
        Some(Ok(Found::Key(k, _))) => Some(Some(k.id.clone())),
        Some(Ok(Found::Missing)) => Some(None),
        _ => None,
    });
    let live = Signal::derive(move || match found.get() {
        Some(Ok(Found::Key(k, _))) => Some(k),
        _ => None,
    });
    use_key_events(move |ev| {
        if ev.id == id.get_untracked() {
            found.refetch();
        }
    });
    view! {
        <section class="key-detail" aria-labelledby="detail-title">
            <p><a href=use_router().dashboard_href() class="link" data-history-state=links::WAY_BACK>"← API keys"</a></p>
            <RefreshFailed found error=refresh_failed read_at=Signal::derive(move || {
                last.with_value(|l| l.as_ref().map(|(.., at)| *at))
            })/>
            <Load resource=found title="The API key could not be loaded">
                {move || match shown.get() {
                    Some(Some(_)) => match untrack(|| found.get()) {
                        Some(Ok(Found::Key(key, arx))) => view! { <KeyDetail key arx live/> }.into_any(),
                        _ => ().into_any(),
                    },
                    Some(None) => view! { <NotFound/> }.into_any(),
                    None => ().into_any(),
                }}
            </Load>
            // A heading for the page while it loads or when it could not.
            {move || (!matches!(found.get(), Some(Ok(_)))).then(|| view! {
                <h1 id="detail-title" class="visually-hidden">"API key"</h1>
            })}
        </section>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    // The route's title names a key's page; this one has none to show.
    document().set_title("API key not found · Onqlave");
    view! {
        <div class="panel empty-state">
            <h1 id="detail-title">"API key not found"</h1>
            <p>"There is no such key in your tenant: its address may be mistyped, the key deleted and removed since, or another tenant's."</p>
            <a href=use_router().dashboard_href() class="button">"Back to API keys"</a>
        </div>
    }
}

/// Everything about one key: `key` as first read, `live` its latest answer (what changes as
/// it settles: status, last use, whether it may be deleted).
#[component]
fn KeyDetail(
    key: Arc<ApiKey>,
    arx: Option<Arc<Arx>>,
    live: Signal<Option<Arc<ApiKey>>>,
) -> impl IntoView {
    let session = use_session();
    let announce = use_announcer();
    let roles = Memo::new(move |_| session.roles());
    // The relative times move on while the page is open.
    let now = RwSignal::new(time::now_ms());
    every_minute(move || now.set(time::now_ms()));
    let created_at = key.created_at.clone();
    // A key of no application is one the contract allows (a tenant without applications).
    let app = match key.application_name() {
        "" => "None".to_owned(),
        name => shown::name(name).into_owned(),
    };
    let arx_name = shown::name_or_not_reported(key.arx_name());
    let creator = shown::name_or_not_reported(key.creator_name());
    let access = key.access_key.clone();
    // Tabs of several keys are told apart by the key each shows.
    document().set_title(&format!(
        "API key {} · Onqlave",
        shown::name(key.access_key_or_id())
    ));
    let latest = {
        let key = key.clone();
        Signal::derive(move || live.get().unwrap_or_else(|| key.clone()))
    };
    let status = Memo::new(move |_| latest.with(|k| k.status.clone()));
    {
        let access = access.clone();
        Effect::new(move |before: Option<KeyStatus>| {
            let now = status.get();
            if before == Some(KeyStatus::Pending) && now != KeyStatus::Pending {
                announce.say(format!("API key {access} is now {}", status_label(&now)));
            }
            now
        });
    }
    // Pending because this tab deleted it: "Deleting…", and nothing more to use.
    let deleting = {
        let (id, deleted_here) = (key.id.clone(), crate::key_events::use_deleted_here());
        Memo::new(move |_| status.with(|s| deleted_here.is_some_and(|d| d.deleting(&id, s))))
    };
    // How to use it, while it can be used: a key that failed, was disabled or deleted has no
    // secrets to use.
    let usable = Memo::new(move |_| {
        let can = matches!(
            status.get(),
            KeyStatus::Active | KeyStatus::Pending | KeyStatus::Other(_)
        );
        can && !deleting.get()
    });
    // Its creator may never have received the secrets: a creation left while the key was set up
    // leaves them unclaimed. Only asking for them tells, and that hands them out, so step 4
    // offers it (it says so when they were handed out already). Not when this app showed them.
    let me = session.signed_in().map(|s| s.user.id.clone());
    let shown_here = |me: &str| {
        created_here::use_created_here().is_some_and(|r| r.were_secrets_shown(me, &key.id))
    };
    let unclaimed_href = key
        .created_by
        .as_ref()
        .filter(|c| me.as_ref() == Some(&c.id) && ids::is_id(&key.id, ids::API_KEY))
        .filter(|c| !shown_here(&c.id))
        // The platform hands them only to a role that manages keys.
        .filter(|_| platform_types::roles_may_manage_keys(&session.roles()))
        .map(|_| links::key_step(&key.id));
    let (arx_url, usage_access) = (key.arx_url.clone(), key.access_key.clone());
    // Drawn again only when the answer changes it, not on every read of the key: the link may
    // have the focus.
    let refusal = Memo::new(move |_| {
        delete_permission(&latest.get(), &roles.get())
            .reason()
            .map(str::to_owned)
    });
    let key_id = key.id.clone();
    let delete = move || match refusal.get() {
        None => {
            // Over the dashboard as the person left it, which a delete then goes back to.
            let href = links::delete_key(&key_id, &use_router().dashboard_search());
            // Gone from under the focus (the key turned pending: deleted elsewhere), the focus
            // goes to the page's heading, which says which key this is.
            let link = NodeRef::<leptos::html::A>::new();
            on_cleanup(move || {
                if crate::focus::had_focus(link.try_get_untracked().flatten()) {
                    if let Some(title) = document().get_element_by_id("detail-title") {
                        crate::focus::focus(&title, true);
                    }
                }
            });
            // Marked in the history entry, so that closing the dialog comes back here.
            view! {
                <a node_ref=link href=href class="button danger" data-history-state=links::OPENED_HERE>"Delete API key"</a>
            }
            .into_any()
        }
        Some(r) => view! { <p class="muted">{r}</p> }.into_any(),
    };
    view! {
        <div class="page-head">
            <h1 id="detail-title">"API key " <code class="mono">{key.access_key_or_id().to_owned()}</code></h1>
            {move || view! { <StatusBadge status=status.get() deleting=deleting.get()/> }}
        </div>
        <div class="panel">
            <dl class="detail-grid">
                <dt>"API key"</dt>
                <dd>{if access.is_empty() {
                    // The contract lets a key (a failed one) have none; nothing to copy.
                    view! { <span class="muted">"None"</span> }.into_any()
                } else {
                    view! { <code class="mono">{access.clone()}</code>
                        <CopyButton text=access label="Copy API key"/> }.into_any()
                }}</dd>
                <dt>"Id"</dt><dd><code class="mono">{key.id.clone()}</code></dd>
                <dt>"Application"</dt><dd class="name">{app}</dd>
                <dt>"Arx"</dt><dd class="name">{arx_name}</dd>
                <dt>"Arx URL"</dt><dd>{if key.arx_url.is_empty() {
                    view! { <span class="muted">{shown::NOT_REPORTED}</span> }.into_any()
                } else {
                    view! { <code class="mono">{key.arx_url.clone()}</code> }.into_any()
                }}</dd>
                <dt>"Created"</dt><dd><TimeText shown=Signal::derive(move || time::show(&created_at, now.get())) exact=true/></dd>
                <dt>"Created by"</dt><dd class="name">{creator}</dd>
                <dt>"Last used"</dt><dd>{move || match &latest.get().last_used_at {
                    Some(t) => {
                        let t = t.clone();
                        view! { <TimeText shown=Signal::derive(move || time::show(&t, now.get())) exact=true/> }.into_any()
                    }
                    None => view! { <span class="muted">{shown::NOT_REPORTED}</span> }.into_any(),
                }}</dd>
            </dl>
        </div>
        {arx.map(|a| view! { <ArxDetails arx=(*a).clone()/> })}
        {move || usable.get().then(|| {
            // Gone from under the focus (the key failed, or was deleted), the focus goes to the
            // page's heading, which says which key this is, as the Delete link's does.
            let section = NodeRef::<leptos::html::Section>::new();
            on_cleanup(move || {
                let el = section.try_get_untracked().flatten();
                let inside = el
                    .zip(document().active_element())
                    .is_some_and(|(s, a)| s.contains(Some(&a)));
                if inside {
                    if let Some(title) = document().get_element_by_id("detail-title") {
                        crate::focus::focus(&title, true);
                    }
                }
            });
            view! {
            <section class="panel usage-section" aria-labelledby="usage-title" node_ref=section>
                <h2 id="usage-title">"Use this key"</h2>
                <p class="muted">
                    "Its secrets were shown once, when it was created. The program reads them from the environment: set "
                    <code>{ENV_SIGNING_KEY}</code>" and "<code>{ENV_SECRET_KEY}</code>" from where you stored them."
                </p>
                {unclaimed_href.clone().map(|href| view! {
                    <p class="muted" data-testid="unreceived-secrets">
                        "Never received them (the creation was left while the key was set up)? "
                        <a href=href class="link">"Show them, once"</a>
                    </p>
                })}
                <UsageTabs arx_url=arx_url.clone() access_key=usage_access.clone()/>
            </section>
            }
        })}
        <div class="detail-actions">{delete}</div>
    }
}

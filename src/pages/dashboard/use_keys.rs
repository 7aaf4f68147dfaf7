//! The tenant's API keys as the dashboard and the dialog over it see them: loaded once, kept
//! live while the page is open (pending keys polled until they settle; the list read again when
//! the tab comes back after a while, or when another tab changed a key), and changed in place by
//! what this tab does.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use platform_types::{Acl, ApiKey, ApiKeys, Arx, KeyStatus};

use super::rows::{Row, Rows};
use crate::api::retry::next_poll_delay_ms;
use crate::api::{use_api_client, ApiClient, ApiError};
use crate::key_events::use_key_events;
use crate::time;
use crate::timer::sleep_ms;

/// Back to the tab after this long, the list is read again.
const STALE_AFTER_MS: f64 = 30_000.0;

/// What the list carries beside its rows.
#[derive(Debug, Clone)]
pub struct ListFacts {
    /// The collection ACL (may this person create keys?).
    pub acl: Acl,
    /// Applications as (id, name), for the filter.
    pub applications: Vec<(String, String)>,
    /// Arx by id, for the rows' details and the filter.
    pub clusters: Arc<HashMap<String, Arx>>,
    /// When it was read.
    pub fetched_at: f64,
}

/// Handle to the keys; `Copy`, and in context for the dialog routed over the dashboard.
#[derive(Clone, Copy)]
pub struct UseKeys {
    /// Whether the list has loaded, with what came with it.
    pub list: LocalResource<Result<Arc<ListFacts>, ApiError>>,
    /// The keys, live.
    pub rows: RwSignal<Rows>,
}

impl UseKeys {
    /// What came with the list, once it has loaded; tracked.
    pub fn facts(&self) -> Option<Arc<ListFacts>> {
        self.list.get().and_then(Result::ok)
    }

    /// The key with `id`, if the list has it.
    pub fn find(&self, id: &str) -> Option<ApiKey> {
        self.rows
            .with_untracked(|rows| rows.iter().find(|r| r.key.id == id).map(|r| r.key.clone()))
    }

    /// Puts a fresher copy of a key into its row at once (adding it if the list lacks it).
    pub fn apply(&self, key: ApiKey) {
        self.rows.update(|rows| rows.upsert(key));
    }

    /// Reads the list again.
    pub fn reload(&self) {
        self.list.refetch();
    }
}

/// The keys of the dashboard's dialogs, when the dashboard is under them.
pub fn use_keys_context() -> Option<UseKeys> {
    use_context::<UseKeys>()
}

/// Loads the keys and keeps them live while the calling page lives.
pub fn use_keys() -> UseKeys {
    let client = use_api_client();
    let rows = RwSignal::new(Rows::default());
    let shown = StoredValue::new(None::<Arc<ListFacts>>);
    let list = {
        let client = client.clone();
        LocalResource::new(move || {
            let client = client.clone();
            async move {
                match client.list_keys().await {
                    Ok(data) => {
                        let (facts, list) = prepare(data);
                        rows.try_set(list);
                        shown.try_set_value(Some(facts.clone()));
                        // The other pages' code, once the keys are on screen.
                        crate::routes::prefetch();
                        Ok(facts)
                    }
                    // A list on screen stays when reading it again fails.
                    Err(e) => shown.try_get_value().flatten().ok_or(e),
                }
            }
        })
    };
    let keys = UseKeys { list, rows };
    provide_context(keys);
    poll_pending(keys, client);

    let on_focus = window_event_listener(ev::focus, move |_| {
        let stale = shown
            .get_value()
            .is_some_and(|f| time::now_ms() - f.fetched_at > STALE_AFTER_MS);
        if stale {
            keys.reload();
        }
    });
    on_cleanup(move || on_focus.remove());
    use_key_events(move |_| keys.reload());
    keys
}

/// Splits a `GET /keys` answer into the rows and what comes with them.
fn prepare(data: ApiKeys) -> (Arc<ListFacts>, Rows) {
    let facts = ListFacts {
        applications: data
            .model
            .applications
            .iter()
            .map(|a| (a.id.clone(), a.display_name().to_owned()))
            .collect(),
        clusters: Arc::new(
            data.model
                .clusters
                .into_iter()
                .map(|c| (c.id.clone(), c))
                .collect(),
        ),
        acl: data.acl,
        fetched_at: time::now_ms(),
    };
    let rows = data
        .api_keys
        .into_iter()
        .filter(|k| !k.id.is_empty())
        .map(Row::new)
        .collect();
    (Arc::new(facts), rows)
}

/// While any key is pending, asks for each with backoff and updates its row in place.
fn poll_pending(keys: UseKeys, client: ApiClient) {
    let pending = Memo::new(move |_| {
        keys.rows.with(|rows| {
            rows.iter()
                .filter(|r| r.key.status == KeyStatus::Pending)
                .map(|r| r.key.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let polling = StoredValue::new(false);
    let first_delay = client.config().poll_interval_ms;
    // The page's owner, not the effect's: one poller lives as long as the page.
    let owner = Owner::current();
    Effect::new(move |_| {
        if pending.with(Vec::is_empty) || polling.get_value() {
            return;
        }
        polling.set_value(true);
        let client = client.clone();
        let task = async move {
            let mut delay = first_delay;
            loop {
                sleep_ms(delay).await;
                let ids = pending.get_untracked();
                if ids.is_empty() {
                    break;
                }
                for id in ids {
                    if let Ok(key) = client.get_key(&id).await {
                        // A key gone from the list meanwhile is not put back.
                        keys.rows.update(|rows| {
                            let _ = rows.replace(key);
                        });
                    }
                }
                delay = next_poll_delay_ms(delay);
            }
            polling.set_value(false);
        };
        match &owner {
            Some(o) => o.with(|| spawn_local_scoped_with_cancellation(task)),
            None => spawn_local_scoped_with_cancellation(task),
        }
    });
}

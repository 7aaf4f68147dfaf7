//! The tenant's API keys as the dashboard and the dialog over it see them: loaded once, changed
//! in place by what this tab does (and kept live by `live.rs` once the page is up).

use std::sync::Arc;

use leptos::prelude::*;
use platform_types::{Acl, ApiKey, ApiKeys, Arx};

use super::kept::{use_kept_list, KeptList, Person};
use super::local_changes::LocalChanges;
use super::rows::{Row, Rows};
use crate::api::{use_api_client, ApiError};
use crate::components::load::Loaded;
use crate::time;

/// What the list carries beside its rows.
#[derive(Debug, Clone)]
pub struct ListFacts {
    /// The collection ACL (may this person create keys?).
    pub acl: Acl,
    /// Applications as (id, name), for the filter.
    pub applications: Vec<(String, String)>,
    /// The tenant's Arx, for the rows' details and the filter (a handful: found by id with a
    /// scan, as the other pages do).
    pub clusters: Arc<[Arx]>,
    /// When it was read.
    pub fetched_at: f64,
}

/// Handle to the keys; `Copy`, and in context for the dialog routed over the dashboard.
#[derive(Clone, Copy)]
pub struct UseKeys {
    /// Whether the list has loaded, with what came with it.
    pub list: Loaded<Result<Arc<ListFacts>, ApiError>>,
    /// The keys, live.
    pub rows: RwSignal<Rows>,
    /// Notified once a minute while the list is kept live, so that "5 minutes ago" moves on.
    /// A line's times are measured against the clock whenever the line is built again.
    pub minute: Trigger,
    /// Why reading the list again failed, while the list on screen is the one read before.
    pub refresh_failed: RwSignal<Option<ApiError>>,
    /// Whether that failure came from a try the list made by itself ([`mend_by_itself`]), which
    /// is made only while a failure shows: not news, and not said again.
    pub failed_by_itself: StoredValue<bool>,
    /// [`crate::key_events::told_here`] when the list was last asked for.
    pub asked_after: StoredValue<u32>,
    shown: StoredValue<Option<Arc<ListFacts>>>,
    /// What this tab changed, newer than any answer asked for before it.
    changes: StoredValue<LocalChanges>,
    /// Where the list goes when the dashboard does.
    kept: Option<KeptList>,
}

impl UseKeys {
    /// What came with the list, once it has loaded; tracked.
    pub fn facts(&self) -> Option<Arc<ListFacts>> {
        self.list.get().and_then(Result::ok)
    }

    /// What came with the list on screen, if any; untracked.
    pub fn facts_untracked(&self) -> Option<Arc<ListFacts>> {
        self.shown.try_get_value().flatten()
    }

    /// The key with `id`, if the list has it.
    pub fn find(&self, id: &str) -> Option<ApiKey> {
        self.rows
            .with_untracked(|rows| rows.iter().find(|r| r.key.id == id).map(|r| r.key.clone()))
    }

    /// Puts the platform's answer to a change `asker` made here into its row at once (adding it
    /// if the list lacks it). An answer asked for before it and given after cannot undo it. Once
    /// the dashboard has gone (Back while a delete was on its way), into the list it left kept,
    /// if that is the asker's.
    pub fn apply(&self, key: ApiKey, asker: Option<&Person>) {
        self.changes.update_value(|c| c.record(key.clone()));
        if !self.rows.is_disposed() {
            self.rows.update(|rows| rows.upsert(key));
        } else if let (Some(record), Some(asker)) = (self.kept, asker) {
            record.put(asker, key);
        }
    }

    /// Puts a key's polled status into its row; a key changed here is recorded as changed
    /// again, so that a list asked for before this answer does not put back the older change.
    pub fn settle(&self, key: ApiKey) {
        let ours = self
            .changes
            .try_with_value(|c| c.has(&key.id))
            .unwrap_or(false);
        if ours {
            self.changes.update_value(|c| c.record(key.clone()));
        }
        // A key gone from the list meanwhile is not put back.
        self.rows.update(|rows| {
            let _ = rows.replace(key);
        });
    }

    /// The mark of a read of the platform sent now, for [`UseKeys::changed_since`].
    pub fn mark(&self) -> u64 {
        self.changes.try_with_value(LocalChanges::mark).unwrap_or(0)
    }

    /// Whether this tab changed the key `id` after a read marked `mark` was sent: its answer
    /// about that key is older than the row.
    pub fn changed_since(&self, id: &str, mark: u64) -> bool {
        self.changes
            .try_with_value(|c| c.changed_since(id, mark))
            .unwrap_or(false)
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
    let record = use_kept_list();
    // Whom the list on screen was read for: it is kept for them alone when the page goes.
    let read_for = StoredValue::new(record.and_then(|r| r.person()));
    let kept = record.and_then(|r| r.take());
    let (kept_facts, kept_rows) = kept.map_or((None, Rows::default()), |(f, r)| (Some(f), r));
    let rows = RwSignal::new(kept_rows);
    let shown = StoredValue::new(kept_facts.clone());
    let refresh_failed = RwSignal::new(None::<ApiError>);
    let failed_by_itself = StoredValue::new(false);
    let asked_after = StoredValue::new(0);
    let changes = StoredValue::new(LocalChanges::default());
    // Set by [`mend_by_itself`] as it asks for the list again, taken by the loader call that
    // follows: that read's failure is not said again.
    let mending = StoredValue::new(false);
    let list = {
        let client = client.clone();
        Loaded::after(kept_facts.map(Ok), move || {
            asked_after.set_value(crate::key_events::told_here());
            let mark = changes.with_value(LocalChanges::mark);
            let asker = record.and_then(|r| r.person());
            let by_itself = mending.try_update_value(std::mem::take).unwrap_or(false);
            // Nobody waits on a read made by itself: the failure it may mend is on screen
            // already, and "Still trying…" with each round would be said again and again.
            let client = if by_itself {
                client.in_background()
            } else {
                client.clone()
            };
            async move {
                match client.list_keys().await {
                    Ok(data) => {
                        read_for.try_set_value(asker);
                        let (facts, mut list) = prepare(data);
                        // What this tab changed after the list was asked for is newer than it.
                        let newer = changes
                            .try_with_value(|c| c.since(mark).cloned().collect::<Vec<_>>())
                            .unwrap_or_default();
                        for key in newer {
                            list.upsert(key);
                        }
                        rows.try_set(list);
                        shown.try_set_value(Some(facts.clone()));
                        refresh_failed.try_set(None);
                        // The other pages' code, once the keys are on screen.
                        crate::routes::prefetch();
                        Ok(facts)
                    }
                    // A list on screen stays when reading it again fails, and says so.
                    Err(e) => match shown.try_get_value().flatten() {
                        Some(facts) => {
                            // Said again when the list was asked for again (by the person, a
                            // tab come back, news from another tab), not with each try
                            // `mend_by_itself` makes while the failure lasts.
                            failed_by_itself.try_set_value(by_itself);
                            refresh_failed.try_set(Some(e));
                            Ok(facts)
                        }
                        None => Err(e),
                    },
                }
            }
        })
    };
    mend_by_itself(list, refresh_failed, mending);
    if let Some(record) = record {
        // The signals are still there: an owner's cleanups run before its signals go.
        on_cleanup(move || {
            let person = read_for.try_get_value().flatten();
            let facts = shown.try_get_value().flatten();
            let rows = rows.try_update_untracked(std::mem::take);
            if let (Some(person), Some(facts), Some(rows)) = (person, facts, rows) {
                record.keep(person, facts, rows);
            }
        });
    }
    let keys = UseKeys {
        list,
        rows,
        minute: Trigger::new(),
        refresh_failed,
        failed_by_itself,
        asked_after,
        shown,
        changes,
        kept: record,
    };
    provide_context(keys);
    keys
}

/// How long a failure that may pass shows before the list is asked for again; each time after,
/// half as long again, up to a minute.
const MEND_AFTER_MS: u32 = 5_000;
const MEND_AT_MOST_MS: u32 = 60_000;

/// A failure on screen that may pass (the platform or the network down, a timeout) mends itself
/// once it has: the list is asked for again, with backoff, for as long as the failure shows, and
/// never before the wait the platform asked for; whether the failure shows as the error panel
/// or, over a list read before, as the stale notice. "Try again" stays for whoever will not wait.
fn mend_by_itself(
    list: Loaded<Result<Arc<ListFacts>, ApiError>>,
    refresh_failed: RwSignal<Option<ApiError>>,
    mending: StoredValue<bool>,
) {
    let wait = StoredValue::new(MEND_AFTER_MS);
    let may_pass = |e: &ApiError| e.is_retryable().then(|| e.asked_wait_ms());
    Effect::new(move |_| {
        // Each answer sets the list, a failure over a list read before too.
        let asked = match list.get() {
            Some(Err(e)) => may_pass(&e),
            Some(Ok(_)) => refresh_failed
                .try_with_untracked(|f| f.as_ref().and_then(may_pass))
                .flatten(),
            None => None,
        };
        let Some(asked) = asked else {
            wait.set_value(MEND_AFTER_MS);
            return;
        };
        let ms = wait.get_value();
        wait.set_value((ms + ms / 2).min(MEND_AT_MOST_MS));
        let ms = ms.max(asked);
        // Scoped to this run of the effect: an answer meanwhile cancels it.
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            crate::timer::sleep_ms(ms).await;
            // A read out meanwhile (a pressed "Try again") answers, and this runs again then.
            if list.loading().get_untracked() {
                return;
            }
            mending.set_value(true);
            list.refetch();
        });
    });
}

/// Splits a `GET /keys` answer into the rows and what comes with them.
fn prepare(data: ApiKeys) -> (Arc<ListFacts>, Rows) {
    let facts = ListFacts {
        applications: data
            .model
            .applications
            .iter()
            .map(|a| {
                (
                    a.id.clone(),
                    crate::shown::name(a.display_name()).into_owned(),
                )
            })
            .collect(),
        clusters: data.model.clusters.into(),
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

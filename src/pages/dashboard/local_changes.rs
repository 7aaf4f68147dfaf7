//! This tab's own changes to the list (a delete's answer), and the keys its polls saw settle,
//! numbered, so that an answer the platform gave before one of them cannot undo it: a list or a
//! poll asked for before a delete and answered after it would bring the key back as it was, and
//! a list asked for before a poll saw a key settle would put it back to pending.

use platform_types::ApiKey;

/// How many changes are kept: far more than a tab makes while one read is on its way.
const KEPT: usize = 64;

/// Where a change comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// This tab's own (a delete's answer): a list that lacks the key gets it back, as the change
    /// left it.
    Here,
    /// A poll's answer that the key settled: a list that lacks the key has seen it go since.
    Settled,
}

/// The changes this tab made or saw, each with its number.
#[derive(Debug, Default)]
pub struct LocalChanges {
    made: u64,
    kept: Vec<(u64, ApiKey, Origin)>,
}

impl LocalChanges {
    /// The mark of a read sent now: its answer holds every change made so far.
    pub fn mark(&self) -> u64 {
        self.made
    }

    /// Records a change: the key as the platform answered it.
    pub fn record(&mut self, key: ApiKey, origin: Origin) {
        self.made += 1;
        if self.kept.len() == KEPT {
            self.kept.remove(0);
        }
        self.kept.push((self.made, key, origin));
    }

    /// Whether this tab has changed the key `id` itself (among the changes it keeps).
    pub fn has(&self, id: &str) -> bool {
        self.kept
            .iter()
            .any(|(_, k, o)| *o == Origin::Here && k.id == id)
    }

    /// Whether the key `id` was changed or seen to settle after `mark`, so that an answer about
    /// it read at `mark` is older than what this tab knows.
    pub fn changed_since(&self, id: &str, mark: u64) -> bool {
        self.kept.iter().any(|(n, k, _)| *n > mark && k.id == id)
    }

    /// The changes after `mark`, oldest first: what a list read at `mark` is to be corrected
    /// with.
    pub fn since(&self, mark: u64) -> impl Iterator<Item = (&ApiKey, Origin)> {
        self.kept
            .iter()
            .filter(move |(n, _, _)| *n > mark)
            .map(|(_, k, o)| (k, *o))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform_types::KeyStatus;

    fn key(id: &str, status: KeyStatus) -> ApiKey {
        ApiKey {
            id: id.into(),
            status,
            ..Default::default()
        }
    }

    #[test]
    fn a_read_sent_before_a_change_is_older_and_one_sent_after_is_not() {
        let mut changes = LocalChanges::default();
        let before = changes.mark();
        changes.record(key("apikey--a", KeyStatus::Pending), Origin::Here);
        let after = changes.mark();
        assert!(changes.changed_since("apikey--a", before));
        assert!(!changes.changed_since("apikey--b", before));
        assert!(!changes.changed_since("apikey--a", after));
        let newer: Vec<_> = changes.since(before).map(|(k, _)| k.id.as_str()).collect();
        assert_eq!(newer, ["apikey--a"]);
        assert_eq!(changes.since(after).count(), 0);
    }

    #[test]
    fn changes_come_back_oldest_first_and_only_the_last_are_kept() {
        let mut changes = LocalChanges::default();
        let start = changes.mark();
        changes.record(key("apikey--a", KeyStatus::Pending), Origin::Here);
        changes.record(key("apikey--a", KeyStatus::Deleted), Origin::Here);
        let statuses: Vec<_> = changes
            .since(start)
            .map(|(k, _)| k.status.clone())
            .collect();
        assert_eq!(statuses, [KeyStatus::Pending, KeyStatus::Deleted]);
        for n in 0..KEPT {
            changes.record(
                key(&format!("apikey--{n}"), KeyStatus::Pending),
                Origin::Here,
            );
        }
        assert_eq!(changes.since(start).count(), KEPT);
        assert!(!changes.changed_since("apikey--a", start));
        assert!(!changes.has("apikey--a"));
        assert!(changes.has("apikey--0"));
    }

    #[test]
    fn a_key_seen_settling_is_not_a_change_of_this_tab_s_own() {
        let mut changes = LocalChanges::default();
        let before = changes.mark();
        changes.record(key("apikey--a", KeyStatus::Active), Origin::Settled);
        assert!(!changes.has("apikey--a"), "not this tab's own change");
        assert!(
            changes.changed_since("apikey--a", before),
            "newer than a read before it"
        );
        let newer: Vec<_> = changes.since(before).map(|(_, o)| o).collect();
        assert_eq!(newer, [Origin::Settled]);
    }
}

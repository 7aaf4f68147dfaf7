//! This tab's own changes to the list (a delete's answer), numbered, so that an answer the
//! platform gave before one of them cannot undo it: a list or a poll asked for before a delete
//! and answered after it would bring the key back as it was.

use platform_types::ApiKey;

/// How many changes are kept: far more than a tab makes while one read is on its way.
const KEPT: usize = 64;

/// The changes this tab made, each with its number.
#[derive(Debug, Default)]
pub struct LocalChanges {
    made: u64,
    kept: Vec<(u64, ApiKey)>,
}

impl LocalChanges {
    /// The mark of a read sent now: its answer holds every change made so far.
    pub fn mark(&self) -> u64 {
        self.made
    }

    /// Records a change made here: the key as the platform answered it.
    pub fn record(&mut self, key: ApiKey) {
        self.made += 1;
        if self.kept.len() == KEPT {
            self.kept.remove(0);
        }
        self.kept.push((self.made, key));
    }

    /// Whether this tab has changed the key `id` (among the changes it keeps).
    pub fn has(&self, id: &str) -> bool {
        self.kept.iter().any(|(_, k)| k.id == id)
    }

    /// Whether the key `id` was changed here after `mark`, so that an answer about it read at
    /// `mark` is older than what this tab knows.
    pub fn changed_since(&self, id: &str, mark: u64) -> bool {
        self.kept.iter().any(|(n, k)| *n > mark && k.id == id)
    }

    /// The keys changed here after `mark`, oldest change first: what a list read at `mark` is
    /// to be corrected with.
    pub fn since(&self, mark: u64) -> impl Iterator<Item = &ApiKey> {
        self.kept
            .iter()
            .filter(move |(n, _)| *n > mark)
            .map(|(_, k)| k)
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
        changes.record(key("apikey--a", KeyStatus::Pending));
        let after = changes.mark();
        assert!(changes.changed_since("apikey--a", before));
        assert!(!changes.changed_since("apikey--b", before));
        assert!(!changes.changed_since("apikey--a", after));
        let newer: Vec<_> = changes.since(before).map(|k| k.id.as_str()).collect();
        assert_eq!(newer, ["apikey--a"]);
        assert_eq!(changes.since(after).count(), 0);
    }

    #[test]
    fn changes_come_back_oldest_first_and_only_the_last_are_kept() {
        let mut changes = LocalChanges::default();
        let start = changes.mark();
        changes.record(key("apikey--a", KeyStatus::Pending));
        changes.record(key("apikey--a", KeyStatus::Deleted));
        let statuses: Vec<_> = changes.since(start).map(|k| k.status.clone()).collect();
        assert_eq!(statuses, [KeyStatus::Pending, KeyStatus::Deleted]);
        for n in 0..KEPT {
            changes.record(key(&format!("apikey--{n}"), KeyStatus::Pending));
        }
        assert_eq!(changes.since(start).count(), KEPT);
        assert!(!changes.changed_since("apikey--a", start));
        assert!(!changes.has("apikey--a"));
        assert!(changes.has("apikey--0"));
    }
}

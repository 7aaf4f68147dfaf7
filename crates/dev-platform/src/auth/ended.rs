//! Sign-ins that have ended (signed out, or revoked as stolen) while access tokens issued for
//! them may still be unexpired. An access token names its sign-in (`sid`), and a token of an
//! ended one is refused, so that signing out ends the session at once, not when the token
//! expires.
//!
//! Kept in memory, because every platform request asks: the database is the record
//! (`refresh_families.revoked_at`), read at start. An entry is needed only while a token
//! issued before the end can live, one token lifetime, and is dropped after that.

use std::collections::HashMap;
use std::sync::Mutex;

/// The ended sign-ins still within a token's lifetime of their end.
pub struct EndedSessions {
    token_ttl_secs: i64,
    ended: Mutex<HashMap<String, i64>>,
}

impl EndedSessions {
    /// Starts from `ended` (family id, when), as the database records them.
    pub fn new(token_ttl_secs: u64, ended: impl IntoIterator<Item = (String, i64)>) -> Self {
        Self {
            token_ttl_secs: i64::try_from(token_ttl_secs).unwrap_or(i64::MAX),
            ended: Mutex::new(ended.into_iter().collect()),
        }
    }

    /// How far back the database's record must be read at start: tokens issued before then
    /// have expired.
    pub fn horizon(token_ttl_secs: u64, now: i64) -> i64 {
        now.saturating_sub(i64::try_from(token_ttl_secs).unwrap_or(i64::MAX))
    }

    /// Records that sign-in `sid` ended at `now`, and forgets those no token can outlive.
    pub fn end(&self, sid: &str, now: i64) {
        let mut ended = self.ended.lock().unwrap_or_else(|p| p.into_inner());
        let horizon = now.saturating_sub(self.token_ttl_secs);
        ended.retain(|_, at| *at >= horizon);
        ended.insert(sid.to_owned(), now);
    }

    /// Whether sign-in `sid` has ended.
    pub fn has_ended(&self, sid: &str) -> bool {
        self.ended
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(sid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_end_is_kept_for_one_token_lifetime() {
        let e = EndedSessions::new(900, [("old".to_owned(), 1_000)]);
        assert!(e.has_ended("old"));
        assert!(!e.has_ended("other"));
        e.end("new", 1_900);
        assert!(
            e.has_ended("old"),
            "a token issued just before 1000 lives to 1900"
        );
        e.end("newer", 1_901);
        assert!(!e.has_ended("old"), "no token of it can be alive");
        assert!(e.has_ended("new") && e.has_ended("newer"));
    }
}

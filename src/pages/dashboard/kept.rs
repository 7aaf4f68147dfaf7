//! The list the dashboard showed last, kept when the dashboard goes (to a key's page, the
//! wizard), so that coming back shows the person's keys at once instead of a skeleton while
//! they are read again. The dashboard reads them again all the same, and what it reads replaces
//! them; a read that fails then leaves them up with the stale notice, as for a list on screen.
//!
//! The person's own: kept with the person and tenant it was read for and given only to them,
//! and dropped once nobody is signed in (a sign-out, here or in another tab, or an expired
//! session), so the next person to sign in on this browser never sees it. In memory only, as
//! everything the console holds; identifiers and names, never a secret.

use std::sync::Arc;

use leptos::prelude::*;
use platform_types::ApiKey;

use super::rows::Rows;
use super::use_keys::ListFacts;
use crate::session::Session;

/// Whom a list was read for: user id and tenant.
pub type Person = (String, String);

struct Kept {
    person: Person,
    facts: Arc<ListFacts>,
    rows: Rows,
}

/// The kept list, as [`provide`] starts it.
#[derive(Clone, Copy)]
pub struct KeptList {
    kept: StoredValue<Option<Kept>>,
    session: Session,
}

/// Starts the record; call once near the root.
pub fn provide(session: Session) {
    let record = KeptList {
        kept: StoredValue::new(None),
        session,
    };
    Effect::new(move |_| {
        if session.signed_in().is_none() {
            record.kept.try_set_value(None);
        }
    });
    provide_context(record);
}

/// The record, when the app has one.
pub fn use_kept_list() -> Option<KeptList> {
    use_context()
}

impl KeptList {
    /// Who is signed in now, untracked; `None` once the app has gone.
    pub fn person(&self) -> Option<Person> {
        self.session.person_untracked()
    }

    /// Keeps `rows` and what came with them, read for `person`, if that is who is signed in.
    pub fn keep(&self, person: Person, facts: Arc<ListFacts>, rows: Rows) {
        if self.person().as_ref() == Some(&person) {
            self.kept.try_set_value(Some(Kept {
                person,
                facts,
                rows,
            }));
        }
    }

    /// The list kept for the person signed in, taken out of the record.
    pub fn take(&self) -> Option<(Arc<ListFacts>, Rows)> {
        let me = self.person()?;
        let kept = self.kept.try_update_value(Option::take).flatten()?;
        (kept.person == me).then_some((kept.facts, kept.rows))
    }

    /// Puts a key `person` made or changed while the dashboard was gone (the wizard's new key,
    /// a delete answered after it went) into their kept list, so that they see it as it is
    /// when they come back.
    pub fn put(&self, person: &Person, key: ApiKey) {
        self.kept.try_update_value(|kept| {
            if let Some(kept) = kept.as_mut().filter(|k| k.person == *person) {
                kept.rows.upsert(key);
            }
        });
    }
}

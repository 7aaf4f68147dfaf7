//! The keys this app has created, with who was signed in, from which choices, and whether it
//! showed their secrets. The wizard's entries stay in the browser's history after a key is
//! made, so Back can return to them: the summary with the same choices then says a key was made
//! from them (Create again makes a second one), and step 4 of a key whose secrets were shown
//! here says so, rather than offering to ask for secrets the platform has handed out. Ids only,
//! never a secret, and in memory only, for as long as the app runs.

use leptos::prelude::*;
use platform_types::{ApiKey, CreateApiKeyRequest};

use crate::session::Session;

struct Made {
    user: String,
    key: String,
    access_key: String,
    application: String,
    arx: String,
    /// Made by this app's wizard; not when only its secrets were shown here (asked for from step
    /// 4 after a reload, or from the key's page).
    made: bool,
    secrets_shown: bool,
}

/// A create whose outcome is unknown (its answer was lost): its intent, kept past the wizard
/// that made it. A session that ends meanwhile takes the person through the sign-in and back to
/// the review; the wizard they come back to takes this intent up, so that Create replays it
/// rather than making a second key. Let go when the person leaves it by choice: out of the
/// wizard while signed in (the wizard asks first), or by signing out (the next sign-in starts
/// afresh).
struct Open {
    user: String,
    idempotency_key: String,
    request: CreateApiKeyRequest,
    /// When its create was sent: an answer lost later than another's does not give way to it.
    sent_at: f64,
}

/// The record, as [`provide`] starts it: `Copy`, so that a task may take it along. Its third
/// part counts the times the person let an open create go ([`CreatedHere::let_go`]): a create
/// whose answer comes after such a time was let go with its wizard, and is not kept.
#[derive(Clone, Copy)]
pub struct CreatedHere(
    StoredValue<Vec<Made>>,
    StoredValue<Option<Open>>,
    StoredValue<u32>,
);

/// Starts the record; call once near the root.
pub fn provide(session: Session) {
    let record = CreatedHere(
        StoredValue::new(Vec::new()),
        StoredValue::new(None),
        StoredValue::new(0),
    );
    Effect::new(move |_| {
        if session.left() {
            record.let_go();
        }
    });
    provide_context(record);
}

/// The record, when the app has one.
pub fn use_created_here() -> Option<CreatedHere> {
    use_context()
}

impl CreatedHere {
    /// Remembers that `user` created `key` from `request`'s choices.
    pub fn created(&self, user: &str, key: &ApiKey, request: &CreateApiKeyRequest) {
        self.0.update_value(|r| {
            r.push(Made {
                user: user.to_owned(),
                key: key.id.clone(),
                access_key: key.access_key.clone(),
                application: request.api_key.application_id.clone().unwrap_or_default(),
                arx: request.api_key.cluster_id.clone(),
                made: true,
                secrets_shown: false,
            })
        });
    }

    /// Remembers that the secrets of `key` were shown to `user`.
    pub fn secrets_shown(&self, user: &str, key: &str) {
        self.0.update_value(|r| {
            if let Some(m) = r.iter_mut().find(|m| m.user == user && m.key == key) {
                m.secrets_shown = true;
            } else {
                // Shown on request after a reload of step 4: created before this app ran.
                r.push(Made {
                    user: user.to_owned(),
                    key: key.to_owned(),
                    access_key: String::new(),
                    application: String::new(),
                    arx: String::new(),
                    made: false,
                    secrets_shown: true,
                });
            }
        });
    }

    /// Whether `user` created `key` here.
    pub fn made_here(&self, user: &str, key: &str) -> bool {
        self.0
            .with_value(|r| r.iter().any(|m| m.made && m.user == user && m.key == key))
    }

    /// Whether the secrets of `key` were shown to `user` here.
    pub fn were_secrets_shown(&self, user: &str, key: &str) -> bool {
        self.0.with_value(|r| {
            r.iter()
                .any(|m| m.user == user && m.key == key && m.secrets_shown)
        })
    }

    /// Keeps `user`'s create intent whose outcome is unknown (see [`Open`]), sent at `sent_at`;
    /// not over one kept that was sent later (a new wizard's, whose answer was lost first).
    pub fn keep_open(
        &self,
        user: &str,
        idempotency_key: &str,
        request: &CreateApiKeyRequest,
        sent_at: f64,
    ) {
        self.1.try_update_value(|kept| {
            if kept.as_ref().is_some_and(|k| k.sent_at > sent_at) {
                return;
            }
            *kept = Some(Open {
                user: user.to_owned(),
                idempotency_key: idempotency_key.to_owned(),
                request: request.clone(),
                sent_at,
            });
        });
    }

    /// Forgets the intent of `idempotency_key` if it is the one kept: it was settled. Another
    /// kept since stays.
    pub fn close_open(&self, idempotency_key: &str) {
        self.1.try_update_value(|kept| {
            if kept
                .as_ref()
                .is_some_and(|k| k.idempotency_key == idempotency_key)
            {
                *kept = None;
            }
        });
    }

    /// The person chose to leave what is open: out of the wizard while signed in (it asked
    /// first), or by signing out (the next sign-in starts afresh). Forgets the intent kept,
    /// and any on its way whose answer is yet to come ([`CreatedHere::let_go_count`]).
    pub fn let_go(&self) {
        self.1.try_set_value(None);
        self.2.try_update_value(|n| *n = n.wrapping_add(1));
    }

    /// How many times the person has let go so far: a create takes it as it is sent, and its
    /// answer, if lost, is kept open only if the count has not moved since.
    pub fn let_go_count(&self) -> u32 {
        self.2.try_get_value().unwrap_or_default()
    }

    /// The idempotency key and request of `user`'s intent kept open, if any.
    pub fn open_for(&self, user: &str) -> Option<(String, CreateApiKeyRequest)> {
        self.1.with_value(|o| {
            o.as_ref()
                .filter(|o| o.user == user)
                .map(|o| (o.idempotency_key.clone(), o.request.clone()))
        })
    }

    /// The id and access key of the last key `user` created here from `application` on `arx`.
    pub fn made_from(&self, user: &str, application: &str, arx: &str) -> Option<(String, String)> {
        self.0.with_value(|r| {
            r.iter()
                .rev()
                .find(|m| m.user == user && m.application == application && m.arx == arx)
                .map(|m| (m.key.clone(), m.access_key.clone()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform_types::{CreateApiKey, CreateApiKeyRequest};

    fn request(arx: &str) -> CreateApiKeyRequest {
        CreateApiKeyRequest {
            api_key: CreateApiKey {
                cluster_id: arx.into(),
                ..Default::default()
            },
        }
    }

    fn record() -> CreatedHere {
        CreatedHere(
            StoredValue::new(Vec::new()),
            StoredValue::new(None),
            StoredValue::new(0),
        )
    }

    fn kept(r: &CreatedHere) -> Option<String> {
        r.open_for("user--1").map(|(key, _)| key)
    }

    #[test]
    fn a_key_whose_secrets_were_only_shown_here_was_not_made_here() {
        let r = record();
        let key = ApiKey {
            id: "apikey--made".into(),
            ..Default::default()
        };
        r.created("user--1", &key, &request("arx--a"));
        r.secrets_shown("user--1", "apikey--made");
        r.secrets_shown("user--1", "apikey--older");
        assert!(r.made_here("user--1", "apikey--made"));
        assert!(!r.made_here("user--2", "apikey--made"));
        assert!(!r.made_here("user--1", "apikey--older"));
        assert!(r.were_secrets_shown("user--1", "apikey--older"));
    }

    #[test]
    fn the_intent_kept_is_the_last_sent_and_only_its_own_answer_settles_it() {
        let r = record();
        r.keep_open("user--1", "first", &request("arx--a"), 1.0);
        r.keep_open("user--1", "second", &request("arx--b"), 2.0);
        assert_eq!(kept(&r).as_deref(), Some("second"));
        // The first's answer, lost again later, does not put it back over the second.
        r.keep_open("user--1", "first", &request("arx--a"), 1.0);
        assert_eq!(kept(&r).as_deref(), Some("second"));
        // The first settled: the second stays open.
        r.close_open("first");
        assert_eq!(kept(&r).as_deref(), Some("second"));
        assert_eq!(
            r.open_for("user--2"),
            None,
            "another person's is not theirs"
        );
        r.close_open("second");
        assert_eq!(kept(&r), None);
        r.keep_open("user--1", "third", &request("arx--a"), 3.0);
        r.let_go();
        assert_eq!(kept(&r), None);
        assert_eq!(r.let_go_count(), 1);
    }
}

//! Permissions with reasons, as the platform sends them (contract §5.1, `Acl`).

use serde::{Deserialize, Serialize};

/// Permissions with reasons: `{"can": {"add": true}, "can_not": {"delete_reason": "…"}}`.
///
/// Each map is kept as a short list sorted by name (the wire form is still a JSON object):
/// every key of a list carries an ACL with one or two entries, and a `BTreeMap` allocates a
/// node of eleven slots for each, ~1 kB per key and a tenth of the decode time of 10,000 keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Acl {
    /// Action name → allowed.
    #[serde(with = "sorted_pairs")]
    pub can: Vec<(String, bool)>,
    /// `<action>_reason` → why the action is not allowed.
    #[serde(with = "sorted_pairs")]
    pub can_not: Vec<(String, String)>,
}

fn lookup<'a, V>(pairs: &'a [(String, V)], name: &str) -> Option<&'a V> {
    pairs
        .binary_search_by(|(k, _)| k.as_str().cmp(name))
        .ok()
        .map(|i| &pairs[i].1)
}

/// Puts `name → value` in its sorted place, replacing an entry of the same name.
fn insert_sorted<V>(pairs: &mut Vec<(String, V)>, name: String, value: V) {
    match pairs.binary_search_by(|(k, _)| k.as_str().cmp(&name)) {
        Ok(i) => pairs[i].1 = value,
        Err(i) => pairs.insert(i, (name, value)),
    }
}

/// A JSON object as a list of pairs sorted by name; `null` reads as empty, a name with a `null`
/// value as absent, a repeated name keeps its last value (as a map would).
mod sorted_pairs {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{MapAccess, Visitor};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer, V: Serialize>(
        pairs: &[(String, V)],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
    }

    pub fn deserialize<'de, D, V>(d: D) -> Result<Vec<(String, V)>, D::Error>
    where
        D: Deserializer<'de>,
        V: Deserialize<'de>,
    {
        struct Pairs<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Pairs<V> {
            type Value = Vec<(String, V)>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object or null")
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0).min(16));
                // A `null` value says no more than an absent name (contract §2), also when it
                // comes last for a name given twice.
                while let Some((k, v)) = map.next_entry::<String, Option<V>>()? {
                    match v {
                        Some(v) => super::insert_sorted(&mut pairs, k, v),
                        None => pairs.retain(|(name, _)| *name != k),
                    }
                }
                Ok(pairs)
            }
        }
        d.deserialize_any(Pairs(PhantomData))
    }
}

impl Acl {
    /// Whether `action` is allowed, or `None` when the ACL does not mention it.
    pub fn allows(&self, action: &str) -> Option<bool> {
        lookup(&self.can, action).copied()
    }

    /// The server's reason for refusing `action`, if it gave one.
    pub fn reason(&self, action: &str) -> Option<&str> {
        lookup(&self.can_not, &format!("{action}_reason"))
            .map(String::as_str)
            .filter(|r| !r.is_empty())
    }

    /// Sets `action` to allowed or refused with `reason`.
    pub fn set(&mut self, action: &str, allowed: bool, reason: &str) {
        insert_sorted(&mut self.can, action.to_owned(), allowed);
        if !allowed {
            insert_sorted(
                &mut self.can_not,
                format!("{action}_reason"),
                reason.to_owned(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acl_reads_a_null_action_or_reason_as_absent() {
        let acl: Acl = serde_json::from_str(
            r#"{"can": {"delete": null, "add": true, "edit": true, "edit": null}, "can_not": {"delete_reason": null}}"#,
        )
        .unwrap();
        assert_eq!(acl.allows("delete"), None);
        assert_eq!(
            acl.allows("edit"),
            None,
            "the last value of a repeated name"
        );
        assert_eq!(acl.allows("add"), Some(true));
        assert_eq!(acl.reason("delete"), None);
    }

    #[test]
    fn acl_reads_objects_in_any_order_and_null_and_writes_objects() {
        let acl: Acl = serde_json::from_str(
            r#"{"can": {"delete": false, "add": true, "delete": true}, "can_not": null}"#,
        )
        .unwrap();
        assert_eq!(acl.allows("add"), Some(true));
        assert_eq!(
            acl.allows("delete"),
            Some(true),
            "a repeated name keeps its last value"
        );
        assert_eq!(acl.allows("edit"), None);
        assert_eq!(acl.reason("delete"), None);
        let json = serde_json::to_value(&acl).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"can": {"add": true, "delete": true}, "can_not": {}})
        );
        let other: Acl = serde_json::from_str(r#"{"can": {"add": true, "delete": true}}"#).unwrap();
        assert_eq!(acl, other, "equality does not depend on the order sent");
        assert!(serde_json::from_str::<Acl>(r#"{"can": [true]}"#).is_err());
    }

    #[test]
    fn acl_reports_permission_and_reason() {
        let mut acl = Acl::default();
        assert_eq!(acl.allows("delete"), None);
        acl.set(
            "delete",
            false,
            "Only Platform Owners and Developers can delete API keys",
        );
        assert_eq!(acl.allows("delete"), Some(false));
        assert_eq!(
            acl.reason("delete"),
            Some("Only Platform Owners and Developers can delete API keys")
        );
    }
}

//! What the person types to confirm a delete, and what the hint under the field says of it.

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

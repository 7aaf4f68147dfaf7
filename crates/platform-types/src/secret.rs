//! A string that must not leak: zeroed on drop, printed as `[redacted]`.

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use zeroize::Zeroizing;

/// A one-time secret. `Debug` and `Display` print `[redacted]`; the bytes are zeroed when the
/// value is dropped. Reading it takes an explicit call to [`Secret::expose`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps `value`, taking ownership so no unzeroed copy stays behind in the caller.
    pub fn new(value: String) -> Self {
        Self(Zeroizing::new(value))
    }

    /// The secret text. Every call site is a place where the secret leaves the wrapper.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether there is no secret (e.g. no client key for a server application).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Read from JSON text only (`serde_json::from_str` or `from_slice`): the value's own text,
/// borrowed from the answer (which the console zeroes once decoded), is unescaped straight into
/// the zeroing buffer. serde_json would unescape a string holding an escape (`\/`, `\u00e9`) in
/// a scratch buffer of its own and free it unzeroed, leaving a copy of the secret behind
/// (`tests/secret_copies.rs` of the console). `null` is no secret.
impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        unescape(raw.get())
            .map(Self)
            .ok_or_else(|| D::Error::custom("a secret must be a JSON string"))
    }
}

/// The text the JSON string literal `json` (quotes included) spells, `null` as the empty string;
/// `None` for anything else. Written into one buffer of the literal's length, which the text
/// cannot outgrow (every escape is longer than what it spells), so it is never moved.
fn unescape(json: &str) -> Option<Zeroizing<String>> {
    if json == "null" {
        return Some(Zeroizing::default());
    }
    let body = json.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = Zeroizing::new(String::with_capacity(body.len()));
    let mut rest = body;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let escape = &rest[at + 1..];
        let short = match escape.as_bytes().first()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let (c, after) = unicode_escape(&escape[1..])?;
                out.push(c);
                rest = after;
                continue;
            }
            _ => return None,
        };
        out.push(short);
        rest = &escape[1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The character of a `\u` escape whose four hex digits start `s` (with the low half that
/// must follow a high surrogate), and what follows it.
fn unicode_escape(s: &str) -> Option<(char, &str)> {
    let (high, after) = hex4(s)?;
    if !(0xD800..0xDC00).contains(&high) {
        // A lone low surrogate is no character: `from_u32` refuses it.
        return Some((char::from_u32(high)?, after));
    }
    let (low, after) = hex4(after.strip_prefix("\\u")?)?;
    if !(0xDC00..0xE000).contains(&low) {
        return None;
    }
    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
    Some((char::from_u32(code)?, after))
}

/// The value of the four hex digits that start `s`, and what follows them.
fn hex4(s: &str) -> Option<(u32, &str)> {
    let digits = s
        .get(..4)
        .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))?;
    Some((u32::from_str_radix(digits, 16).ok()?, &s[4..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_redacted() {
        let s = Secret::new("sk_live_abc".into());
        assert_eq!(format!("{s}"), "[redacted]");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&s)), "Some([redacted])");
        assert_eq!(s.expose(), "sk_live_abc");
    }

    #[test]
    fn round_trips_as_a_plain_string() {
        let s: Secret = serde_json::from_str(r#""abc""#).unwrap();
        assert_eq!(s.expose(), "abc");
        assert_eq!(serde_json::to_string(&s).unwrap(), r#""abc""#);
        let n: Secret = serde_json::from_str("null").unwrap();
        assert!(n.is_empty());
    }

    #[test]
    fn reads_every_escape_and_refuses_what_is_no_string() {
        let s: Secret =
            serde_json::from_str(r#""a\/\"\\\b\f\n\r\t\u00e9\u00C9\ud83d\udd10z""#).unwrap();
        assert_eq!(s.expose(), "a/\"\\\u{8}\u{c}\n\r\t\u{e9}\u{c9}\u{1F510}z");
        for bad in [
            "1",
            "true",
            "[]",
            "{}",
            r#""\x""#,
            r#""\u12""#,
            r#""\u12g4""#,
            r#""\u+123""#,
            r#""\ud800""#,
            r#""\ud800\u0041""#,
            r#""\udc00""#,
        ] {
            assert!(
                serde_json::from_str::<Secret>(bad).is_err(),
                "{bad} is refused"
            );
        }
    }

    /// One way a JSON encoder may spell `c` inside a string.
    fn spell(c: char, how: u8, out: &mut String) {
        let short = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '/' => Some("\\/"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            _ => None,
        };
        let must_escape = c == '"' || c == '\\' || c < ' ';
        match (how % 3, short) {
            (0, _) if !must_escape => out.push(c),
            (1, Some(s)) => out.push_str(s),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }

    proptest::proptest! {
        /// Whatever a JSON encoder's choices of escapes, the secret reads as the text, as
        /// serde_json reads it into a `String`.
        #[test]
        fn reads_the_text_however_it_is_spelled(
            text in proptest::collection::vec(proptest::char::any(), 0..40),
            hows in proptest::collection::vec(0u8..3, 40),
        ) {
            let mut json = String::from('"');
            for (c, how) in text.iter().zip(&hows) {
                spell(*c, *how, &mut json);
            }
            json.push('"');
            let text: String = text.into_iter().collect();
            let secret: Secret = serde_json::from_str(&json).unwrap();
            proptest::prop_assert_eq!(secret.expose(), text.as_str());
            proptest::prop_assert_eq!(serde_json::from_str::<String>(&json).unwrap(), text);
        }
    }
}

//! The form of the platform's ids (contract §2): a type prefix, `--`, and a random url-safe
//! tail, such as `apikey--Xk3…`. The console puts ids in the API's paths, so an id that does
//! not have this form (`..`, a `/`, another type's id) is not used there.

/// The prefix of a tenant's id.
pub const TENANT: &str = "tenant";
/// The prefix of an API key's id.
pub const API_KEY: &str = "apikey";

/// The longest tail taken; the platform's are 16 characters.
const MAX_TAIL: usize = 200;

/// Whether `text` is an id of type `prefix`: `prefix--` and 1 to 200 of `A–Z a–z 0–9 - _`,
/// so it is one path segment as it is, with nothing to encode and no dot segment.
pub fn is_id(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix("--"))
        .is_some_and(|tail| {
            !tail.is_empty()
                && tail.len() <= MAX_TAIL
                && tail
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ids_of_the_type_have_the_form() {
        assert!(is_id("apikey--Ab3_x-9", API_KEY));
        assert!(is_id("tenant--demo", TENANT));
        for bad in [
            "",
            "apikey--",
            "apikey-",
            "apikey",
            "..",
            ".",
            "apikey--..",
            "apikey--.",
            "apikey--a/b",
            "apikey--a%2F",
            "apikey--a b",
            "apikey--a?b",
            "apikey--é",
            "app--1",
            "tenant--1",
            "xapikey--1",
        ] {
            assert!(!is_id(bad, API_KEY), "{bad:?}");
        }
        assert!(is_id(&format!("apikey--{}", "a".repeat(200)), API_KEY));
        assert!(!is_id(&format!("apikey--{}", "a".repeat(201)), API_KEY));
    }
}

//! Where to go back to after signing in: only this console's own pages.

/// Accepts only a same-origin relative path (`/keys?q=x`), never `//host`, a scheme, a
/// backslash trick, control characters, or the sign-in page itself.
pub fn safe_return_path(raw: &str) -> Option<String> {
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.contains('\\')
        && !raw.chars().any(char::is_control)
        && raw.len() <= 2048
        && !raw.starts_with("/sign-in")
        && !has_dot_segment(raw);
    ok.then(|| raw.to_owned())
}

/// Whether the path has a `.` or `..` segment (also percent-encoded), which the browser resolves
/// into another path than the one checked (`/./sign-in` is the sign-in page).
fn has_dot_segment(raw: &str) -> bool {
    let path = raw.split(['?', '#']).next().unwrap_or_default();
    path.split('/').any(|segment| {
        let segment = segment.to_ascii_lowercase().replace("%2e", ".");
        segment == "." || segment == ".."
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_paths() {
        for good in [
            "/",
            "/keys",
            "/keys/apikey--1?x=1#y",
            "/?q=abc&status=active",
        ] {
            assert_eq!(safe_return_path(good).as_deref(), Some(good), "{good}");
        }
        for bad in [
            "//evil.example",
            "https://evil.example",
            "http:/evil",
            "javascript:alert(1)",
            "/\\evil.example",
            "/path\\with",
            "keys",
            "",
            "/sign-in?return_to=/x",
            "/./sign-in",
            "/keys/../sign-in",
            "/%2e/sign-in",
            "/%2E%2e/sign-in",
            "/keys/.",
            "/a\nb",
            "/a\u{0}",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
        assert_eq!(safe_return_path(&format!("/{}", "a".repeat(3000))), None);
    }
}

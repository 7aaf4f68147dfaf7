//! Percent-encoding for the paths and queries the console builds.

/// Percent-encodes one path segment or query value.
pub fn segment(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

/// `?a=b&c=d` from `pairs`, values encoded; empty without pairs.
pub fn query(pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", segment(v)))
        .collect();
    format!("?{}", parts.join("&"))
}

//! Runtime configuration, read from `config.json` beside the bundle (contract §1).
//!
//! The bundle is static, so everything that differs between deployments lives here and is
//! fetched at start. A missing file means defaults; a malformed one stops the app with a clear
//! screen rather than running against the wrong platform.

use serde::Deserialize;

/// Settings that differ per deployment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RuntimeConfig {
    /// Prefix of every platform route; empty for the page's own origin.
    pub api_base_url: String,
    /// Prefix of the `/auth/*` routes; empty for the page's own origin.
    pub auth_base_url: String,
    /// First delay when polling a pending key; backs off to 10 s.
    pub poll_interval_ms: u32,
    /// Deadline of one request.
    pub request_timeout_ms: u32,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        Self {
            api_base_url: String::new(),
            auth_base_url: String::new(),
            poll_interval_ms: 2_000,
            request_timeout_ms: 15_000,
        }
    }
}

/// Why the runtime configuration could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but is not a JSON object of the expected shape.
    #[error("config.json is malformed: {0}")]
    Malformed(String),
    /// A value is out of range.
    #[error("config.json is invalid: {0}")]
    Invalid(String),
    /// The file could not be fetched (network error or an unexpected HTTP status).
    #[error("config.json could not be loaded: {0}")]
    Unavailable(String),
}

impl RuntimeConfig {
    /// Parses the text of `config.json`; absent keys take their defaults, unknown keys are ignored.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        // A byte-order mark, as some editors save one, is not part of the JSON (the browser's
        // `Response.json()`, which `index.html` reads the file with, drops it too).
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let cfg: Self = serde_json::from_str(text)
            .map_err(|e| ConfigError::Malformed(crate::api::error::json_problem(&e)))?;
        cfg.validated()
    }

    fn validated(mut self) -> Result<Self, ConfigError> {
        if self.poll_interval_ms == 0 {
            return Err(ConfigError::Invalid(
                "poll_interval_ms must be positive".into(),
            ));
        }
        if self.request_timeout_ms == 0 {
            return Err(ConfigError::Invalid(
                "request_timeout_ms must be positive".into(),
            ));
        }
        for (name, url) in [
            ("api_base_url", &self.api_base_url),
            ("auth_base_url", &self.auth_base_url),
        ] {
            check_base_url(url).map_err(|why| ConfigError::Invalid(format!("{name} {why}")))?;
        }
        // A trailing slash would double up with the routes' leading one.
        self.api_base_url = self.api_base_url.trim_end_matches('/').to_owned();
        self.auth_base_url = self.auth_base_url.trim_end_matches('/').to_owned();
        Ok(self)
    }

    /// Reads the answer to `GET config.json`: 404 means "use the defaults".
    pub fn from_response(status: u16, body: &str) -> Result<Self, ConfigError> {
        match status {
            200..=299 => Self::from_json(body),
            404 => Ok(Self::default()),
            other => Err(ConfigError::Unavailable(format!("HTTP {other}"))),
        }
    }
}

/// A base URL is empty (this origin), a path on this origin, or an `https://` URL. Plain
/// `http://` would send the access token and the one-time secrets in clear text, so it is
/// accepted only for a loopback host, where a developer runs the platform beside the console.
fn check_base_url(url: &str) -> Result<(), &'static str> {
    // The browser's URL parser drops tabs and line breaks and reads `\` as `/`, so `/\host` and
    // `/<tab>/host` would be another site, not a path of this origin.
    if url.contains(['\\', '\t', '\n', '\r']) {
        return Err("must not contain a backslash, a tab or a line break");
    }
    if url.is_empty() || (url.starts_with('/') && !url.starts_with("//")) {
        return Ok(());
    }
    let (authority, secure) = if let Some(rest) = url.strip_prefix("https://") {
        (rest, true)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (rest, false)
    } else {
        return Err("must be empty, a path starting with /, or an https:// URL");
    };
    let authority = authority.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return Err("must name a host, without a user name or password");
    }
    if secure || is_loopback(authority) {
        Ok(())
    } else {
        Err(
            "uses http:// for a host that is not this machine (localhost, 127.0.0.1 or [::1]): \
             tokens and secrets would cross the network unencrypted; use https://",
        )
    }
}

/// Whether `authority` (host and optional port) names this machine, in the forms the error
/// message lists and browsers print: `localhost`, `127.x.y.z` and `[::1]`. Other spellings of
/// the IPv6 loopback (`[0:0::1]`) are refused with that message; std's full address parser
/// would cost the first load 1.26 kB brotli for them (docs/performance.md).
fn is_loopback(authority: &str) -> bool {
    let host = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((host, rest)) if rest.is_empty() || rest.starts_with(':') => host,
            _ => return false,
        },
        None => authority.split(':').next().unwrap_or_default(),
    };
    host.eq_ignore_ascii_case("localhost") || host == "::1" || is_loopback_v4(host)
}

/// `127.x.y.z` in dotted decimal.
fn is_loopback_v4(host: &str) -> bool {
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4
        && octets[0] == "127"
        && octets
            .iter()
            .all(|o| o.bytes().all(|b| b.is_ascii_digit()) && o.parse::<u8>().is_ok())
}

/// Fetches and parses `config.json` relative to the document's base URL (or takes the response
/// `index.html` asked for while the wasm loaded), within the default request deadline.
#[cfg(target_arch = "wasm32")]
pub async fn load() -> Result<RuntimeConfig, ConfigError> {
    load_within(RuntimeConfig::default().request_timeout_ms).await
}

/// [`load`] with a deadline of `deadline_ms` for the answer.
#[cfg(target_arch = "wasm32")]
pub async fn load_within(deadline_ms: u32) -> Result<RuntimeConfig, ConfigError> {
    use crate::api::{ApiError, Call, Method};
    // `index.html`'s request has no deadline of its own: one that never answers ends here, with
    // the error page and its "Try again", not with the skeleton for as long as the browser waits.
    let answer = async {
        match crate::handoff::response("config").await {
            Some(resp) => crate::api::http::read_response(&resp, false).await,
            None => {
                let mut call = Call::new(Method::Get, crate::api::paths::CONFIG.into());
                call.authenticated = false;
                crate::api::http::fetch(&call, None, deadline_ms).await
            }
        }
    };
    let answer = crate::timer::within(deadline_ms, answer)
        .await
        .unwrap_or(Err(ApiError::Timeout));
    let answer = answer.map_err(|e| {
        ConfigError::Unavailable(
            match e {
                ApiError::Timeout => "no answer in time",
                ApiError::TooLarge => "the file is too large",
                _ => "no answer, or the answer was cut off",
            }
            .into(),
        )
    })?;
    RuntimeConfig::from_response(answer.status, &answer.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_object_gives_defaults() {
        assert_eq!(
            RuntimeConfig::from_json("{}").unwrap(),
            RuntimeConfig::default()
        );
        let d = RuntimeConfig::default();
        assert_eq!(d.poll_interval_ms, 2000);
        assert_eq!(d.request_timeout_ms, 15000);
        assert_eq!(d.api_base_url, "");
        assert_eq!(d.auth_base_url, "");
    }

    #[test]
    fn values_override_and_unknown_keys_are_ignored() {
        let cfg = RuntimeConfig::from_json(
            r#"{"api_base_url":"https://api.example.com/v1/","poll_interval_ms":500,"theme":"x"}"#,
        )
        .unwrap();
        assert_eq!(cfg.api_base_url, "https://api.example.com/v1");
        assert_eq!(cfg.poll_interval_ms, 500);
        assert_eq!(cfg.request_timeout_ms, 15000);
    }

    #[test]
    fn malformed_is_an_error() {
        for bad in [
            "",
            "not json",
            "[1,2]",
            r#"{"poll_interval_ms":"soon"}"#,
            r#"{"poll_interval_ms":-1}"#,
        ] {
            assert!(
                matches!(
                    RuntimeConfig::from_json(bad),
                    Err(ConfigError::Malformed(_))
                ),
                "{bad:?} must be malformed"
            );
        }
    }

    #[test]
    fn out_of_range_values_are_invalid() {
        for bad in [
            r#"{"poll_interval_ms":0}"#,
            r#"{"request_timeout_ms":0}"#,
            r#"{"api_base_url":"javascript:alert(1)"}"#,
            r#"{"auth_base_url":"//evil.example"}"#,
            r#"{"api_base_url":"ftp://api.example.com"}"#,
            r#"{"api_base_url":"https://"}"#,
            r#"{"api_base_url":"https://user:pw@api.example.com"}"#,
        ] {
            assert!(
                matches!(RuntimeConfig::from_json(bad), Err(ConfigError::Invalid(_))),
                "{bad:?} must be invalid"
            );
        }
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_json() {
        let cfg = RuntimeConfig::from_json("\u{feff}{\"poll_interval_ms\":500}").unwrap();
        assert_eq!(cfg.poll_interval_ms, 500);
    }

    #[test]
    fn plain_http_only_for_this_machine() {
        for ok in [
            "https://api.example.com",
            "https://api.example.com:8443/v1",
            "http://localhost:8081",
            "http://LOCALHOST/api",
            "http://127.0.0.1:8081/api",
            "http://127.8.9.10",
            "http://[::1]:8081",
            "http://[::1]",
            "/api",
            "",
        ] {
            let json = format!(r#"{{"api_base_url":"{ok}","auth_base_url":"{ok}"}}"#);
            assert!(
                RuntimeConfig::from_json(&json).is_ok(),
                "{ok} must be accepted"
            );
        }
        for bad in [
            "http://api.example.com",
            "http://10.0.0.1:8081",
            "http://localhost.evil.example",
            "http://127.0.0.1.evil.example",
            "http://[::2]:80",
            "http://[::1]evil",
            "http://[0:0::1]:8081",
            "http://127.0.0.256",
            "http://127.0.0",
            "http://127.0.0.+1",
            "http://127..0.1",
            "http://[::ffff:127.0.0.1]",
            "http://localhost@evil.example",
        ] {
            let json = format!(r#"{{"api_base_url":"{bad}"}}"#);
            match RuntimeConfig::from_json(&json) {
                Err(ConfigError::Invalid(why)) => {
                    assert!(why.starts_with("api_base_url"), "{bad}: {why}");
                }
                other => panic!("{bad} must be refused, got {other:?}"),
            }
        }
        // What the browser's URL parser reads as another site.
        for bad in [
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "\\\\evil.example",
            "https://api.example.com\\@evil.example",
        ] {
            let json = serde_json::json!({ "api_base_url": bad }).to_string();
            match RuntimeConfig::from_json(&json) {
                Err(ConfigError::Invalid(why)) => {
                    assert!(why.contains("backslash"), "{bad:?}: {why}");
                }
                other => panic!("{bad:?} must be refused, got {other:?}"),
            }
        }
        let why = RuntimeConfig::from_json(r#"{"auth_base_url":"http://api.example.com"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            why.contains("auth_base_url") && why.contains("https://"),
            "{why}"
        );
    }

    #[test]
    fn missing_file_means_defaults_and_other_statuses_fail() {
        assert_eq!(
            RuntimeConfig::from_response(404, "<html>not found</html>").unwrap(),
            RuntimeConfig::default()
        );
        assert!(matches!(
            RuntimeConfig::from_response(500, ""),
            Err(ConfigError::Unavailable(_))
        ));
        assert_eq!(
            RuntimeConfig::from_response(200, r#"{"request_timeout_ms":1000}"#)
                .unwrap()
                .request_timeout_ms,
            1000
        );
    }
}

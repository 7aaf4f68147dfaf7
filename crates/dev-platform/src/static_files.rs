//! Serving the built console: deep-link fallback, caching and the CSP.

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeFile;

/// A built bundle directory and the CSP computed from its `index.html` and `config.json`.
#[derive(Debug)]
pub struct Bundle {
    root: PathBuf,
    /// The policy, and the state of the two files it was computed from.
    csp: Mutex<(Stamp, Arc<str>)>,
}

/// When and how long `index.html` and `config.json` were as last read (`None`: not there).
type Stamp = [Option<(SystemTime, u64)>; 2];

impl Bundle {
    /// Reads `dir/index.html` to hash its inline scripts into the CSP, and `dir/config.json`
    /// for the platform's origins the console may connect to.
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        let stamp = stamp(dir);
        let csp = read_csp(dir)?;
        Ok(Self {
            root: dir.to_path_buf(),
            csp: Mutex::new((stamp, csp)),
        })
    }

    /// The Content-Security-Policy to send with every response: computed again once
    /// `index.html` or `config.json` changed. The release build rewrites `index.html` (its
    /// inline script names the wasm by digest), so a platform left running over a rebuilt
    /// bundle would otherwise refuse the new page's scripts, and a console pointed at another
    /// platform in `config.json` could not reach it.
    pub fn csp(&self) -> Arc<str> {
        let now = stamp(&self.root);
        let mut held = self.csp.lock().unwrap_or_else(|p| p.into_inner());
        if held.0 != now {
            // A file being rewritten may be unreadable for a moment: the last policy stands.
            if let Ok(csp) = read_csp(&self.root) {
                *held = (now, csp);
            }
        }
        held.1.clone()
    }

    /// The policy as last computed, without looking at the files: for answers no browser
    /// applies it to as a page's (the API's JSON, the bundle's scripts and styles).
    pub fn csp_as_read(&self) -> Arc<str> {
        let held = self.csp.lock().unwrap_or_else(|p| p.into_inner());
        held.1.clone()
    }
}

fn stamp(dir: &Path) -> Stamp {
    ["index.html", "config.json"].map(|name| {
        std::fs::metadata(dir.join(name))
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())))
    })
}

fn read_csp(dir: &Path) -> std::io::Result<Arc<str>> {
    let index = std::fs::read_to_string(dir.join("index.html"))?;
    Ok(Arc::from(content_security_policy(
        &inline_script_hashes(&index),
        &config_origins(dir),
    )))
}

/// Where the house's headers take the CSP from: a bundle's, as it is now, or a fixed one (an
/// API without a bundle).
#[derive(Debug, Clone)]
pub enum Csp {
    /// The same policy for every answer.
    Fixed(Arc<str>),
    /// The served bundle's ([`Bundle::csp`]).
    Of(Arc<Bundle>),
}

impl Csp {
    /// The policy to send with an answer: a page's is checked against the files
    /// ([`Bundle::csp`]); any other answer's is the last one computed, as only a document is
    /// governed by its own policy.
    pub fn for_answer(&self, page: bool) -> Arc<str> {
        match self {
            Self::Fixed(csp) => csp.clone(),
            Self::Of(bundle) if page => bundle.csp(),
            Self::Of(bundle) => bundle.csp_as_read(),
        }
    }
}

/// The policy: scripts only from this origin, WebAssembly compilation, and the inline scripts
/// of `index.html` by their hashes; no `unsafe-inline`, no `unsafe-eval`. Requests go to
/// this origin and to `platform_origins` (the platform's, when `config.json` names another).
pub fn content_security_policy(script_hashes: &[String], platform_origins: &[String]) -> String {
    let hashes: String = script_hashes.iter().map(|h| format!(" '{h}'")).collect();
    let platform: String = platform_origins.iter().map(|o| format!(" {o}")).collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'{platform}; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The origins of the absolute base URLs in `dir/config.json` (`api_base_url`,
/// `auth_base_url`): a platform on another origin than the console's. An absent or unreadable
/// file names none; the console itself says what is wrong with it.
pub fn config_origins(dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join("config.json")) else {
        return Vec::new();
    };
    let Ok(config) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    let mut origins = Vec::new();
    for key in ["api_base_url", "auth_base_url"] {
        if let Some(origin) = config.get(key).and_then(|v| v.as_str()).and_then(origin_of) {
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
    }
    origins
}

/// `scheme://host[:port]` of an absolute `http(s)` URL; `None` for a path, another scheme, or
/// an authority with anything a CSP source could not hold as one.
pub(crate) fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let plain = !authority.is_empty()
        && authority
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
    plain.then(|| format!("{scheme}://{authority}"))
}

/// `sha256-…` sources for every inline `<script>` (one without `src`) in `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        rest = &rest[start..];
        let Some(tag_end) = rest.find('>') else { break };
        let tag = &rest[..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = rest[body_start..].find("</script>") else {
            break;
        };
        let body = &rest[body_start..body_start + close];
        if !tag.contains(" src=") {
            let digest = Sha256::digest(body.as_bytes());
            out.push(format!(
                "sha256-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &rest[body_start + close..];
    }
    out
}

/// Whether a file name carries the build's content hash (`name-0123456789abcdef.ext`), so it may be
/// cached forever.
pub fn is_hashed_asset(file_name: &str) -> bool {
    let stem = file_name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((_, hash)) => hash.len() >= 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

/// What a request path resolves to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file below the root.
    File(PathBuf),
    /// A route of the single-page app: answer with `index.html`.
    Index,
    /// No such asset.
    NotFound,
}

/// Maps a URL path to a file, refusing anything that would leave the root.
pub fn resolve(path: &str) -> Resolved {
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() {
        return Resolved::Index;
    }
    let rel = Path::new(trimmed);
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Resolved::NotFound;
    }
    let last = trimmed.rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        Resolved::File(rel.to_path_buf())
    } else {
        Resolved::Index
    }
}

/// Serves the bundle: files by path, app routes by `index.html`, everything else 404.
///
/// `ServeFile` does the HTTP: content type, `HEAD`, ranges, `Last-Modified` and conditional
/// requests, and the precompressed copy beside a file (`NAME.br`, `NAME.gz`, written by the release
/// build) for clients that accept it, as a CDN would. This adds what depends on the name: how long
/// it may be cached.
pub async fn serve(State(bundle): State<Arc<Bundle>>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, HeaderValue::from_static("GET, HEAD"))],
        )
            .into_response();
    }
    let rel = match resolve(req.uri().path()) {
        Resolved::Index => PathBuf::from("index.html"),
        Resolved::File(p) => p,
        Resolved::NotFound => return not_found(),
    };
    let file = ServeFile::new(bundle.root.join(&rel))
        .precompressed_br()
        .precompressed_gzip();
    let Ok(resp) = file.oneshot(req).await;
    if resp.status() == StatusCode::NOT_FOUND {
        return not_found();
    }
    let mut resp = resp.map(Body::new);
    let cache = crate::headers::cache_control(&rel.to_string_lossy());
    let h = resp.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    resp
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Not found",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<script src="/a.js"></script><script type="module">init()</script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init()"));
        assert_eq!(hashes[0], format!("sha256-{expected}"));
    }

    #[test]
    fn csp_has_no_unsafe_script_sources() {
        let csp = content_security_policy(&["sha256-x".into()], &[]);
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(csp.contains("'sha256-x'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(!csp.contains("'unsafe-eval'"));
    }

    #[test]
    fn a_platform_on_another_origin_is_in_connect_src() {
        let dir = std::env::temp_dir().join(format!("csp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let csp_for = |config: &str| {
            std::fs::write(dir.join("config.json"), config).unwrap();
            content_security_policy(&[], &config_origins(&dir))
        };
        let csp = csp_for(
            r#"{"api_base_url": "https://api.example.test/v1/", "auth_base_url": "https://api.example.test"}"#,
        );
        assert!(
            csp.contains("connect-src 'self' https://api.example.test;"),
            "{csp}"
        );
        let csp = csp_for(r#"{"api_base_url": "http://127.0.0.1:9000/api", "auth_base_url": ""}"#);
        assert!(
            csp.contains("connect-src 'self' http://127.0.0.1:9000;"),
            "{csp}"
        );
        // Paths, other schemes, and text that would add a directive name no other origin.
        for config in [
            r#"{"api_base_url": "/api"}"#,
            r#"{"api_base_url": "https://x.test; script-src *"}"#,
            r#"{"api_base_url": "javascript://x.test"}"#,
            "not json",
        ] {
            assert!(csp_for(config).contains("connect-src 'self';"), "{config}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn resolves_routes_files_and_escapes() {
        assert_eq!(resolve("/"), Resolved::Index);
        assert_eq!(resolve("/keys/new/arx"), Resolved::Index);
        assert_eq!(
            resolve("/app-1234.wasm"),
            Resolved::File(PathBuf::from("app-1234.wasm"))
        );
        assert_eq!(resolve("/../etc/passwd"), Resolved::NotFound);
        assert_eq!(
            resolve("/a/./b.js"),
            Resolved::File(PathBuf::from("a/b.js"))
        );
    }

    #[test]
    fn recognises_trunk_hashes() {
        assert!(is_hashed_asset("apikeys-console-5e2b7c1f0a9d3e4b_bg.wasm"));
        assert!(is_hashed_asset("base-0123456789abcdef.css"));
        assert!(!is_hashed_asset("config.json"));
        assert!(!is_hashed_asset("index.html"));
    }
}

//! The response headers the platform sends, in one place: the dev platform sets them on every
//! answer, and `dev-platform headers --static DIR` writes the same ones as a CDN's `_headers`
//! file (the format Netlify and Cloudflare Pages read) for the release bundle.

use std::fmt::Write as _;
use std::path::Path;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::static_files::{self, Csp};

/// What the console may use: writing to the clipboard on a click (copy buttons). Every other
/// feature a browser offers is denied. Only names Chromium 156 recognises are listed: an unknown
/// name makes it log an error on every page load (checked by loading a page with this header in
/// Chromium 156 and reading its console: no message).
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), browsing-topics=(), \
camera=(), clipboard-read=(), clipboard-write=(self), compute-pressure=(), display-capture=(), \
encrypted-media=(), fullscreen=(), gamepad=(), geolocation=(), gyroscope=(), hid=(), \
identity-credentials-get=(), idle-detection=(), keyboard-map=(), local-fonts=(), magnetometer=(), \
microphone=(), midi=(), otp-credentials=(), payment=(), picture-in-picture=(), \
publickey-credentials-create=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), \
speaker-selection=(), storage-access=(), usb=(), window-management=(), xr-spatial-tracking=()";

/// Sent over https only: two years, subdomains included.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";

/// A file whose name carries its content hash never changes.
pub const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Anything else (index.html, config.json, `_headers`) is revalidated on every use.
pub const CACHE_REVALIDATE: &str = "no-cache";

/// The headers every answer carries, given the bundle's CSP; HSTS too when `https`.
pub fn security_headers(csp: &str, https: bool) -> Vec<(HeaderName, String)> {
    let mut h = vec![
        (header::CONTENT_SECURITY_POLICY, csp.to_owned()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
        (header::REFERRER_POLICY, "no-referrer".into()),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin".into(),
        ),
        (
            HeaderName::from_static("permissions-policy"),
            PERMISSIONS_POLICY.into(),
        ),
    ];
    if https {
        h.push((
            header::STRICT_TRANSPORT_SECURITY,
            STRICT_TRANSPORT_SECURITY.into(),
        ));
    }
    h
}

/// A header's name as people write it: `Content-Security-Policy`.
fn display_name(name: &HeaderName) -> String {
    name.as_str()
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// `Cache-Control` of a file of the bundle, by its path below the bundle's root.
pub fn cache_control(rel_path: &str) -> &'static str {
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    if static_files::is_hashed_asset(name) {
        CACHE_IMMUTABLE
    } else {
        CACHE_REVALIDATE
    }
}

/// Middleware: the security headers on every answer, with `csp` as it is now.
pub async fn apply(State(csp): State<Csp>, req: Request, next: Next) -> Response {
    let https = crate::is_https(req.headers());
    let mut resp = next.run(req).await;
    // A page, or a revalidated file (304, without a type): the browser puts a 304's policy
    // on the page it keeps, which `config.json` edited alone would leave stale.
    let page = resp.status() == StatusCode::NOT_MODIFIED
        || resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
    let h = resp.headers_mut();
    for (name, value) in security_headers(&csp.for_answer(page), https) {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(name, v);
        }
    }
    resp
}

/// The `_headers` file for the bundle in `dir`: the security headers (HSTS included: a CDN
/// serves https) for every path, and each file's `Cache-Control`. Precompressed copies
/// (`NAME.br`, `NAME.gz` beside `NAME`) are left out: the CDN compresses by itself.
pub fn cdn_headers_file(dir: &Path) -> std::io::Result<String> {
    let bundle = static_files::Bundle::open(dir)?;
    let mut files = Vec::new();
    list_files(dir, dir, &mut files)?;
    files.retain(|f| {
        let copy_of = f.strip_suffix(".br").or_else(|| f.strip_suffix(".gz"));
        !copy_of.is_some_and(|orig| dir.join(orig).is_file())
            && f != "_headers"
            && f != "_redirects"
    });
    files.sort();
    let mut out = String::from(
        "# Written by `dev-platform headers --static DIR`: what the dev platform sends for this bundle.\n/*\n",
    );
    for (name, value) in security_headers(&bundle.csp(), true) {
        let _ = writeln!(out, "  {}: {value}", display_name(&name));
    }
    // The root is index.html, which a CDN serves under "/" too.
    for path in std::iter::once("").chain(files.iter().map(String::as_str)) {
        let rule = if path.is_empty() { "index.html" } else { path };
        let _ = writeln!(out, "/{path}\n  Cache-Control: {}", cache_control(rule));
    }
    Ok(out)
}

fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            list_files(root, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_policy_lists_only_features_chromium_156_recognises() {
        // Names Chromium 156 logs an error for (tried): none may come back.
        for unknown in [
            "ambient-light-sensor",
            "battery",
            "bluetooth",
            "document-domain",
            "web-share",
            "attribution-reporting",
            "direct-sockets",
            "autofill",
            "writer",
            "rewriter",
            "focus-without-user-activation",
            "interest-cohort",
        ] {
            let listed = PERMISSIONS_POLICY
                .split(", ")
                .any(|f| f.split('=').next() == Some(unknown));
            assert!(!listed, "{unknown}");
        }
        for f in PERMISSIONS_POLICY.split(", ") {
            let (name, allow) = f.split_once('=').unwrap();
            let expected = if name == "clipboard-write" {
                "(self)"
            } else {
                "()"
            };
            assert_eq!(allow, expected, "{name}");
        }
    }

    #[test]
    fn hashed_files_are_immutable_and_the_rest_revalidated() {
        assert_eq!(
            cache_control("apikeys-console-0123456789abcdef_bg.wasm"),
            CACHE_IMMUTABLE
        );
        assert_eq!(
            cache_control("chunks/x-0123456789abcdef.wasm"),
            CACHE_IMMUTABLE
        );
        assert_eq!(cache_control("index.html"), CACHE_REVALIDATE);
        assert_eq!(cache_control("config.json"), CACHE_REVALIDATE);
    }
}

//! Serving the console bundle.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use dev_platform::Options;

use common::*;

#[tokio::test]
async fn precompressed_assets_go_to_clients_that_accept_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<html></html>").unwrap();
    let wasm = "app-0123456789abcdef_bg.wasm";
    std::fs::write(dir.path().join(wasm), b"\0asm raw").unwrap();
    std::fs::write(dir.path().join(format!("{wasm}.br")), b"brotli bytes").unwrap();
    std::fs::write(dir.path().join(format!("{wasm}.gz")), b"gzip bytes").unwrap();
    std::fs::write(dir.path().join("plain.css"), b"body{}").unwrap();
    let mut opts = Options::for_tests(50);
    opts.static_dir = Some(dir.path().to_path_buf());
    let p = platform_with(opts);
    let get = |path: &str, accept: &str| {
        let mut b = Request::get(path.to_owned());
        if !accept.is_empty() {
            b = b.header("accept-encoding", accept);
        }
        p.raw(b.body(Body::empty()).unwrap())
    };
    let path = format!("/{wasm}");
    for (accept, encoding, body) in [
        ("gzip, deflate, br, zstd", Some("br"), &b"brotli bytes"[..]),
        ("gzip", Some("gzip"), b"gzip bytes"),
        ("br;q=0, gzip", Some("gzip"), b"gzip bytes"),
        ("", None, b"\0asm raw"),
        ("identity", None, b"\0asm raw"),
    ] {
        let (s, h, b) = get(&path, accept).await;
        assert_eq!(s, StatusCode::OK, "{accept}");
        assert_eq!(
            h.get("content-encoding").map(|v| v.to_str().unwrap()),
            encoding,
            "{accept}"
        );
        assert_eq!(b, body, "{accept}");
        assert_eq!(h["content-type"], "application/wasm");
        assert_eq!(h["vary"], "accept-encoding");
    }
    // No copy beside it: the file as it is, whatever the client accepts.
    let (s, h, b) = get("/plain.css", "br, gzip").await;
    assert_eq!(s, StatusCode::OK);
    assert!(h.get("content-encoding").is_none());
    assert_eq!(b, b"body{}");
}

#[tokio::test]
async fn static_files_answer_head_ranges_and_revalidation() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<html>console</html>").unwrap();
    std::fs::write(dir.path().join("config.json"), r#"{"api_base_url":"/api"}"#).unwrap();
    std::fs::write(dir.path().join("config.json.br"), b"brotli").unwrap();
    let mut opts = Options::for_tests(50);
    opts.static_dir = Some(dir.path().to_path_buf());
    let p = platform_with(opts);
    let send = |method: &str, path: &str, headers: &[(&str, &str)]| {
        let mut b = Request::builder().method(method).uri(path.to_owned());
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        p.raw(b.body(Body::empty()).unwrap())
    };

    // HEAD: the headers a GET would carry, the length included, and no body.
    let (s, h, b) = send("HEAD", "/config.json", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h["content-length"], "23");
    assert_eq!(h["content-type"], "application/json");
    assert!(b.is_empty());
    let (_, h, b) = send("HEAD", "/config.json", &[("accept-encoding", "br")]).await;
    assert_eq!(h["content-encoding"], "br");
    assert_eq!(h["content-length"], "6");
    assert!(b.is_empty());
    let (s, h, _) = send("HEAD", "/keys/new/arx", &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h["content-length"], "20");

    // `no-cache` files are revalidated: an unchanged one is not sent again.
    let (s, h, _) = send("GET", "/", &[]).await;
    assert_eq!(s, StatusCode::OK);
    let modified = h["last-modified"].to_str().unwrap().to_owned();
    let (s, _, b) = send("GET", "/", &[("if-modified-since", &modified)]).await;
    assert_eq!(s, StatusCode::NOT_MODIFIED);
    assert!(b.is_empty());

    // A resumed download gets the part it asked for.
    let (s, h, b) = send("GET", "/index.html", &[("range", "bytes=6-12")]).await;
    assert_eq!(s, StatusCode::PARTIAL_CONTENT);
    assert_eq!(h["content-range"], "bytes 6-12/20");
    assert_eq!(b, b"console");

    let (s, h, _) = send("POST", "/index.html", &[]).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        h["allow"], "GET, HEAD",
        "RFC 9110 asks for the methods it takes"
    );
}

#[tokio::test]
async fn static_bundle_is_served_with_fallback_and_security_headers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<html><script type=\"module\">boot()</script></html>",
    )
    .unwrap();
    std::fs::write(dir.path().join("app-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
    std::fs::write(dir.path().join("config.json"), "{}").unwrap();
    let mut opts = Options::for_tests(50);
    opts.static_dir = Some(dir.path().to_path_buf());
    let p = platform_with(opts);
    let get = |path: &str| Request::get(path.to_owned()).body(Body::empty()).unwrap();
    let (s, h, b) = p.raw(get("/keys/new/arx")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(String::from_utf8_lossy(&b).contains("boot()"));
    assert_eq!(h.get("cache-control").unwrap(), "no-cache");
    let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(
        csp.contains("'wasm-unsafe-eval'")
            && csp.contains("'sha256-")
            && csp.contains("frame-ancestors 'none'")
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(h.get("referrer-policy").unwrap(), "no-referrer");
    let (s, h, _) = p.raw(get("/app-0123456789abcdef_bg.wasm")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h.get("content-type").unwrap(), "application/wasm");
    assert!(h
        .get("cache-control")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("immutable"));
    let (s, h, _) = p.raw(get("/config.json")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h.get("cache-control").unwrap(), "no-cache");
    assert_eq!(p.raw(get("/missing.js")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        p.raw(get("/../../etc/passwd")).await.0,
        StatusCode::NOT_FOUND
    );
    // API responses carry the security headers too.
    let r = p.refresh(None).await;
    assert_eq!(r.headers.get("x-content-type-options").unwrap(), "nosniff");
}

const SECURITY: [&str; 6] = [
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "cross-origin-opener-policy",
    "permissions-policy",
    "strict-transport-security",
];

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_hsts_only_over_https() {
    let p = platform(50);
    for https in [false, true] {
        let mut b = Request::post("/auth/refresh");
        if https {
            b = b.header("x-forwarded-proto", "https");
        }
        let (_, h, _) = p.raw(b.body(Body::empty()).unwrap()).await;
        assert_eq!(h["cross-origin-opener-policy"], "same-origin");
        let pp = h["permissions-policy"].to_str().unwrap();
        for denied in [
            "camera=()",
            "microphone=()",
            "geolocation=()",
            "payment=()",
            "usb=()",
        ] {
            assert!(pp.contains(denied), "{pp}");
        }
        assert!(pp.contains("clipboard-write=(self)"), "{pp}");
        assert_eq!(h.get("strict-transport-security").is_some(), https);
    }
}

/// The `_headers` file as (path pattern, [(name, value)]) blocks.
fn parse_headers_file(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut blocks: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        if let Some(header) = line.strip_prefix("  ") {
            let (k, v) = header.split_once(": ").expect("Name: value");
            blocks
                .last_mut()
                .expect("a path first")
                .1
                .push((k.to_ascii_lowercase(), v.to_owned()));
        } else {
            blocks.push((line.to_owned(), Vec::new()));
        }
    }
    blocks
}

#[tokio::test]
async fn the_cdn_headers_file_says_exactly_what_the_server_sends() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("index.html"),
        "<html><script>boot()</script><script src=\"/a.js\"></script></html>",
    )
    .unwrap();
    std::fs::write(d.join("apikeys-console-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
    std::fs::write(d.join("apikeys-console-0123456789abcdef_bg.wasm.br"), b"br").unwrap();
    std::fs::write(d.join("app-fedcba9876543210.css"), b"body{}").unwrap();
    std::fs::write(d.join("config.json"), "{}").unwrap();
    std::fs::write(d.join("favicon.svg"), "<svg/>").unwrap();
    let text = dev_platform::headers::cdn_headers_file(d).unwrap();
    let blocks = parse_headers_file(&text);
    let (all, files): (Vec<_>, Vec<_>) = blocks.into_iter().partition(|(p, _)| p == "/*");
    let all = &all[0].1;
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/",
            "/apikeys-console-0123456789abcdef_bg.wasm",
            "/app-fedcba9876543210.css",
            "/config.json",
            "/favicon.svg",
            "/index.html"
        ],
        "every file but precompressed copies, and the root"
    );
    let mut opts = Options::for_tests(50);
    opts.static_dir = Some(d.to_path_buf());
    let p = platform_with(opts);
    for (path, own) in &files {
        let req = Request::get(path.as_str())
            .header("x-forwarded-proto", "https")
            .body(Body::empty())
            .unwrap();
        let (s, h, _) = p.raw(req).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        let said: Vec<&(String, String)> = all.iter().chain(own).collect();
        for (name, value) in &said {
            assert_eq!(
                h.get(name.as_str()).map(|v| v.to_str().unwrap()),
                Some(value.as_str()),
                "{path}: {name}"
            );
        }
        // And nothing of these kinds that the file does not say.
        for name in SECURITY.iter().chain(&["cache-control"]) {
            assert!(
                said.iter().any(|(n, _)| n == name),
                "{path}: the file lacks {name}"
            );
        }
    }
    assert!(all
        .iter()
        .any(|(n, v)| n == "content-security-policy" && v.contains("'sha256-")));
    // The command prints the same file, or writes it into the bundle.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dev-platform"))
        .args(["headers", "--static"])
        .arg(d)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), text);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dev-platform"))
        .args(["headers", "--write", "--static"])
        .arg(d)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(d.join("_headers")).unwrap(), text);
}

/// A bundle rebuilt under a running platform (the release build rewrites `index.html`, whose
/// inline script names the wasm by digest) is served with a policy that lets its new scripts
/// run, and a `config.json` that names another platform lets the console reach it.
#[tokio::test]
async fn the_policy_follows_a_bundle_rebuilt_under_the_running_platform() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index.html");
    std::fs::write(&index, "<html><script>one()</script></html>").unwrap();
    let mut opts = Options::for_tests(50);
    opts.static_dir = Some(dir.path().to_path_buf());
    let p = platform_with(opts);
    let policy = || async {
        let (_, h, _) = p.raw(Request::get("/").body(Body::empty()).unwrap()).await;
        h["content-security-policy"].to_str().unwrap().to_owned()
    };
    let hash = |script: &str| {
        use base64::Engine;
        use sha2::{Digest, Sha256};
        format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script))
        )
    };
    let before = policy().await;
    assert!(before.contains(&hash("one()")), "{before}");
    // index.html alone, rewritten to the same length (as a new digest in its script is).
    std::fs::write(&index, "<html><script>two()</script></html>").unwrap();
    let after = policy().await;
    assert!(after.contains(&hash("two()")), "{after}");
    assert!(!after.contains(&hash("one()")), "{after}");
    // Then config.json alone.
    std::fs::write(
        dir.path().join("config.json"),
        r#"{"api_base_url": "https://api.example.test/api"}"#,
    )
    .unwrap();
    let pointed = policy().await;
    assert!(pointed.contains("https://api.example.test"), "{pointed}");
    // Then config.json alone once more, the page revalidated (304): the browser puts that
    // answer's policy on the page it keeps.
    let (_, h, _) = p.raw(Request::get("/").body(Body::empty()).unwrap()).await;
    let modified = h["last-modified"].clone();
    std::fs::write(
        dir.path().join("config.json"),
        r#"{"api_base_url": "https://other.example.test/api"}"#,
    )
    .unwrap();
    let (status, h, _) = p
        .raw(
            Request::get("/")
                .header("if-modified-since", modified)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    let revalidated = h["content-security-policy"].to_str().unwrap();
    assert!(
        revalidated.contains("https://other.example.test"),
        "{revalidated}"
    );
}

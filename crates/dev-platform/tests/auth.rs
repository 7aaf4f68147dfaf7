//! Sign-in: sessions, refresh rotation, sign-out, the limiter.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode};
use dev_platform::Options;
use serde_json::{json, Value};

use common::*;

#[tokio::test]
async fn login_issues_a_session_and_refresh_cookie() {
    let p = platform(50);
    let r = p.login_full("Owner@Demo.test", "demo-password").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.data()["tenant_id"], DEMO);
    assert_eq!(r.data()["user"]["roles"], json!(["platform_owner"]));
    assert_eq!(r.data()["expires_in"], 900);
    assert!(r.body["error"]["code"] == 0 && r.body["error"]["status"] == "");
    assert!(cookie_of(&r.headers).starts_with("onq_refresh="));
    // The token is a JWT with the contract's claims.
    let token = r.data()["token"].as_str().unwrap();
    let payload = token.split('.').nth(1).unwrap();
    use base64::Engine;
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["tenant_id"], DEMO);
    assert_eq!(claims["roles"], json!(["platform_owner"]));
    assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap());
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_one_message_then_rate_limit() {
    let p = platform(50);
    let a = p.login_full("owner@demo.test", "wrong").await;
    let b = p.login_full("nobody@demo.test", "demo-password").await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(b.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.error_status(), "service_unauthorized_err");
    assert_eq!(a.body["error"]["message"], b.body["error"]["message"]);
    for _ in 0..4 {
        p.login_full("owner@demo.test", "wrong").await;
    }
    let limited = p.login_full("owner@demo.test", "demo-password").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.error_status(), "internal_rate_limited");
    let wait: u64 = limited
        .headers
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=300).contains(&wait));
    // Another account is unaffected.
    assert_eq!(
        p.login_full("developer@demo.test", "demo-password")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn refresh_rotates_detects_reuse_and_logout_revokes() {
    let mut opts = Options::for_tests(50);
    opts.refresh_grace_secs = 0;
    let p = platform_with(opts);
    let first = p.login_full("owner@demo.test", "demo-password").await;
    let c1 = cookie_of(&first.headers);
    let r2 = p.refresh(Some(&c1)).await;
    assert_eq!(r2.status, StatusCode::OK);
    assert!(r2.data()["token"].as_str().unwrap().len() > 20);
    let c2 = cookie_of(&r2.headers);
    assert_ne!(c1, c2, "rotated on every refresh");
    // The old one is spent; presenting it again also revokes the new one (theft response).
    let reuse = p.refresh(Some(&c1)).await;
    assert_eq!(reuse.status, StatusCode::UNAUTHORIZED);
    let after = p.refresh(Some(&c2)).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    // Logout revokes.
    let s = p.login_full("owner@demo.test", "demo-password").await;
    let c3 = cookie_of(&s.headers);
    let out = p
        .call(Method::POST, "/auth/logout", None, None, &[("cookie", &c3)])
        .await;
    assert_eq!(out.status, StatusCode::OK);
    assert!(out.body["data"].is_null());
    assert!(out
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(p.refresh(Some(&c3)).await.status, StatusCode::UNAUTHORIZED);
}

/// Signs in as `email`: (access token, refresh cookie).
async fn sign_in(p: &Platform, email: &str) -> (String, String) {
    let r = p.login_full(email, "demo-password").await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    (
        r.data()["token"].as_str().unwrap().to_owned(),
        cookie_of(&r.headers),
    )
}

/// `POST /auth/logout` with the refresh cookie only.
async fn sign_out(p: &Platform, cookie: &str) -> Reply {
    p.call(
        Method::POST,
        "/auth/logout",
        None,
        None,
        &[("cookie", cookie)],
    )
    .await
}

/// The status of listing the demo tenant's keys with `token`.
async fn list_status(p: &Platform, token: &str) -> StatusCode {
    p.get(&format!("/api/tenants/{DEMO}/keys"), token)
        .await
        .status
}

#[tokio::test]
async fn signing_out_ends_the_access_tokens_of_that_sign_in_at_once() {
    let p = platform(50);
    let (token, cookie) = sign_in(&p, "owner@demo.test").await;
    let (other_token, _) = sign_in(&p, "owner@demo.test").await;
    assert_eq!(list_status(&p, &token).await, StatusCode::OK);
    assert_eq!(sign_out(&p, &cookie).await.status, StatusCode::OK);
    let after = p.get(&format!("/api/tenants/{DEMO}/keys"), &token).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.error_status(), "service_unauthorized_err");
    let (app, tech, arx, _) = p.base(&other_token).await;
    let create = p.create(&token, &app, &tech, &arx, None).await;
    assert_eq!(
        create.status,
        StatusCode::UNAUTHORIZED,
        "no key made after sign-out"
    );
    assert_eq!(
        list_status(&p, &other_token).await,
        StatusCode::OK,
        "another sign-in of the same person goes on"
    );
}

#[tokio::test]
async fn a_sign_out_with_only_the_bearer_token_ends_that_sign_in_too() {
    let p = platform(50);
    let (token, cookie) = sign_in(&p, "developer@demo.test").await;
    let out = p
        .call(Method::POST, "/auth/logout", Some(&token), None, &[])
        .await;
    assert_eq!(out.status, StatusCode::OK);
    assert_eq!(list_status(&p, &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        p.refresh(Some(&cookie)).await.status,
        StatusCode::UNAUTHORIZED,
        "the refresh cookie of that sign-in is revoked as well"
    );
}

#[tokio::test]
async fn a_reused_refresh_token_ends_the_access_tokens_of_its_family() {
    let mut opts = Options::for_tests(50);
    opts.refresh_grace_secs = 0;
    let p = platform_with(opts);
    let (first_token, stolen) = sign_in(&p, "owner@demo.test").await;
    let (bystander, _) = sign_in(&p, "owner@demo.test").await;
    let thief = p.refresh(Some(&stolen)).await;
    let thief_token = thief.data()["token"].as_str().unwrap().to_owned();
    assert_eq!(list_status(&p, &thief_token).await, StatusCode::OK);
    assert_eq!(
        p.refresh(Some(&stolen)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        list_status(&p, &thief_token).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        list_status(&p, &first_token).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(list_status(&p, &bystander).await, StatusCode::OK);
}

#[tokio::test]
async fn an_ended_sign_in_stays_ended_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = Options::for_tests(10);
    opts.db = dir.path().join("db.sqlite3");
    let (token, kept) = {
        let p = platform_with(opts.clone());
        let (token, cookie) = sign_in(&p, "owner@demo.test").await;
        let (kept, _) = sign_in(&p, "owner@demo.test").await;
        sign_out(&p, &cookie).await;
        (token, kept)
    };
    let p = platform_with(opts);
    assert_eq!(list_status(&p, &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(list_status(&p, &kept).await, StatusCode::OK);
}

/// The `Max-Age` of the refresh cookie an answer sets.
fn cookie_max_age(headers: &axum::http::HeaderMap) -> i64 {
    let set = headers.get("set-cookie").unwrap().to_str().unwrap();
    set.split(';')
        .find_map(|part| part.trim().strip_prefix("Max-Age="))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no Max-Age in {set}"))
}

#[tokio::test]
async fn a_sign_in_ends_at_its_lifetime_however_often_it_is_refreshed() {
    let mut opts = Options::for_tests(50);
    opts.session_max_secs = 4;
    let p = platform_with(opts);
    let first = p.login_full("owner@demo.test", "demo-password").await;
    let started = std::time::Instant::now();
    assert!(
        first.data()["expires_in"].as_u64().unwrap() <= 4,
        "the access token ends with it"
    );
    assert!(cookie_max_age(&first.headers) <= 4, "so does the cookie");
    let mut cookie = cookie_of(&first.headers);
    let mut token = first.data()["token"].as_str().unwrap().to_owned();
    // Refreshed every second, it goes on while its lifetime lasts...
    for _ in 0..2 {
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        let r = p.refresh(Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        assert!(r.data()["expires_in"].as_u64().unwrap() <= 3);
        assert!(cookie_max_age(&r.headers) <= 3);
        cookie = cookie_of(&r.headers);
        token = r.data()["token"].as_str().unwrap().to_owned();
    }
    // ...and not past it (the clock counts whole seconds: 4.2 s after is past the fourth).
    tokio::time::sleep(std::time::Duration::from_millis(4200).saturating_sub(started.elapsed()))
        .await;
    let ended = p.refresh(Some(&cookie)).await;
    assert_eq!(ended.status, StatusCode::UNAUTHORIZED);
    assert_eq!(ended.error_status(), "service_unauthorized_err");
    // Its last access token ends with it (tokens are taken until the second after their end).
    tokio::time::sleep(std::time::Duration::from_millis(5200).saturating_sub(started.elapsed()))
        .await;
    assert_eq!(list_status(&p, &token).await, StatusCode::UNAUTHORIZED);
    // A new sign-in starts a lifetime of its own.
    let (again, _) = sign_in(&p, "owner@demo.test").await;
    assert_eq!(list_status(&p, &again).await, StatusCode::OK);
    // The ended sign-in's three refresh tokens are forgotten: only the new one is kept.
    let kept: i64 = p
        .state
        .db()
        .query_row("SELECT COUNT(*) FROM refresh_tokens", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 1);
}

/// A sign-in refreshed as often as it may be ends, its access tokens with it: each refresh
/// keeps a row while the sign-in lasts, so a looped refresh cannot grow the database for long.
#[tokio::test]
async fn a_sign_in_refreshed_as_often_as_it_may_be_ends() {
    let mut opts = Options::for_tests(50);
    opts.refreshes_per_sign_in = 3;
    let p = platform_with(opts);
    let first = p.login_full("owner@demo.test", "demo-password").await;
    let mut cookie = cookie_of(&first.headers);
    let mut token = String::new();
    for _ in 0..3 {
        let r = p.refresh(Some(&cookie)).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        cookie = cookie_of(&r.headers);
        token = r.data()["token"].as_str().unwrap().to_owned();
    }
    assert_eq!(list_status(&p, &token).await, StatusCode::OK);
    let ended = p.refresh(Some(&cookie)).await;
    assert_eq!(ended.status, StatusCode::UNAUTHORIZED);
    assert_eq!(list_status(&p, &token).await, StatusCode::UNAUTHORIZED);
    // Another sign-in has refreshes of its own.
    let (again, _) = sign_in(&p, "owner@demo.test").await;
    assert_eq!(list_status(&p, &again).await, StatusCode::OK);
}

#[tokio::test]
async fn a_rotated_token_presented_again_in_the_grace_window_gets_the_same_successor_once() {
    let p = platform(50);
    let first = p.login_full("owner@demo.test", "demo-password").await;
    let c1 = cookie_of(&first.headers);
    let a = p.refresh(Some(&c1)).await;
    assert_eq!(a.status, StatusCode::OK);
    let c2 = cookie_of(&a.headers);
    // A second tab still holds c1: it gets the same successor and a session of its own.
    let b = p.refresh(Some(&c1)).await;
    assert_eq!(b.status, StatusCode::OK, "{:?}", b.body);
    assert_eq!(cookie_of(&b.headers), c2, "the same successor");
    assert!(b.data()["token"].as_str().unwrap().len() > 20);
    assert_eq!(b.data()["user"]["email_address"], "owner@demo.test");
    // Never a third time: that is reuse, and the whole family goes, successors included.
    let c = p.refresh(Some(&c1)).await;
    assert_eq!(c.status, StatusCode::UNAUTHORIZED);
    assert_eq!(c.error_status(), "service_unauthorized_err");
    assert_eq!(p.refresh(Some(&c2)).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn reuse_after_the_window_revokes_that_family_only_and_for_good() {
    let mut opts = Options::for_tests(50);
    opts.refresh_grace_secs = 0;
    let p = platform_with(opts);
    let stolen = cookie_of(
        &p.login_full("owner@demo.test", "demo-password")
            .await
            .headers,
    );
    // Another browser of the same person: its own family.
    let other = cookie_of(
        &p.login_full("owner@demo.test", "demo-password")
            .await
            .headers,
    );
    let c2 = cookie_of(&p.refresh(Some(&stolen)).await.headers);
    let c3 = cookie_of(&p.refresh(Some(&c2)).await.headers);
    assert_eq!(
        p.refresh(Some(&stolen)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Every later successor of the family is dead too.
    assert_eq!(p.refresh(Some(&c3)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(p.refresh(Some(&c3)).await.status, StatusCode::UNAUTHORIZED);
    let kept = p.refresh(Some(&other)).await;
    assert_eq!(kept.status, StatusCode::OK, "other families are untouched");
    let kept2 = cookie_of(&kept.headers);
    assert_eq!(p.refresh(Some(&kept2)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn refresh_without_a_cookie_is_nobody_signed_in_not_an_error() {
    let p = platform(50);
    for cookie in [None, Some("onq_refresh="), Some("other=1")] {
        let r = p.refresh(cookie).await;
        assert_eq!(r.status, StatusCode::OK, "{cookie:?}");
        assert!(r.data().is_null(), "{cookie:?}");
        assert_eq!(r.body["error"]["code"], 0);
        assert!(r.headers.get("set-cookie").is_none());
    }
    let unknown = p.refresh(Some("onq_refresh=not-a-token")).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.error_status(), "service_unauthorized_err");
}

#[tokio::test]
async fn logout_clears_the_site_data() {
    let p = platform(50);
    let c = cookie_of(
        &p.login_full("owner@demo.test", "demo-password")
            .await
            .headers,
    );
    let out = p
        .call(Method::POST, "/auth/logout", None, None, &[("cookie", &c)])
        .await;
    assert_eq!(out.status, StatusCode::OK);
    assert_eq!(out.headers["clear-site-data"], r#""cookies", "storage""#);
}

/// POSTs to an `/auth` route with the given headers and raw body.
async fn auth_post(p: &Platform, route: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut b = Request::post(format!("/auth/{route}"));
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let (status, headers, bytes) = p.raw(b.body(Body::from(body.to_owned())).unwrap()).await;
    Reply {
        status,
        headers,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

const CREDENTIALS: &str = r#"{"email":"owner@demo.test","password":"demo-password"}"#;
const HOST: (&str, &str) = ("host", "127.0.0.1:8080");
const JSON: (&str, &str) = ("content-type", "application/json");

#[tokio::test]
async fn auth_routes_refuse_cross_site_requests() {
    let p = platform(50);
    let refused = |r: &Reply, what: &str| {
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{what}: {:?}", r.body);
        assert_eq!(r.error_status(), "internal_authz_err", "{what}");
        assert!(r.headers.get("set-cookie").is_none(), "{what}");
    };
    // Sign-in: a JSON body only, from this origin only.
    for (what, headers) in [
        (
            "form",
            vec![HOST, ("content-type", "application/x-www-form-urlencoded")],
        ),
        (
            "text",
            vec![HOST, ("content-type", "text/plain;charset=UTF-8")],
        ),
        ("no type", vec![HOST]),
        (
            "foreign origin",
            vec![HOST, JSON, ("origin", "http://evil.test")],
        ),
        ("opaque origin", vec![HOST, JSON, ("origin", "null")]),
        (
            "other port",
            vec![HOST, JSON, ("origin", "http://127.0.0.1:9999")],
        ),
        (
            "https origin, http server",
            vec![HOST, JSON, ("origin", "https://127.0.0.1:8080")],
        ),
        (
            "cross-site fetch",
            vec![HOST, JSON, ("sec-fetch-site", "cross-site")],
        ),
    ] {
        refused(&auth_post(&p, "login", &headers, CREDENTIALS).await, what);
    }
    for (what, headers) in [
        (
            "same origin",
            vec![HOST, JSON, ("origin", "http://127.0.0.1:8080")],
        ),
        (
            "charset",
            vec![HOST, ("content-type", "application/json; charset=utf-8")],
        ),
        (
            "same-origin fetch",
            vec![HOST, JSON, ("sec-fetch-site", "same-origin")],
        ),
        ("no browser headers", vec![JSON]),
        (
            "https behind a proxy",
            vec![
                HOST,
                JSON,
                ("x-forwarded-proto", "https"),
                ("origin", "https://127.0.0.1:8080"),
            ],
        ),
    ] {
        let r = auth_post(&p, "login", &headers, CREDENTIALS).await;
        assert_eq!(r.status, StatusCode::OK, "{what}: {:?}", r.body);
    }
    // Refresh and logout carry no body: no type, or JSON, but nothing a form could send.
    let c = cookie_of(
        &p.login_full("owner@demo.test", "demo-password")
            .await
            .headers,
    );
    for route in ["refresh", "logout"] {
        for (what, headers) in [
            (
                "form",
                vec![
                    HOST,
                    ("cookie", c.as_str()),
                    ("content-type", "application/x-www-form-urlencoded"),
                ],
            ),
            (
                "multipart",
                vec![
                    HOST,
                    ("cookie", c.as_str()),
                    ("content-type", "multipart/form-data; boundary=x"),
                ],
            ),
            (
                "text",
                vec![HOST, ("cookie", c.as_str()), ("content-type", "text/plain")],
            ),
            (
                "foreign origin",
                vec![
                    HOST,
                    ("cookie", c.as_str()),
                    ("origin", "https://evil.test"),
                ],
            ),
            (
                "cross-site fetch",
                vec![
                    HOST,
                    ("cookie", c.as_str()),
                    ("sec-fetch-site", "cross-site"),
                ],
            ),
        ] {
            refused(
                &auth_post(&p, route, &headers, "").await,
                &format!("{route}: {what}"),
            );
        }
    }
    // None of that signed the browser out: the cookie still refreshes, with or without a type.
    let r = auth_post(
        &p,
        "refresh",
        &[HOST, ("cookie", &c), ("origin", "http://127.0.0.1:8080")],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let c2 = cookie_of(&r.headers);
    let r = auth_post(&p, "refresh", &[HOST, JSON, ("cookie", &c2)], "").await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = auth_post(
        &p,
        "logout",
        &[HOST, ("cookie", &cookie_of(&r.headers))],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
}

/// A wrong guess from `addr` for `email`.
async fn guess(p: &Platform, email: &str, addr: [u8; 4]) -> StatusCode {
    let mut req = Request::post("/auth/login")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"email": email, "password": "wrong"}).to_string(),
        ))
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((addr, 40000))));
    p.raw(req).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_guesses_cannot_exceed_the_limit() {
    let p = Arc::new(platform(50));
    let mut guesses = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let p = p.clone();
        guesses.spawn(async move { guess(&p, "owner@demo.test", [127, 0, 0, 1]).await });
    }
    let statuses: Vec<StatusCode> = guesses.join_all().await;
    let wrong = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((wrong, limited), (5, 35), "{statuses:?}");
}

#[tokio::test]
async fn one_address_guessing_many_accounts_is_limited() {
    let mut opts = Options::for_tests(50);
    opts.login_failures_per_address = 10;
    let p = platform_with(opts);
    for i in 0..10 {
        let s = guess(&p, &format!("user{i}@demo.test"), [10, 1, 2, 3]).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "guess {i}");
    }
    assert_eq!(
        guess(&p, "user10@demo.test", [10, 1, 2, 3]).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // The bucket is per address: another address is not held back.
    assert_eq!(
        guess(&p, "user10@demo.test", [10, 9, 9, 9]).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_missing_or_mistyped_credential_is_named() {
    let p = platform(50);
    for (body, field) in [
        (r#"{"email":"owner@demo.test"}"#, "password"),
        (r#"{"password":"x"}"#, "email"),
        (r#"{"email":"owner@demo.test","password":7}"#, "password"),
    ] {
        let r = auth_post(&p, "login", &[JSON], body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(r.error_status(), "handler_payload_err");
        assert_eq!(r.body["error"]["details"][0]["field"], field, "{body}");
    }
}

#[tokio::test]
async fn every_platform_route_needs_a_valid_token() {
    let p = platform(50);
    for path in [
        "/api/tenants/tenant--demo/keys",
        "/api/tenants/tenant--demo/keys/base",
    ] {
        let none = p.call(Method::GET, path, None, None, &[]).await;
        assert_eq!(none.status, StatusCode::UNAUTHORIZED);
        assert_eq!(none.error_status(), "service_unauthorized_err");
        let bad = p.get(path, "not.a.jwt").await;
        assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn an_allowed_origin_may_sign_in_through_a_dev_server_proxy() {
    let mut opts = Options::for_tests(50);
    opts.allow_origins = vec!["http://127.0.0.1:8080".into()];
    let p = platform_with(opts);
    // A proxy in front (Trunk's) sends its backend's host; the page's origin is the proxy's.
    let proxied = [
        ("host", "127.0.0.1"),
        JSON,
        ("origin", "http://127.0.0.1:8080"),
    ];
    let r = auth_post(&p, "login", &proxied, CREDENTIALS).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let other = [
        ("host", "127.0.0.1"),
        JSON,
        ("origin", "http://127.0.0.1:8081"),
    ];
    assert_eq!(
        auth_post(&p, "login", &other, CREDENTIALS).await.status,
        StatusCode::FORBIDDEN
    );
}

/// DNS rebinding: a page whose name the attacker points at this machine is same-origin with
/// itself, `Host` and `Origin` both its own. Bound to loopback, the platform refuses any name
/// but this machine's; bound to another address, it is meant for other names.
#[tokio::test]
async fn a_name_that_is_not_this_machine_s_is_refused_on_loopback() {
    const ATTACKER: &str = "rebind.attacker.example:8080";
    let p = platform(0);
    let r = login_at(&p, ATTACKER).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("localhost"));
    let token = p.login("owner@demo.test").await;
    let keys = format!("/api/tenants/{DEMO}/keys");
    let r = p
        .call(
            Method::GET,
            &keys,
            Some(&token),
            None,
            &[("host", ATTACKER)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "the API too");
    for host in ["localhost:8080", "127.0.0.1:8080", "[::1]:8080"] {
        let r = login_at(&p, host).await;
        assert_eq!(r.status, StatusCode::OK, "{host}");
    }

    let mut opts = Options::for_tests(0);
    opts.bind = "0.0.0.0".into();
    let lan = platform_with(opts);
    let r = login_at(&lan, ATTACKER).await;
    assert_eq!(r.status, StatusCode::OK, "bound for other names");
}

/// A demo sign-in from a page at `http://{host}`, which names `host` in `Host` and `Origin`.
async fn login_at(p: &Platform, host: &str) -> Reply {
    let login = json!({"email": "owner@demo.test", "password": "demo-password"});
    let origin = format!("http://{host}");
    p.call(
        Method::POST,
        "/auth/login",
        None,
        Some(login),
        &[("host", host), ("origin", &origin)],
    )
    .await
}

/// A console on another origin allowed with `--allow-origin` gets CORS: its preflight for the
/// headers it sends, credentials for the refresh cookie, and the headers it reads exposed. Any
/// other origin gets none.
#[tokio::test]
async fn an_allowed_console_origin_gets_cors_and_no_other_does() {
    let mut opts = Options::for_tests(0);
    opts.allow_origins = vec!["http://console.test:8080".into()];
    let p = platform_with(opts);
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/tenants/tenant--demo/keys")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type, idempotency-key",
            )
            .body(Body::empty())
            .unwrap()
    };
    let (status, headers, _) = p.raw(preflight("http://console.test:8080")).await;
    assert!(status.is_success(), "{status}");
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    assert_eq!(
        get("access-control-allow-origin"),
        "http://console.test:8080"
    );
    assert_eq!(get("access-control-allow-credentials"), "true");
    assert!(get("access-control-allow-headers").contains("idempotency-key"));
    assert!(get("access-control-allow-methods").contains("delete"));

    let token = p.login("owner@demo.test").await;
    let r = p
        .call(
            Method::GET,
            "/api/tenants/tenant--demo/keys",
            Some(&token),
            None,
            &[("origin", "http://console.test:8080")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let exposed = r.headers["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        exposed.contains("retry-after") && exposed.contains("x-correlation-id"),
        "{exposed}"
    );

    let (_, headers, _) = p.raw(preflight("http://elsewhere.test")).await;
    assert!(!headers.contains_key("access-control-allow-origin"));
}

/// `--allow-origin` takes an origin exactly: CORS with credentials must name each one.
#[test]
fn allow_origin_takes_origins_only() {
    use clap::Parser;
    let parse = |origin: &str| Options::try_parse_from(["dev-platform", "--allow-origin", origin]);
    for good in ["http://127.0.0.1:8080", "https://console.example.test"] {
        assert_eq!(parse(good).unwrap().allow_origins, [good]);
    }
    for bad in [
        "*",
        "null",
        "https://console.example.test/",
        "console.example.test",
        "https://a.test; b",
    ] {
        assert!(parse(bad).is_err(), "{bad}");
    }
}

//! Sign-in: sessions, refresh rotation, sign-out, the limiter.

mod common;

use axum::http::{Method, StatusCode};
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
    assert_eq!(p.refresh(None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_just_rotated_refresh_token_is_accepted_within_the_grace_window() {
    let p = platform(50);
    let first = p.login_full("owner@demo.test", "demo-password").await;
    let c1 = cookie_of(&first.headers);
    let a = p.refresh(Some(&c1)).await;
    assert_eq!(a.status, StatusCode::OK);
    // The answer to `a` was lost (a reload aborted it): the browser still holds c1.
    let b = p.refresh(Some(&c1)).await;
    assert_eq!(b.status, StatusCode::OK, "{:?}", b.body);
    let c3 = cookie_of(&b.headers);
    assert_eq!(p.refresh(Some(&c3)).await.status, StatusCode::OK);
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

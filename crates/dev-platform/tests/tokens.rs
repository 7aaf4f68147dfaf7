//! Access tokens: only an unexpired HS256 token signed with the platform's secret, naming its
//! sign-in, is accepted, and a token for one tenant never reaches another's keys.

mod common;

use axum::http::{Method, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

use common::*;

fn secret(p: &Platform) -> String {
    p.state
        .db()
        .query_row("SELECT value FROM meta WHERE key = 'jwt_secret'", [], |r| {
            r.get(0)
        })
        .unwrap()
}

fn claims(exp_from_now: i64) -> Value {
    let now = dev_platform::clock::now_secs();
    json!({"sub": "user--owner", "tenant_id": DEMO, "roles": ["platform_owner"], "exp": now + exp_from_now, "iat": now, "sid": "family--signed-here"})
}

fn sign(alg: Algorithm, secret: &str, claims: &Value) -> String {
    jsonwebtoken::encode(
        &Header::new(alg),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

#[tokio::test]
async fn only_valid_tokens_are_accepted() {
    let p = platform(50);
    let key = secret(&p);
    let list = format!("/api/tenants/{DEMO}/keys");
    let good = sign(Algorithm::HS256, &key, &claims(60));
    assert_eq!(
        p.get(&list, &good).await.status,
        StatusCode::OK,
        "the control case"
    );

    let parts: Vec<&str> = good.split('.').collect();
    let mut other_tenant = claims(60);
    other_tenant["tenant_id"] = json!("tenant--other");
    let mut admin = claims(60);
    admin["roles"] = json!(["platform_owner", "developer"]);
    let mut no_exp = claims(60);
    no_exp.as_object_mut().unwrap().remove("exp");
    let mut no_sign_in = claims(60);
    no_sign_in.as_object_mut().unwrap().remove("sid");
    // alg confusion: an RS256 header over an HMAC of the secret.
    let rs_header = b64(&json!({"alg": "RS256", "typ": "JWT"}));
    let rs_body = format!("{rs_header}.{}", parts[1]);
    let rs_sig = {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
        mac.update(rs_body.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    };
    let refused = [
        ("expired", sign(Algorithm::HS256, &key, &claims(-5))),
        (
            "tampered tenant",
            format!("{}.{}.{}", parts[0], b64(&other_tenant), parts[2]),
        ),
        (
            "tampered roles",
            format!("{}.{}.{}", parts[0], b64(&admin), parts[2]),
        ),
        (
            "alg none",
            format!(
                "{}.{}.",
                b64(&json!({"alg": "none", "typ": "JWT"})),
                parts[1]
            ),
        ),
        (
            "alg none, signature kept",
            format!("{}.{}.{}", b64(&json!({"alg": "none"})), parts[1], parts[2]),
        ),
        ("HS512", sign(Algorithm::HS512, &key, &claims(60))),
        ("RS256 header", format!("{rs_body}.{rs_sig}")),
        (
            "another secret",
            sign(Algorithm::HS256, "not-the-platform-secret", &claims(60)),
        ),
        ("no expiry", sign(Algorithm::HS256, &key, &no_exp)),
        (
            "no sign-in named",
            sign(Algorithm::HS256, &key, &no_sign_in),
        ),
        ("truncated", good[..good.len() - 3].to_owned()),
        ("empty", String::new()),
    ];
    for (what, token) in refused {
        let r = p.get(&list, &token).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{what}");
        assert_eq!(r.error_status(), "service_unauthorized_err", "{what}");
        assert!(r.data().is_null(), "{what}");
    }
}

#[tokio::test]
async fn a_token_for_one_tenant_gets_403_on_every_route_of_another() {
    let p = platform(50);
    let owner = p.login("owner@demo.test").await;
    let (app, tech, arx, _) = p.base(&owner).await;
    let demo_list = p.get(&format!("/api/tenants/{DEMO}/keys"), &owner).await;
    let total = demo_list.data()["insights"]["total_keys"].clone();
    let id = demo_list.data()["api_keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["status"] == "active")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = p.login("owner@other.test").await;
    let keys = format!("/api/tenants/{DEMO}/keys");
    let body = json!({"api_key": {"application_id": app, "cluster_id": arx, "application_technology": tech}});
    for (method, path, body) in [
        (Method::GET, keys.clone(), None),
        (Method::GET, format!("{keys}/base"), None),
        (Method::GET, format!("{keys}/{id}"), None),
        (Method::POST, keys.clone(), Some(body)),
        // Refused before its body is read.
        (Method::POST, keys.clone(), Some(json!({}))),
        (Method::DELETE, format!("{keys}/{id}"), None),
        (Method::GET, format!("{keys}/{id}/sensitive"), None),
    ] {
        let r = p
            .call(
                method.clone(),
                &path,
                Some(&other),
                body,
                &[("idempotency-key", "x")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(r.error_status(), "internal_authz_err", "{method} {path}");
        assert!(r.data().is_null());
    }
    let after = p.get(&format!("/api/tenants/{DEMO}/keys"), &owner).await;
    assert_eq!(
        after.data()["insights"]["total_keys"],
        total,
        "nothing created"
    );
    let key = p.get(&format!("{keys}/{id}"), &owner).await;
    assert_eq!(key.data()["status"], "active", "nothing deleted");
}

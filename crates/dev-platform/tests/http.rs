//! HTTP-level tests of the dev platform: the router in-process, a fresh in-memory database each.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use dev_platform::{AppState, Options};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

struct Platform {
    app: Router,
    state: Arc<AppState>,
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Reply {
    fn data(&self) -> &Value {
        &self.body["data"]
    }
    fn error_status(&self) -> &str {
        self.body["error"]["status"].as_str().unwrap_or("")
    }
}

const DEMO: &str = "tenant--demo";

fn platform_with(opts: Options) -> Platform {
    let (app, state) = dev_platform::build(&opts).expect("platform builds");
    Platform { app, state }
}

fn platform(delay_ms: u64) -> Platform {
    platform_with(Options::for_tests(delay_ms))
}

impl Platform {
    async fn raw(&self, req: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        (status, headers, bytes)
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        extra: &[(&str, &str)],
    ) -> Reply {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header("accept", "application/json");
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        for (k, v) in extra {
            b = b.header(*k, *v);
        }
        let req = match body {
            Some(v) => b
                .header("content-type", "application/json")
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        }
        .unwrap();
        let (status, headers, bytes) = self.raw(req).await;
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
        }
    }

    async fn login_full(&self, email: &str, password: &str) -> Reply {
        self.call(
            Method::POST,
            "/auth/login",
            None,
            Some(json!({"email": email, "password": password})),
            &[],
        )
        .await
    }

    /// `POST /auth/refresh` presenting `cookie` (the whole `name=value`), or no cookie.
    async fn refresh(&self, cookie: Option<&str>) -> Reply {
        let headers: Vec<(&str, &str)> = cookie.map(|c| ("cookie", c)).into_iter().collect();
        self.call(Method::POST, "/auth/refresh", None, None, &headers)
            .await
    }

    async fn login(&self, email: &str) -> String {
        let r = self.login_full(email, "demo-password").await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        r.data()["token"].as_str().unwrap().to_owned()
    }

    async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None, &[]).await
    }

    async fn base(&self, token: &str) -> (String, String, String, String) {
        let r = self
            .get(&format!("/api/tenants/{DEMO}/keys/base"), token)
            .await;
        let apps = r.data()["model"]["applications"]
            .as_array()
            .unwrap()
            .clone();
        let app = apps
            .iter()
            .find(|a| a["application_technology"]["id"] == "server")
            .unwrap();
        let clusters = r.data()["model"]["clusters"].as_array().unwrap().clone();
        let good = clusters.iter().find(|c| c["name"] == "prod-au").unwrap();
        let bad = clusters
            .iter()
            .find(|c| c["name"] == "broken-test")
            .unwrap();
        (
            app["id"].as_str().unwrap().into(),
            "server".into(),
            good["id"].as_str().unwrap().into(),
            bad["id"].as_str().unwrap().into(),
        )
    }

    async fn create(
        &self,
        token: &str,
        app: &str,
        tech: &str,
        arx: &str,
        idem: Option<&str>,
    ) -> Reply {
        let extra: Vec<(&str, &str)> = idem.map(|k| ("idempotency-key", k)).into_iter().collect();
        self.call(
            Method::POST,
            &format!("/api/tenants/{DEMO}/keys"),
            Some(token),
            Some(json!({"api_key": {"application_id": app, "cluster_id": arx, "application_technology": tech}})),
            &extra,
        )
        .await
    }
}

fn cookie_of(headers: &HeaderMap) -> String {
    let set = headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/auth"),
        "{set}"
    );
    set.split(';').next().unwrap().to_owned()
}

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

#[tokio::test]
async fn roles_times_routes() {
    let p = platform(30);
    for (email, may) in [
        ("owner@demo.test", true),
        ("developer@demo.test", true),
        ("admin@demo.test", false),
    ] {
        let t = p.login(email).await;
        let list = p.get(&format!("/api/tenants/{DEMO}/keys"), &t).await;
        assert_eq!(list.status, StatusCode::OK, "{email} lists");
        assert_eq!(
            list.data()["acl"]["can"]["add"],
            json!(may),
            "{email} add acl"
        );
        if !may {
            assert_eq!(
                list.data()["acl"]["can_not"]["add_reason"],
                "Only Platform Owners and Developers can create API keys"
            );
        }
        let keys = list.data()["api_keys"].as_array().unwrap();
        let active = keys.iter().find(|k| k["status"] == "active").unwrap();
        assert_eq!(active["acl"]["can"]["delete"], json!(may));
        let base = p.get(&format!("/api/tenants/{DEMO}/keys/base"), &t).await;
        assert_eq!(base.status, StatusCode::OK);
        assert_eq!(base.data()["acl"]["can"]["add"], json!(may));
        let id = active["id"].as_str().unwrap();
        assert_eq!(
            p.get(&format!("/api/tenants/{DEMO}/keys/{id}"), &t)
                .await
                .status,
            StatusCode::OK
        );

        let (app, tech, arx, _) = p.base(&t).await;
        let created = p.create(&t, &app, &tech, &arx, None).await;
        let del = p
            .call(
                Method::DELETE,
                &format!("/api/tenants/{DEMO}/keys/{id}"),
                Some(&t),
                None,
                &[],
            )
            .await;
        let secrets = p
            .get(&format!("/api/tenants/{DEMO}/keys/{id}/sensitive"), &t)
            .await;
        if may {
            assert_eq!(created.status, StatusCode::OK, "{email} creates");
            assert_eq!(created.data()["status"], "pending");
            assert_eq!(del.status, StatusCode::OK, "{email} deletes");
        } else {
            for r in [&created, &del, &secrets] {
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{email}: {:?}", r.body);
                assert_eq!(r.error_status(), "internal_authz_err");
                assert!(r.body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("Only Platform Owners and Developers"));
            }
        }
    }
}

#[tokio::test]
async fn another_tenant_gets_403_and_nothing_leaks() {
    let p = platform(50);
    let owner = p.login("owner@demo.test").await;
    let demo_keys = p.get(&format!("/api/tenants/{DEMO}/keys"), &owner).await;
    let demo_id = demo_keys.data()["api_keys"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = p.login("owner@other.test").await;
    for path in [
        format!("/api/tenants/{DEMO}/keys"),
        format!("/api/tenants/{DEMO}/keys/base"),
        format!("/api/tenants/{DEMO}/keys/{demo_id}"),
        format!("/api/tenants/{DEMO}/keys/{demo_id}/sensitive"),
        "/api/tenants/tenant--nonexistent/keys".to_owned(),
    ] {
        let r = p.get(&path, &other).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert!(r.data().is_null());
        assert!(!r.body.to_string().contains(&demo_id));
    }
    let del = p
        .call(
            Method::DELETE,
            &format!("/api/tenants/{DEMO}/keys/{demo_id}"),
            Some(&other),
            None,
            &[],
        )
        .await;
    assert_eq!(del.status, StatusCode::FORBIDDEN);
    // A demo key id under the other tenant's own path is simply not found.
    let r = p
        .get(
            &format!("/api/tenants/tenant--other/keys/{demo_id}"),
            &other,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.error_status(), "db_not_exist_err");
    let own = p.get("/api/tenants/tenant--other/keys", &other).await;
    assert_eq!(own.data()["api_keys"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn idempotency_same_body_same_key_other_body_422_in_flight_409() {
    let mut opts = Options::for_tests(50);
    opts.faults = true;
    let p = platform_with(opts);
    let t = p.login("developer@demo.test").await;
    let (app, tech, arx, bad_arx) = p.base(&t).await;
    let a = p.create(&t, &app, &tech, &arx, Some("intent-1")).await;
    let b = p.create(&t, &app, &tech, &arx, Some("intent-1")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(b.status, StatusCode::OK);
    assert_eq!(a.data()["id"], b.data()["id"]);
    let c = p.create(&t, &app, &tech, &bad_arx, Some("intent-1")).await;
    assert_eq!(c.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(c.error_status(), "handler_data_err");
    // A fresh key creates a fresh key.
    let d = p.create(&t, &app, &tech, &arx, Some("intent-2")).await;
    assert_ne!(d.data()["id"], a.data()["id"]);
    // Concurrent: the second sees the first in flight.
    p.state.faults.set(dev_platform::faults::FaultConfig {
        create_hold_ms: 300,
        ..Default::default()
    });
    let (first, second) = tokio::join!(p.create(&t, &app, &tech, &arx, Some("intent-3")), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        p.create(&t, &app, &tech, &arx, Some("intent-3")).await
    });
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert_eq!(second.error_status(), "internal_lock_hold_by_another");
}

#[tokio::test]
async fn create_validates_against_base() {
    let p = platform(50);
    let t = p.login("owner@demo.test").await;
    let (app, _, arx, _) = p.base(&t).await;
    let mismatch = p.create(&t, &app, "client", &arx, None).await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        mismatch.body["error"]["details"][0]["field"],
        "api_key.application_technology"
    );
    let unknown = p.create(&t, &app, "server", "arx--nope", None).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let missing = p
        .call(
            Method::POST,
            &format!("/api/tenants/{DEMO}/keys"),
            Some(&t),
            Some(json!({"api_key": {"cluster_id": arx}})),
            &[],
        )
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.error_status(), "handler_payload_err");
    let fields: Vec<_> = missing.body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap().to_owned())
        .collect();
    assert!(fields.contains(&"api_key.application_id".to_owned()));
}

#[tokio::test]
async fn provisioning_turns_active_or_failed_and_secrets_come_once() {
    let p = platform(150);
    let t = p.login("owner@demo.test").await;
    let (app, tech, arx, bad) = p.base(&t).await;
    let good = p.create(&t, &app, &tech, &arx, Some("g")).await;
    let failing = p.create(&t, &app, &tech, &bad, Some("f")).await;
    let id = good.data()["id"].as_str().unwrap().to_owned();
    let fid = failing.data()["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("apikey--"));
    assert!(good.data()["access_key"]
        .as_str()
        .unwrap()
        .starts_with("onq."));
    assert_eq!(good.data()["acl"]["can"]["delete"], false);
    let early = p
        .get(&format!("/api/tenants/{DEMO}/keys/{id}/sensitive"), &t)
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    tokio::time::sleep(Duration::from_millis(250)).await;
    let now = p.get(&format!("/api/tenants/{DEMO}/keys/{id}"), &t).await;
    assert_eq!(now.data()["status"], "active");
    assert_eq!(now.data()["acl"]["can"]["delete"], true);
    assert_eq!(
        p.get(&format!("/api/tenants/{DEMO}/keys/{fid}"), &t)
            .await
            .data()["status"],
        "failed"
    );
    let s = p
        .get(&format!("/api/tenants/{DEMO}/keys/{id}/sensitive"), &t)
        .await;
    assert_eq!(s.status, StatusCode::OK);
    for f in [
        "server_signing_key",
        "server_crypto_access_key",
        "client_key",
    ] {
        assert!(s.data()[f].as_str().unwrap().len() >= 40, "{f}");
    }
    assert_eq!(s.data()["access_key"], good.data()["access_key"]);
    assert!(!s.data()["provided_at"].as_str().unwrap().is_empty());
    let again = p
        .get(&format!("/api/tenants/{DEMO}/keys/{id}/sensitive"), &t)
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    assert_eq!(again.error_status(), "api_key_secrets_already_provided");
    // The secrets are erased from the database.
    let conn = p.state.db();
    let left: Option<String> = conn
        .query_row(
            "SELECT server_signing_key FROM api_keys WHERE id = ?1",
            [&id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(left.is_none());
}

#[tokio::test]
async fn delete_is_soft_through_pending() {
    let p = platform(120);
    let t = p.login("owner@demo.test").await;
    let list = p.get(&format!("/api/tenants/{DEMO}/keys"), &t).await;
    let before = list.data()["insights"].clone();
    let keys = list.data()["api_keys"].as_array().unwrap();
    let id = keys.iter().find(|k| k["status"] == "active").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let deleted_id = keys.iter().find(|k| k["status"] == "deleted").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/tenants/{DEMO}/keys/{id}");
    let d = p.call(Method::DELETE, &path, Some(&t), None, &[]).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.data()["status"], "pending");
    let again = p.call(Method::DELETE, &path, Some(&t), None, &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        p.get(&format!("/api/tenants/{DEMO}/keys"), &t).await.data()["api_keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == id.as_str())
            .unwrap()["acl"]["can_not"]["delete_reason"],
        "An operation on this key is in progress"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let after = p.get(&format!("/api/tenants/{DEMO}/keys"), &t).await;
    let row = after.data()["api_keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == id.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["status"], "deleted");
    let ins = &after.data()["insights"];
    assert_eq!(
        ins["total_deleted"].as_u64().unwrap(),
        before["total_deleted"].as_u64().unwrap() + 1
    );
    assert_eq!(ins["total_keys"], before["total_keys"]);
    let noop = p
        .call(
            Method::DELETE,
            &format!("/api/tenants/{DEMO}/keys/{deleted_id}"),
            Some(&t),
            None,
            &[],
        )
        .await;
    assert_eq!(noop.status, StatusCode::OK);
    assert_eq!(noop.data()["status"], "deleted");
    let missing = p
        .call(
            Method::DELETE,
            &format!("/api/tenants/{DEMO}/keys/apikey--nope"),
            Some(&t),
            None,
            &[],
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn malformed_and_oversized_bodies_get_400_envelopes_with_correlation_id() {
    let p = platform(50);
    let t = p.login("owner@demo.test").await;
    let req = Request::post(format!("/api/tenants/{DEMO}/keys"))
        .header("authorization", format!("Bearer {t}"))
        .header("content-type", "application/json")
        .body(Body::from("{\"api_key\": <script>"))
        .unwrap();
    let (status, headers, bytes) = p.raw(req).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["error"]["status"], "handler_payload_err");
    assert_eq!(body["error"]["code"], 400);
    assert!(body["data"].is_null());
    assert!(
        !String::from_utf8_lossy(&bytes).contains("<script>"),
        "input is never echoed"
    );
    let corr = headers.get("x-correlation-id").unwrap().to_str().unwrap();
    assert_eq!(body["error"]["correlation_id"], corr);
    assert_eq!(headers.get("cache-control").unwrap(), "no-store");
    let huge = "x".repeat(100_000);
    let big = p
        .call(
            Method::POST,
            "/auth/login",
            None,
            Some(json!({"email": huge, "password": "p"})),
            &[],
        )
        .await;
    assert_eq!(big.status, StatusCode::BAD_REQUEST);
    assert!(!big.body.to_string().contains("xxxx"));
    let unknown = p.get("/api/nope", &t).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.error_status(), "db_not_exist_err");
}

#[tokio::test]
async fn faults_inject_failures_and_drop_create_responses() {
    let mut opts = Options::for_tests(50);
    opts.faults = true;
    let p = platform_with(opts);
    let t = p.login("owner@demo.test").await;
    // The control endpoint refuses callers that are not on loopback.
    let mut req = Request::put("/__faults")
        .body(Body::from(
            r#"{"fail_rate":1.0,"fail_status":503,"retry_after_secs":7}"#,
        ))
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 1234))));
    assert_eq!(p.raw(req).await.0, StatusCode::FORBIDDEN);
    let mut req = Request::put("/__faults")
        .body(Body::from(
            r#"{"fail_rate":1.0,"fail_status":503,"retry_after_secs":7}"#,
        ))
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 1234))));
    assert_eq!(p.raw(req).await.0, StatusCode::OK);
    let r = p.get(&format!("/api/tenants/{DEMO}/keys"), &t).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.error_status(), "service_unavailable_err");
    assert_eq!(r.headers.get("retry-after").unwrap(), "7");
    p.state.faults.set(dev_platform::faults::FaultConfig {
        drop_create_responses: 1,
        ..Default::default()
    });
    let (app, tech, arx, _) = p.base(&t).await;
    let req = Request::post(format!("/api/tenants/{DEMO}/keys"))
        .header("authorization", format!("Bearer {t}"))
        .header("idempotency-key", "drop-1")
        .body(Body::from(json!({"api_key": {"application_id": app, "cluster_id": arx, "application_technology": tech}}).to_string()))
        .unwrap();
    let resp = p.app.clone().oneshot(req).await.unwrap();
    assert!(
        resp.into_body().collect().await.is_err(),
        "the response body breaks"
    );
    // The retry with the same intent yields the one key that was committed.
    let before = p.get(&format!("/api/tenants/{DEMO}/keys"), &t).await.data()["insights"]
        ["total_keys"]
        .as_u64()
        .unwrap();
    let retry = p.create(&t, &app, &tech, &arx, Some("drop-1")).await;
    assert_eq!(retry.status, StatusCode::OK);
    let after = p.get(&format!("/api/tenants/{DEMO}/keys"), &t).await.data()["insights"]
        ["total_keys"]
        .as_u64()
        .unwrap();
    assert_eq!(before, after, "no second key");
}

#[tokio::test]
async fn faults_are_absent_unless_enabled() {
    let p = platform(50);
    let mut req = Request::get("/__faults").body(Body::empty()).unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 1))));
    assert_ne!(p.raw(req).await.0, StatusCode::OK);
}

#[tokio::test]
async fn restart_keeps_data_and_seeding_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = Options::for_tests(10);
    opts.db = dir.path().join("db.sqlite3");
    let id;
    let total;
    {
        let p = platform_with(opts.clone());
        let t = p.login("owner@demo.test").await;
        let (app, tech, arx, _) = p.base(&t).await;
        id = p.create(&t, &app, &tech, &arx, None).await.data()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        total = p.get(&format!("/api/tenants/{DEMO}/keys"), &t).await.data()["insights"]
            ["total_keys"]
            .as_u64()
            .unwrap();
    }
    let p = platform_with(opts);
    let t = p.login("owner@demo.test").await;
    let list = p.get(&format!("/api/tenants/{DEMO}/keys"), &t).await;
    assert_eq!(
        list.data()["insights"]["total_keys"].as_u64().unwrap(),
        total
    );
    assert_eq!(
        p.get(&format!("/api/tenants/{DEMO}/keys/{id}"), &t)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn demo_keys_seed_scale_data_and_the_list_stays_consistent() {
    let mut opts = Options::for_tests(50);
    opts.demo_keys = 500;
    let p = platform_with(opts);
    let t = p.login("admin@demo.test").await;
    let list = p.get(&format!("/api/tenants/{DEMO}/keys"), &t).await;
    let keys = list.data()["api_keys"].as_array().unwrap();
    assert_eq!(keys.len(), 508);
    assert_eq!(list.data()["insights"]["total_keys"], 508);
    let active = keys.iter().filter(|k| k["status"] == "active").count() as u64;
    assert_eq!(
        list.data()["insights"]["total_active"].as_u64().unwrap(),
        active
    );
}

#[tokio::test]
async fn the_key_list_is_gzip_encoded_for_clients_that_accept_it() {
    use std::io::Read;
    let mut opts = Options::for_tests(50);
    opts.demo_keys = 200;
    let p = platform_with(opts);
    let t = p.login("owner@demo.test").await;
    let list = |encoding: Option<&'static str>| {
        let mut b = Request::get(format!("/api/tenants/{DEMO}/keys"))
            .header("authorization", format!("Bearer {t}"));
        if let Some(e) = encoding {
            b = b.header("accept-encoding", e);
        }
        p.raw(b.body(Body::empty()).unwrap())
    };
    let (status, plain_headers, plain) = list(None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(plain_headers.get("content-encoding").is_none());
    assert_eq!(plain_headers["vary"], "accept-encoding");
    for accepted in ["gzip", "br, gzip;q=0.8, deflate", "*"] {
        let (status, headers, zipped) = list(Some(accepted)).await;
        assert_eq!(status, StatusCode::OK, "{accepted}");
        assert_eq!(headers["content-encoding"], "gzip", "{accepted}");
        assert!(
            zipped.len() * 4 < plain.len(),
            "{accepted}: {} bytes",
            zipped.len()
        );
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&zipped[..])
            .read_to_end(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, plain, "{accepted}: same list once decompressed");
    }
    for refused in ["identity", "gzip;q=0", "br"] {
        let (_, headers, body) = list(Some(refused)).await;
        assert!(headers.get("content-encoding").is_none(), "{refused}");
        assert_eq!(body, plain, "{refused}");
    }
    // A write invalidates the compressed copy along with the plain one.
    let (app, tech, arx, _) = p.base(&t).await;
    assert_eq!(
        p.create(&t, &app, &tech, &arx, None).await.status,
        StatusCode::OK
    );
    let (_, _, zipped) = list(Some("gzip")).await;
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&zipped[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    let after: Value = serde_json::from_slice(&unzipped).unwrap();
    assert_eq!(after["data"]["insights"]["total_keys"], 209);
}

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

    assert_eq!(
        send("POST", "/index.html", &[]).await.0,
        StatusCode::METHOD_NOT_ALLOWED
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

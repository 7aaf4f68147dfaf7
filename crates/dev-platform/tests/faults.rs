//! Fault injection and its control endpoint.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode};
use dev_platform::Options;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use common::*;

const LOOPBACK: [u8; 4] = [127, 0, 0, 1];

/// A request to `/__faults` from `peer` with the given `Host`, and a JSON body if given.
async fn control(
    p: &Platform,
    method: &str,
    peer: [u8; 4],
    host: &str,
    json: Option<&str>,
) -> (StatusCode, Vec<u8>) {
    let mut b = Request::builder().method(method).uri("/__faults");
    if !host.is_empty() {
        b = b.header("host", host);
    }
    let mut req = match json {
        Some(j) => b
            .header("content-type", "application/json")
            .body(Body::from(j.to_owned())),
        None => b.body(Body::empty()),
    }
    .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((peer, 1234))));
    let (status, _, body) = p.raw(req).await;
    (status, body)
}

fn with_faults() -> Platform {
    let mut opts = Options::for_tests(30);
    opts.faults = true;
    platform_with(opts)
}

/// Sets `rules` (a JSON array) through the control endpoint.
async fn rules(p: &Platform, rules: Value) {
    let cfg = json!({ "rules": rules }).to_string();
    let (status, body) = control(p, "PUT", LOOPBACK, "127.0.0.1:1", Some(&cfg)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
}

#[tokio::test]
async fn faults_inject_failures_and_drop_create_responses() {
    let mut opts = Options::for_tests(50);
    opts.faults = true;
    let p = platform_with(opts);
    let t = p.login("owner@demo.test").await;
    let cfg = r#"{"fail_rate":1.0,"fail_status":503,"retry_after_secs":7}"#;
    assert_eq!(
        control(&p, "PUT", [10, 0, 0, 1], "127.0.0.1:8080", Some(cfg))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        control(&p, "PUT", LOOPBACK, "127.0.0.1:8080", Some(cfg))
            .await
            .0,
        StatusCode::OK
    );
    let r = p.get(&format!("/api/tenants/{DEMO}/keys"), &t).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.error_status(), "service_unavailable_err");
    assert_eq!(r.headers.get("retry-after").unwrap(), "7");
    p.state
        .faults
        .set(dev_platform::faults::FaultConfig {
            drop_create_responses: 1,
            ..Default::default()
        })
        .unwrap();
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
async fn the_control_takes_put_and_delete_with_json_from_loopback_only() {
    let p = with_faults();
    let t = p.login("owner@demo.test").await;
    let failing = r#"{"fail_rate":1.0,"fail_status":500}"#;
    let list_status = || async { p.get(&format!("/api/tenants/{DEMO}/keys"), &t).await.status };
    // No reading it back, no POST.
    assert_eq!(
        control(&p, "GET", LOOPBACK, "127.0.0.1", None).await.0,
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(
        control(&p, "POST", LOOPBACK, "127.0.0.1", Some(failing))
            .await
            .0,
        StatusCode::METHOD_NOT_ALLOWED
    );
    // A name that merely resolves to loopback (DNS rebinding) or no name at all is refused.
    for host in [
        "evil.test",
        "127.0.0.1.evil.test",
        "localhost.evil.test:80",
        "",
    ] {
        let (s, _) = control(&p, "PUT", LOOPBACK, host, Some(failing)).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{host:?}");
        assert_eq!(
            control(&p, "DELETE", LOOPBACK, host, None).await.0,
            StatusCode::FORBIDDEN,
            "{host:?}"
        );
    }
    // A body that is not declared JSON, or is not a configuration, changes nothing.
    let mut req = Request::put("/__faults")
        .header("host", "127.0.0.1")
        .header("content-type", "text/plain")
        .body(Body::from(failing))
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((LOOPBACK, 1))));
    assert_eq!(p.raw(req).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    for bad in [
        r#"{"fail_rate":"<b>x</b>"}"#,
        "{",
        r#"{"rules":[{"route":"everything","respond":{"status":500}}]}"#,
        r#"{"rules":[{"route":"list","respond":{"status":418}}]}"#,
        r#"{"rules":[{"route":"list","respond":{"status":500,"drop":true}}]}"#,
        r#"{"rules":[{"route":"list","respond":{}}]}"#,
        r#"{"create_hold_ms":60000}"#,
    ] {
        let (s, body) = control(&p, "PUT", LOOPBACK, "127.0.0.1", Some(bad)).await;
        // As docs/dev-platform.md says: 400 for malformed JSON, 422 for any other refusal.
        let want = if bad == "{" {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        assert_eq!(s, want, "{bad}");
        let body = String::from_utf8_lossy(&body);
        assert!(
            !body.contains("<b>") && !body.contains("everything") && !body.contains("418"),
            "{body}"
        );
    }
    assert_eq!(list_status().await, StatusCode::OK);
    for host in ["127.0.0.1", "localhost:8080", "[::1]:9", "LOCALHOST"] {
        assert_eq!(
            control(&p, "PUT", LOOPBACK, host, Some(failing)).await.0,
            StatusCode::OK,
            "{host}"
        );
        assert_eq!(list_status().await, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            control(&p, "DELETE", LOOPBACK, host, None).await.0,
            StatusCode::OK,
            "{host}"
        );
        assert_eq!(list_status().await, StatusCode::OK);
    }
}

#[tokio::test]
async fn fault_rules_answer_with_each_contract_status() {
    let p = with_faults();
    let t = p.login("owner@demo.test").await;
    let id = p.get(&format!("/api/tenants/{DEMO}/keys"), &t).await.data()["api_keys"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let detail = format!("/api/tenants/{DEMO}/keys/{id}");
    for (status, key) in [
        (400, "handler_payload_err"),
        (401, "service_unauthorized_err"),
        (403, "internal_authz_err"),
        (404, "db_not_exist_err"),
        (409, "internal_lock_hold_by_another"),
        (410, "api_key_secrets_already_provided"),
        (422, "handler_data_err"),
        (429, "internal_rate_limited"),
        (500, "internal_err"),
        (503, "service_unavailable_err"),
    ] {
        rules(&p, json!([{"route": "detail", "times": 1, "respond": {"status": status, "retry_after_secs": 7}}])).await;
        let r = p.get(&detail, &t).await;
        assert_eq!(r.status.as_u16(), status);
        assert_eq!(r.error_status(), key, "{status}");
        assert_eq!(r.body["error"]["code"], status);
        assert!(r.data().is_null());
        assert!(!r.body["error"]["message"].as_str().unwrap().is_empty());
        assert_eq!(
            r.body["error"]["correlation_id"],
            r.headers["x-correlation-id"].to_str().unwrap()
        );
        let details = &r.body["error"]["details"];
        assert_eq!(
            details.is_array(),
            [400, 422].contains(&status),
            "{status}: {details}"
        );
        let retry = r
            .headers
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned());
        let expected = [429, 503].contains(&status).then(|| "7".to_owned());
        assert_eq!(retry, expected, "{status}");
        assert_eq!(
            p.get(&detail, &t).await.status,
            StatusCode::OK,
            "{status}: once"
        );
    }
}

#[tokio::test]
async fn fault_rules_count_match_by_route_and_reset() {
    let p = with_faults();
    let t = p.login("owner@demo.test").await;
    let other = p.login("owner@other.test").await;
    let list = format!("/api/tenants/{DEMO}/keys");
    let base = format!("/api/tenants/{DEMO}/keys/base");
    rules(
        &p,
        json!([
            {"route": "list", "times": 1, "respond": {"status": 404}},
            {"route": "list", "times": 2, "respond": {"status": 409}},
            {"route": "base", "times": 0, "respond": {"status": 503}},
        ]),
    )
    .await;
    // The first rule with times left wins; then the next; then the real answer.
    assert_eq!(p.get(&list, &t).await.status, StatusCode::NOT_FOUND);
    assert_eq!(p.get(&list, &t).await.status, StatusCode::CONFLICT);
    // Any tenant's requests match.
    assert_eq!(
        p.get("/api/tenants/tenant--other/keys", &other)
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert_eq!(p.get(&list, &t).await.status, StatusCode::OK);
    // times 0: every one until reset; no Retry-After unless asked for.
    for _ in 0..3 {
        let r = p.get(&base, &t).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(r.headers.get("retry-after").is_none());
    }
    assert_eq!(
        control(&p, "DELETE", LOOPBACK, "127.0.0.1", None).await.0,
        StatusCode::OK
    );
    assert_eq!(p.get(&base, &t).await.status, StatusCode::OK);
    // The sign-in routes.
    rules(
        &p,
        json!([
            {"route": "login", "times": 1, "respond": {"status": 429}},
            {"route": "refresh", "times": 1, "respond": {"status": 500}},
            {"route": "logout", "times": 1, "respond": {"status": 503}},
        ]),
    )
    .await;
    let login = p.login_full("owner@demo.test", "demo-password").await;
    assert_eq!(login.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(login.headers["retry-after"], "1");
    let signed_in = p.login_full("owner@demo.test", "demo-password").await;
    let c = cookie_of(&signed_in.headers);
    assert_eq!(
        p.refresh(Some(&c)).await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    let out = p
        .call(Method::POST, "/auth/logout", None, None, &[("cookie", &c)])
        .await;
    assert_eq!(out.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        p.refresh(Some(&c)).await.status,
        StatusCode::OK,
        "neither rule touched the token"
    );
}

#[tokio::test]
async fn fault_rules_hang_drop_and_garble_answers() {
    let p = with_faults();
    let t = p.login("owner@demo.test").await;
    let list = format!("/api/tenants/{DEMO}/keys");
    let (app, tech, arx, _) = p.base(&t).await;
    let before = p.get(&list, &t).await.data()["insights"]["total_keys"].clone();
    rules(
        &p,
        json!([
            {"route": "list", "times": 1, "respond": {"hang_ms": 300}},
            {"route": "create", "times": 1, "respond": {"drop": true}},
            {"route": "secrets", "times": 1, "respond": {"non_json": true}},
            {"route": "delete", "times": 1, "respond": {"non_json": true, "status": 200}},
            {"route": "detail", "times": 1, "respond": {"truncated": true}},
        ]),
    )
    .await;
    let t0 = std::time::Instant::now();
    let hung = p.get(&list, &t).await;
    assert!(t0.elapsed() >= std::time::Duration::from_millis(300));
    assert_eq!(hung.status, StatusCode::OK, "answered after the wait");
    // Dropped: the answer breaks off; the request never reached the handler.
    let req = Request::post(list.clone())
        .header("authorization", format!("Bearer {t}"))
        .header("content-type", "application/json")
        .body(Body::from(json!({"api_key": {"application_id": app, "cluster_id": arx, "application_technology": tech}}).to_string()))
        .unwrap();
    let resp = p.app.clone().oneshot(req).await.unwrap();
    assert!(resp.into_body().collect().await.is_err());
    assert_eq!(
        p.get(&list, &t).await.data()["insights"]["total_keys"],
        before
    );
    // Not JSON: a gateway's HTML page, by default a 502.
    let id = p.get(&list, &t).await.data()["api_keys"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (path, method, status) in [
        (format!("{list}/{id}/sensitive"), "GET", 502),
        (format!("{list}/{id}"), "DELETE", 200),
    ] {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {t}"))
            .body(Body::empty())
            .unwrap();
        let (s, h, body) = p.raw(req).await;
        assert_eq!(s.as_u16(), status);
        assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
        assert!(serde_json::from_slice::<Value>(&body).is_err());
    }
    // Truncated: a 200 JSON answer cut in the middle, its length consistent with what is sent.
    let req = Request::get(format!("{list}/{id}"))
        .header("authorization", format!("Bearer {t}"))
        .header("accept-encoding", "gzip")
        .body(Body::empty())
        .unwrap();
    let (s, h, body) = p.raw(req).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h["content-type"], "application/json");
    assert!(h.get("content-encoding").is_none());
    assert_eq!(
        h["content-length"].to_str().unwrap(),
        body.len().to_string()
    );
    assert!(
        body.starts_with(br#"{"data":{"#),
        "{}",
        String::from_utf8_lossy(&body)
    );
    assert!(serde_json::from_slice::<Value>(&body).is_err());
    // Each rule was used up.
    assert_eq!(
        p.get(&format!("{list}/{id}"), &t).await.status,
        StatusCode::OK
    );
}

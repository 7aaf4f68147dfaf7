//! Fault injection and its control endpoint.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use dev_platform::Options;
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use common::*;

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

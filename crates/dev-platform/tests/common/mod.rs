//! What the HTTP tests share: the router in-process, a fresh in-memory database each.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use dev_platform::{AppState, Options};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

pub struct Platform {
    pub app: Router,
    pub state: Arc<AppState>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
    pub fn error_status(&self) -> &str {
        self.body["error"]["status"].as_str().unwrap_or("")
    }
}

pub const DEMO: &str = "tenant--demo";
/// Name of the demo Arx whose provisioning always fails.
pub const FAILING_ARX: &str = "failing-demo";

pub fn platform_with(opts: Options) -> Platform {
    let (app, state) = dev_platform::build(&opts).expect("platform builds");
    Platform { app, state }
}

pub fn platform(delay_ms: u64) -> Platform {
    platform_with(Options::for_tests(delay_ms))
}

impl Platform {
    pub async fn raw(&self, req: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
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

    pub async fn call(
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

    pub async fn login_full(&self, email: &str, password: &str) -> Reply {
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
    pub async fn refresh(&self, cookie: Option<&str>) -> Reply {
        let headers: Vec<(&str, &str)> = cookie.map(|c| ("cookie", c)).into_iter().collect();
        self.call(Method::POST, "/auth/refresh", None, None, &headers)
            .await
    }

    pub async fn login(&self, email: &str) -> String {
        let r = self.login_full(email, "demo-password").await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        r.data()["token"].as_str().unwrap().to_owned()
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None, &[]).await
    }

    pub async fn base(&self, token: &str) -> (String, String, String, String) {
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
        let bad = clusters.iter().find(|c| c["name"] == FAILING_ARX).unwrap();
        (
            app["id"].as_str().unwrap().into(),
            "server".into(),
            good["id"].as_str().unwrap().into(),
            bad["id"].as_str().unwrap().into(),
        )
    }

    pub async fn create(
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

pub fn cookie_of(headers: &HeaderMap) -> String {
    let set = headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/auth"),
        "{set}"
    );
    set.split(';').next().unwrap().to_owned()
}

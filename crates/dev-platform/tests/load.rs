//! The platform under concurrent load, over real TCP connections.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use dev_platform::client::Client;
use dev_platform::Options;
use serde_json::json;

async fn server(opts: Options) -> SocketAddr {
    let mut opts = opts;
    opts.bind = "127.0.0.1".into();
    opts.port = 0;
    dev_platform::spawn(&opts).await.expect("server starts").0
}

/// Password hashing runs off the async workers: while many sign-ins hash, a request that needs
/// no hashing is still answered at once. With the hashing inline, the two workers are busy with
/// the sign-ins queued before it and waits for most of them (about 0.6 s here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_sign_ins_do_not_stall_other_requests() {
    let mut opts = Options::for_tests(50);
    // Every sign-in comes from 127.0.0.1: the per-address bucket must not answer them first.
    opts.login_failures_per_address = 1_000;
    let addr = server(opts).await;
    let signins: Vec<_> = (0..128)
        .map(|i| {
            tokio::spawn(async move {
                let mut c = Client::new(addr);
                let body = json!({"email": format!("nobody{i}@demo.test"), "password": "wrong"});
                c.send(Method::POST, "/auth/login", &[], Some(&body))
                    .await
                    .map(|a| a.status)
            })
        })
        .collect();
    // Let the sign-ins reach the server and start hashing.
    tokio::time::sleep(Duration::from_millis(30)).await;
    let mut cheap = Client::new(addr);
    let t0 = Instant::now();
    let r = cheap
        .send(Method::GET, "/api/tenants/tenant--demo/keys", &[], None)
        .await
        .expect("answered");
    let waited = t0.elapsed();
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let mut statuses = Vec::new();
    for s in signins {
        statuses.push(s.await.unwrap().expect("sign-in answered"));
    }
    assert!(statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED));
    assert!(
        waited < Duration::from_millis(250),
        "a request without hashing waited {waited:?} behind 128 sign-ins"
    );
}

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

/// Signs the demo developer in through `c`: the `Authorization` header's value.
async fn developer_bearer(c: &mut Client) -> String {
    let login = c
        .send(
            Method::POST,
            "/auth/login",
            &[],
            Some(&json!({"email": "developer@demo.test", "password": "demo-password"})),
        )
        .await
        .unwrap()
        .json();
    format!("Bearer {}", login["data"]["token"].as_str().unwrap())
}

/// Password hashing runs off the async workers and outside the database's lock: while many
/// sign-ins hash, a signed-in request that reads the database is still answered at once. With
/// the hashing inline, the two workers are busy with the sign-ins queued before it (about 0.6 s
/// here); with it under the database's lock, the list waits for the hashes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_sign_ins_do_not_stall_other_requests() {
    let mut opts = Options::for_tests(50);
    // Every sign-in comes from 127.0.0.1: the per-address bucket must not answer them first.
    opts.login_failures_per_address = 1_000;
    let addr = server(opts).await;
    let mut cheap = Client::new(addr);
    let token = developer_bearer(&mut cheap).await;
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
    let t0 = Instant::now();
    let r = cheap
        .send(
            Method::GET,
            "/api/tenants/tenant--demo/keys",
            &[("authorization", token.as_str())],
            None,
        )
        .await
        .expect("answered");
    let waited = t0.elapsed();
    assert_eq!(r.status, StatusCode::OK);
    let mut statuses = Vec::new();
    for s in signins {
        statuses.push(s.await.unwrap().expect("sign-in answered"));
    }
    assert!(statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED));
    assert!(
        waited < Duration::from_millis(250),
        "a signed-in list waited {waited:?} behind 128 sign-ins"
    );
}

/// 100 creates whose answers are lost, each retried with its Idempotency-Key: exactly 100 keys.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_create_answers_retried_make_no_duplicates() {
    let mut opts = Options::for_tests(50);
    opts.faults = true;
    let addr = server(opts.clone()).await;
    let mut c = Client::new(addr);
    let token = developer_bearer(&mut c).await;
    let keys = "/api/tenants/tenant--demo/keys";
    let base = c
        .send(
            Method::GET,
            &format!("{keys}/base"),
            &[("authorization", &token)],
            None,
        )
        .await
        .unwrap()
        .json();
    let app = &base["data"]["model"]["applications"][0];
    let body = json!({"api_key": {
        "application_id": app["id"],
        "application_technology": app["application_technology"]["id"],
        "cluster_id": base["data"]["model"]["clusters"][0]["id"],
    }});
    let total = |list: serde_json::Value| list["data"]["insights"]["total_keys"].as_u64().unwrap();
    let before = total(
        c.send(Method::GET, keys, &[("authorization", &token)], None)
            .await
            .unwrap()
            .json(),
    );
    let put = json!({"drop_create_responses": 100}).to_string();
    let set = c
        .send(
            Method::PUT,
            "/__faults",
            &[],
            Some(&serde_json::from_str(&put).unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(set.status, StatusCode::OK);

    let mut clients = tokio::task::JoinSet::new();
    for worker in 0..10 {
        let (token, body) = (token.clone(), body.clone());
        clients.spawn(async move {
            let mut c = Client::new(addr);
            let mut ids = Vec::new();
            for i in 0..10 {
                let idem = format!("intent-{worker}-{i}");
                let headers = [
                    ("authorization", token.as_str()),
                    ("idempotency-key", idem.as_str()),
                ];
                let first = c.send(Method::POST, keys, &headers, Some(&body)).await;
                assert!(first.is_err(), "the first answer is lost");
                let retry = c
                    .send(Method::POST, keys, &headers, Some(&body))
                    .await
                    .expect("retry answered");
                assert_eq!(retry.status, StatusCode::OK);
                ids.push(retry.json()["data"]["id"].as_str().unwrap().to_owned());
            }
            ids
        });
    }
    let mut ids: Vec<String> = clients.join_all().await.into_iter().flatten().collect();
    assert_eq!(ids.len(), 100);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 100, "one key per intent");
    let after = total(
        c.send(Method::GET, keys, &[("authorization", &token)], None)
            .await
            .unwrap()
            .json(),
    );
    assert_eq!(after - before, 100, "no duplicate key");
}

/// Runs the load tool for one second against `addr`; returns its exit status and report.
async fn load_tool(addr: SocketAddr) -> (bool, serde_json::Value) {
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_platform-load"))
            .args(["--seconds", "1", "--clients", "4", "--url"])
            .arg(format!("http://{addr}"))
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_default();
    (out.status.success(), report)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_load_tool_passes_a_sound_platform_and_fails_a_faulty_one() {
    let mut opts = Options::for_tests(100);
    opts.faults = true;
    opts.bind = "127.0.0.1".into();
    opts.port = 0;
    let (addr, state) = dev_platform::spawn(&opts).await.unwrap();
    let (ok, report) = load_tool(addr).await;
    assert!(ok, "{report}");
    assert_eq!(report["passed"], true);
    assert!(report["requests"].as_u64().unwrap() > 0);
    assert!(report["routes"]["list"]["p99_ms"].as_f64().is_some());
    // Every key's detail fails; sign-in and the list stay sound, so the run completes.
    let rules = serde_json::from_value(json!([
        {"route": "detail", "times": 0, "respond": {"status": 500}}
    ]))
    .unwrap();
    state
        .faults
        .set(dev_platform::faults::FaultConfig {
            rules,
            ..Default::default()
        })
        .unwrap();
    let (ok, report) = load_tool(addr).await;
    assert!(!ok, "exit status 1 when a check fails: {report}");
    assert_eq!(report["checks"]["no_unexpected_status"], false);
}

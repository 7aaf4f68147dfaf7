//! The API-key routes: roles, tenants, create, provisioning, secrets, delete.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use dev_platform::Options;
use serde_json::{json, Value};

use common::*;

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
            // Not the key's creator: to them it does not exist (contract §5.2), not 403.
            assert_eq!(
                secrets.status,
                StatusCode::NOT_FOUND,
                "{email}: {:?}",
                secrets.body
            );
            assert_eq!(secrets.error_status(), "db_not_exist_err");
            for r in [&created, &del] {
                assert_eq!(r.status, StatusCode::FORBIDDEN, "{email}: {:?}", r.body);
                assert_eq!(r.error_status(), "internal_authz_err");
                assert!(r.body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("Only Platform Owners and Developers"));
            }
            // Refused before its body is read: whatever the body holds, the answer is the role's.
            let unread = p
                .call(
                    Method::POST,
                    &format!("/api/tenants/{DEMO}/keys"),
                    Some(&t),
                    Some(json!({})),
                    &[],
                )
                .await;
            assert_eq!(
                unread.status,
                StatusCode::FORBIDDEN,
                "{email}: {:?}",
                unread.body
            );
            assert_eq!(unread.error_status(), "internal_authz_err");
        }
    }
}

/// An address no id can make (bytes that are not UTF-8) is answered in the envelope, as every
/// answer is (contract §2), on every route that takes an id.
#[tokio::test]
async fn a_path_no_id_can_make_is_answered_in_the_envelope() {
    let p = platform(50);
    let t = p.login("owner@demo.test").await;
    let keys = format!("/api/tenants/{DEMO}/keys");
    for (method, path) in [
        (Method::GET, "/api/tenants/%FF/keys".to_owned()),
        (Method::GET, "/api/tenants/%FF/keys/base".to_owned()),
        (Method::POST, "/api/tenants/%FF/keys".to_owned()),
        (Method::GET, format!("{keys}/%C0%AE")),
        (Method::DELETE, format!("{keys}/%C0%AE")),
        (Method::GET, format!("{keys}/%C0%AE/sensitive")),
    ] {
        let r = p.call(method.clone(), &path, Some(&t), None, &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {path}");
        assert_eq!(
            r.error_status(),
            "db_not_exist_err",
            "{method} {path}: {:?}",
            r.body
        );
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
    // Nor can it be deleted or its secrets asked for there, and the key is untouched.
    for (method, path) in [
        (
            Method::DELETE,
            format!("/api/tenants/tenant--other/keys/{demo_id}"),
        ),
        (
            Method::GET,
            format!("/api/tenants/tenant--other/keys/{demo_id}/sensitive"),
        ),
    ] {
        let r = p.call(method.clone(), &path, Some(&other), None, &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {path}");
        assert!(!r.body.to_string().contains("server_signing_key"), "{path}");
    }
    let demo_owner = p.login("owner@demo.test").await;
    let still = p
        .get(&format!("/api/tenants/{DEMO}/keys/{demo_id}"), &demo_owner)
        .await;
    assert_eq!(still.status, StatusCode::OK);
    assert_eq!(
        still.data()["status"],
        demo_keys.data()["api_keys"][0]["status"],
        "not scheduled for deletion"
    );
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
    p.state
        .faults
        .set(dev_platform::faults::FaultConfig {
            create_hold_ms: 300,
            ..Default::default()
        })
        .unwrap();
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

/// A database made by a newer dev platform is refused at start, saying why, rather than failing
/// requests one by one (a second platform on the same file: `shutdown.rs`).
#[tokio::test]
async fn a_database_from_a_newer_platform_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = dev_platform::Options::for_tests(0);
    opts.db = dir.path().join("db.sqlite3");
    platform_with(opts.clone()).login("owner@demo.test").await;
    rusqlite::Connection::open(&opts.db)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let newer = dev_platform::build(&opts).map(drop).unwrap_err();
    assert!(
        format!("{newer:#}").contains("newer dev platform"),
        "{newer:#}"
    );
}

/// HEAD is safe: asked of the one-time secrets, it hands out nothing (axum would run the GET
/// handler for it and drop the body), and the GET after it receives them.
#[tokio::test]
async fn a_head_of_the_secrets_hands_out_nothing() {
    let p = platform(0);
    let t = p.login("owner@demo.test").await;
    let (app, tech, arx, _) = p.base(&t).await;
    let made = p.create(&t, &app, &tech, &arx, Some("h")).await;
    let id = made.data()["id"].as_str().unwrap().to_owned();
    let path = format!("/api/tenants/{DEMO}/keys/{id}/sensitive");
    tokio::time::sleep(Duration::from_millis(20)).await;
    let head = p.call(Method::HEAD, &path, Some(&t), None, &[]).await;
    assert_eq!(head.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(head.headers["allow"], "GET");
    let got = p.get(&path, &t).await;
    assert_eq!(got.status, StatusCode::OK, "{:?}", got.body);
    assert!(got.data()["server_signing_key"].is_string());
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
    // Before active is 409 for a key whose provisioning will fail too (contract §5.2).
    let failing_early = p
        .get(&format!("/api/tenants/{DEMO}/keys/{fid}/sensitive"), &t)
        .await;
    assert_eq!(
        failing_early.status,
        StatusCode::CONFLICT,
        "{:?}",
        failing_early.body
    );
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
    // A failed key never had secrets to hand out: 422, not 410.
    let failed = p
        .get(&format!("/api/tenants/{DEMO}/keys/{fid}/sensitive"), &t)
        .await;
    assert_eq!(
        failed.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        failed.body
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

/// A key still being set up cannot be deleted yet (409, an operation in progress); once set up,
/// it can.
#[tokio::test]
async fn a_key_being_set_up_is_deleted_only_once_it_is_ready() {
    let p = platform(300);
    let t = p.login("developer@demo.test").await;
    let (app, tech, arx, _) = p.base(&t).await;
    let made = p.create(&t, &app, &tech, &arx, None).await;
    assert_eq!(made.status, StatusCode::OK, "{:?}", made.body);
    assert_eq!(made.data()["status"], "pending");
    let id = made.data()["id"].as_str().unwrap().to_owned();
    let path = format!("/api/tenants/{DEMO}/keys/{id}");
    let early = p.call(Method::DELETE, &path, Some(&t), None, &[]).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{:?}", early.body);
    assert_eq!(early.error_status(), "internal_lock_hold_by_another");
    let mut status = serde_json::Value::Null;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        status = p.get(&path, &t).await.data()["status"].clone();
        if status != "pending" {
            break;
        }
    }
    assert_eq!(status, "active");
    let later = p.call(Method::DELETE, &path, Some(&t), None, &[]).await;
    assert_eq!(later.status, StatusCode::OK, "{:?}", later.body);
    assert_eq!(later.data()["status"], "pending");
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
    assert_eq!(
        big.body["error"]["details"][0]["field"], "body",
        "{:?}",
        big.body
    );
    assert!(!big.body.to_string().contains("xxxx"));
    let unknown = p.get("/api/nope", &t).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.error_status(), "db_not_exist_err");
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

/// Creates a key as `token` and waits until it is active; returns its id.
async fn active_key(p: &Platform, token: &str, idem: &str) -> String {
    let (app, tech, arx, _) = p.base(token).await;
    let created = p.create(token, &app, &tech, &arx, Some(idem)).await;
    assert_eq!(created.status, StatusCode::OK, "{:?}", created.body);
    let id = created.data()["id"].as_str().unwrap().to_owned();
    for _ in 0..100 {
        let k = p
            .get(&format!("/api/tenants/{DEMO}/keys/{id}"), token)
            .await;
        if k.data()["status"] == "active" {
            return id;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{id} never became active");
}

#[tokio::test]
async fn secrets_go_to_the_key_creator_only() {
    let p = platform(20);
    let developer = p.login("developer@demo.test").await;
    let owner = p.login("owner@demo.test").await;
    let id = active_key(&p, &developer, "mine").await;
    let unknown = p
        .get(
            &format!("/api/tenants/{DEMO}/keys/apikey--nope/sensitive"),
            &owner,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    // A colleague, even an owner, is told what an unknown key gets, and claims nothing.
    let colleague = p
        .get(&format!("/api/tenants/{DEMO}/keys/{id}/sensitive"), &owner)
        .await;
    assert_eq!(
        colleague.status,
        StatusCode::NOT_FOUND,
        "{:?}",
        colleague.body
    );
    assert_eq!(colleague.error_status(), "db_not_exist_err");
    assert_eq!(
        colleague.body["error"]["message"],
        unknown.body["error"]["message"]
    );
    assert!(colleague.data().is_null());
    let mine = p
        .get(
            &format!("/api/tenants/{DEMO}/keys/{id}/sensitive"),
            &developer,
        )
        .await;
    assert_eq!(mine.status, StatusCode::OK, "the secrets stayed unclaimed");
    assert!(mine.data()["server_signing_key"].as_str().unwrap().len() >= 40);
}

/// A creator whose role no longer manages keys (here: the key made over to a Platform Admin) is
/// refused the secrets for the role, not as a stranger, and they stay stored, unclaimed.
#[tokio::test]
async fn secrets_need_a_managing_role_even_for_their_creator() {
    let p = platform(20);
    let developer = p.login("developer@demo.test").await;
    let admin = p.login("admin@demo.test").await;
    let id = active_key(&p, &developer, "made-over").await;
    p.state
        .db()
        .execute(
            "UPDATE api_keys SET created_by = 'user--admin' WHERE id = ?1",
            [&id],
        )
        .unwrap();
    let refused = p
        .get(&format!("/api/tenants/{DEMO}/keys/{id}/sensitive"), &admin)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    assert_eq!(refused.error_status(), "internal_authz_err");
    assert!(refused.data().is_null());
    assert!(stored_secrets(&p, &id).iter().all(Option::is_some));
}

/// Secrets handed out or erased by a delete are gone from the database's files, not only from
/// its rows: not in the freed space of a page, nor in an old page the write-ahead log keeps.
#[tokio::test]
async fn erased_secrets_are_not_left_in_the_database_files() {
    let (p, t, keys, secrets, dir) = six_keys_on_file().await;
    // The check can see them while they are stored.
    assert!(secrets.iter().all(|s| in_files(&dir, s)));
    for (i, id) in keys.iter().enumerate() {
        let path = format!("/api/tenants/{DEMO}/keys/{id}");
        let r = if i % 2 == 0 {
            p.get(&format!("{path}/sensitive"), &t).await
        } else {
            p.call(Method::DELETE, &path, Some(&t), None, &[]).await
        };
        assert_eq!(r.status, StatusCode::OK);
    }
    assert_no_secret_in_files(&dir, &secrets);
}

/// A database of an older platform (schema 6) holds the secrets of keys it deleted (it did not
/// erase them): opened by this platform, they are gone, from the rows and from the files.
#[tokio::test]
async fn secrets_an_older_platform_kept_for_deleted_keys_are_erased_on_upgrade() {
    let (p, deleted, secrets, dir) = upgraded(true, false).await;
    assert_eq!(stored_secrets(&p, &deleted), [None, None, None]);
    drop(p);
    assert_no_secret_in_files(&dir, &secrets);
}

/// In its free space, the same database holds the secrets it handed out (it erased them without
/// `secure_delete`): opened by this platform, the file is rewritten without them.
#[tokio::test]
async fn secrets_an_older_platform_left_in_free_space_are_gone_on_upgrade() {
    let (p, _, secrets, dir) = upgraded(false, false).await;
    drop(p);
    assert_no_secret_in_files(&dir, &secrets);
}

/// A rewrite that could not be done at the upgrade (a full disk) is owed still: the next start
/// does it.
#[tokio::test]
async fn a_rewrite_that_could_not_be_done_is_done_at_the_next_start() {
    let (p, _, secrets, dir) = upgraded(false, true).await;
    let owed: Option<String> = p
        .state
        .db()
        .query_row(
            "SELECT value FROM meta WHERE key = 'rewrite_owed'",
            [],
            |r| r.get(0),
        )
        .ok();
    assert_eq!(owed, None, "done, and no longer owed");
    drop(p);
    assert_no_secret_in_files(&dir, &secrets);
}

const DB_FILE: &str = "db.sqlite3";

/// The options of a platform on a database file in `dir`.
fn on_file(dir: &tempfile::TempDir) -> Options {
    let mut opts = Options::for_tests(20);
    opts.db = dir.path().join(DB_FILE);
    opts
}

/// A platform on a database file with six keys of the developer's made active: the platform,
/// the developer's token, the keys' ids, their secrets and the database's directory.
async fn six_keys_on_file() -> (
    Platform,
    String,
    Vec<String>,
    Vec<String>,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().unwrap();
    let p = platform_with(on_file(&dir));
    let t = p.login("developer@demo.test").await;
    let mut keys = vec![];
    for name in ["a", "b", "c", "d", "e", "f"] {
        keys.push(active_key(&p, &t, name).await);
    }
    let secrets = keys
        .iter()
        .flat_map(|id| stored_secrets(&p, id))
        .map(Option::unwrap)
        .collect();
    (p, t, keys, secrets, dir)
}

/// Whether the database file in `dir`, or its log, holds `secret`.
fn in_files(dir: &tempfile::TempDir, secret: &str) -> bool {
    ["", "-wal"].iter().any(|suffix| {
        let bytes =
            std::fs::read(dir.path().join(format!("{DB_FILE}{suffix}"))).unwrap_or_default();
        bytes.windows(secret.len()).any(|w| w == secret.as_bytes())
    })
}

/// A database as a platform of schema 6 left it: six keys made, their secrets handed out (the
/// rows erased, their freed space left as it was), the first one deleted instead when
/// `with_deleted` (its secrets kept); then opened by this platform. `owing`: left instead at
/// schema 7 with its rewrite still owed, as a start whose rewrite failed leaves it. The
/// platform, the deleted key's id, every secret and the database's directory.
async fn upgraded(
    with_deleted: bool,
    owing: bool,
) -> (Platform, String, Vec<String>, tempfile::TempDir) {
    let (p, _, keys, secrets, dir) = six_keys_on_file().await;
    let deleted = {
        let conn = p.state.db();
        conn.execute_batch("PRAGMA secure_delete = OFF;").unwrap();
        let (deleted, handed_out) = keys.split_first().unwrap();
        let erase = "UPDATE api_keys SET client_key = NULL, server_signing_key = NULL,
                     server_crypto_access_key = NULL WHERE id = ?1";
        for id in handed_out {
            conn.execute(erase, [id]).unwrap();
        }
        if with_deleted {
            conn.execute(
                "UPDATE api_keys SET status = 'deleted' WHERE id = ?1",
                [deleted],
            )
            .unwrap();
        } else {
            conn.execute(erase, [deleted]).unwrap();
        }
        if owing {
            conn.execute_batch(
                "INSERT INTO meta(key, value) VALUES ('rewrite_owed', '1')
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value;",
            )
            .unwrap();
        } else {
            conn.execute_batch("PRAGMA user_version = 6;").unwrap();
        }
        deleted.clone()
    };
    drop(p);
    (platform_with(on_file(&dir)), deleted, secrets, dir)
}

/// None of `secrets` is in the database file in `dir`, or its log.
fn assert_no_secret_in_files(dir: &tempfile::TempDir, secrets: &[String]) {
    assert!(
        !secrets.iter().any(|s| in_files(dir, s)),
        "a secret is left in the files"
    );
}

fn stored_secrets(p: &Platform, id: &str) -> [Option<String>; 3] {
    p.state
        .db()
        .query_row(
            "SELECT client_key, server_signing_key, server_crypto_access_key FROM api_keys WHERE id = ?1",
            [id],
            |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?]),
        )
        .unwrap()
}

#[tokio::test]
async fn delete_erases_secrets_that_were_never_fetched() {
    let p = platform(100);
    let t = p.login("owner@demo.test").await;
    let id = active_key(&p, &t, "to-delete").await;
    assert!(stored_secrets(&p, &id).iter().all(Option::is_some));
    let path = format!("/api/tenants/{DEMO}/keys/{id}");
    let d = p.call(Method::DELETE, &path, Some(&t), None, &[]).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(
        stored_secrets(&p, &id),
        [None, None, None],
        "erased at once"
    );
    let pending = p.get(&format!("{path}/sensitive"), &t).await;
    assert_eq!(pending.status, StatusCode::CONFLICT);
    assert_eq!(pending.error_status(), "internal_lock_hold_by_another");
    tokio::time::sleep(Duration::from_millis(150)).await;
    let deleted = p.get(&format!("{path}/sensitive"), &t).await;
    assert_eq!(
        deleted.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        deleted.body
    );
    assert_eq!(deleted.error_status(), "handler_data_err");
    assert!(deleted.data().is_null());
}

/// A create whose key is made but whose reservation cannot be completed makes no key: the two
/// are one write, so the retry with the same Idempotency-Key, which the released reservation
/// lets through, makes the only key.
#[tokio::test]
async fn a_create_that_cannot_complete_its_reservation_makes_no_key() {
    let p = platform(50);
    let t = p.login("developer@demo.test").await;
    let (app, tech, arx, _) = p.base(&t).await;
    let count = |p: &Platform| -> i64 {
        p.state
            .db()
            .query_row("SELECT COUNT(*) FROM api_keys", [], |r| r.get(0))
            .unwrap()
    };
    let before = count(&p);
    p.state
        .db()
        .execute_batch(
            "CREATE TRIGGER fail_complete BEFORE UPDATE ON idempotency WHEN NEW.key_id IS NOT NULL
             BEGIN SELECT RAISE(ABORT, 'injected'); END;",
        )
        .unwrap();
    let failed = p.create(&t, &app, &tech, &arx, Some("half-made")).await;
    assert_eq!(
        failed.status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{:?}",
        failed.body
    );
    assert_eq!(count(&p), before, "no key made");
    p.state
        .db()
        .execute_batch("DROP TRIGGER fail_complete;")
        .unwrap();
    let retried = p.create(&t, &app, &tech, &arx, Some("half-made")).await;
    assert_eq!(retried.status, StatusCode::OK, "{:?}", retried.body);
    assert_eq!(count(&p), before + 1, "one key, the retry's");
}

/// Idempotency records past their 24 hours are forgotten, not kept for good.
#[tokio::test]
async fn idempotency_records_past_their_lifetime_are_forgotten() {
    let p = platform(50);
    let t = p.login("developer@demo.test").await;
    let (app, tech, arx, _) = p.base(&t).await;
    let records = |p: &Platform| -> Vec<String> {
        let conn = p.state.db();
        let mut q = conn
            .prepare("SELECT idem_key FROM idempotency ORDER BY idem_key")
            .unwrap();
        q.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let made = p.create(&t, &app, &tech, &arx, Some("two-days-ago")).await;
    assert_eq!(made.status, StatusCode::OK);
    p.state
        .db()
        .execute(
            "UPDATE idempotency SET created_at = created_at - 2 * 86400000",
            [],
        )
        .unwrap();
    let fresh = p.create(&t, &app, &tech, &arx, Some("now")).await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert_eq!(records(&p), ["now"]);
}

#[tokio::test]
async fn idempotency_keys_are_per_user() {
    let p = platform(50);
    let developer = p.login("developer@demo.test").await;
    let owner = p.login("owner@demo.test").await;
    let (app, tech, arx, _) = p.base(&owner).await;
    let a = p
        .create(&developer, &app, &tech, &arx, Some("shared-key"))
        .await;
    let b = p
        .create(&owner, &app, &tech, &arx, Some("shared-key"))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(b.status, StatusCode::OK);
    assert_ne!(
        a.data()["id"],
        b.data()["id"],
        "another user's intent is not replayed"
    );
    assert_eq!(b.data()["created_by"]["id"], "user--owner");
}

#[tokio::test]
async fn a_reservation_left_in_flight_expires() {
    let p = platform(50);
    let t = p.login("owner@demo.test").await;
    let (app, tech, arx, _) = p.base(&t).await;
    let first = p.create(&t, &app, &tech, &arx, Some("crashed")).await;
    assert_eq!(first.status, StatusCode::OK);
    // As a crash mid-create would leave it: reserved, no key, and 30 s or 61 s old.
    let age = |ms: i64| {
        p.state
            .db()
            .execute(
                "UPDATE idempotency SET key_id = NULL, created_at = ?1 WHERE idem_key = 'crashed'",
                [dev_platform::clock::now_ms() - ms],
            )
            .unwrap()
    };
    assert_eq!(age(30_000), 1);
    let young = p.create(&t, &app, &tech, &arx, Some("crashed")).await;
    assert_eq!(young.status, StatusCode::CONFLICT);
    age(61_000);
    let retried = p.create(&t, &app, &tech, &arx, Some("crashed")).await;
    assert_eq!(retried.status, StatusCode::OK, "{:?}", retried.body);
    assert_ne!(retried.data()["id"], first.data()["id"]);
    let again = p.create(&t, &app, &tech, &arx, Some("crashed")).await;
    assert_eq!(again.data()["id"], retried.data()["id"]);
}

/// Runs `update` with another tenant's id (`?1`) and `what` (`?2`): moves the demo tenant's
/// rows to it, as if withdrawn from the demo tenant.
fn move_to_another_tenant(p: &Platform, update: &str, what: &str) {
    let conn = p.state.db();
    let other: String = conn
        .query_row(
            "SELECT id FROM tenants WHERE id != ?1 LIMIT 1",
            [DEMO],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(update, [other.as_str(), what]).unwrap();
}

/// Contract §5.2: the same Idempotency-Key with the same body returns the same key, even when
/// what it named is no longer offered; a new intent naming it is refused.
#[tokio::test]
async fn a_committed_create_is_replayed_after_its_arx_is_withdrawn() {
    let p = platform(50);
    let t = p.login("developer@demo.test").await;
    let (app, tech, arx, _) = p.base(&t).await;
    let first = p.create(&t, &app, &tech, &arx, Some("withdrawn")).await;
    assert_eq!(first.status, StatusCode::OK);
    move_to_another_tenant(&p, "UPDATE clusters SET tenant_id = ?1 WHERE id = ?2", &arx);
    let retry = p.create(&t, &app, &tech, &arx, Some("withdrawn")).await;
    assert_eq!(retry.status, StatusCode::OK, "{:?}", retry.body);
    assert_eq!(retry.data()["id"], first.data()["id"]);
    // The Arx is now another tenant's: the key names it by its id only, not by that tenant's
    // name and label.
    assert_eq!(retry.data()["cluster_id"], json!(arx));
    assert!(retry.data()["cluster"].is_null(), "{:?}", retry.data());
    let fresh = p.create(&t, &app, &tech, &arx, Some("a new intent")).await;
    assert_eq!(
        fresh.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        fresh.body
    );
}

/// A tenant that offers no applications takes no application id: another tenant's would
/// otherwise put that tenant's application (its name and label) on the new key.
#[tokio::test]
async fn a_tenant_without_applications_takes_none_named() {
    let p = platform(0);
    let t = p.login("developer@demo.test").await;
    let (app, tech, arx, _) = p.base(&t).await;
    move_to_another_tenant(
        &p,
        "UPDATE applications SET tenant_id = ?1 WHERE tenant_id = ?2",
        DEMO,
    );
    let named = p.create(&t, &app, &tech, &arx, None).await;
    assert_eq!(
        named.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        named.body
    );
    assert_eq!(named.error_status(), "handler_data_err");
    let r = p
        .call(
            Method::POST,
            &format!("/api/tenants/{DEMO}/keys"),
            Some(&t),
            Some(json!({"api_key": {"cluster_id": arx}})),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    // A key of no application names none: `null`, as the contract's "string or null" says.
    let made = r.data();
    assert!(made["id"].is_string(), "{made:?}");
    assert_eq!(made["application_id"], json!(null), "{made:?}");
    // "" names none either (the console sends it for a tenant without applications).
    let empty = p
        .call(
            Method::POST,
            &format!("/api/tenants/{DEMO}/keys"),
            Some(&t),
            Some(json!({"api_key": {"application_id": "", "cluster_id": arx}})),
            &[],
        )
        .await;
    assert_eq!(empty.status, StatusCode::OK, "{:?}", empty.body);
    assert_eq!(empty.data()["application_id"], json!(null));
    // The keys made with those applications no longer show another tenant's names.
    let list = p.get(&format!("/api/tenants/{DEMO}/keys"), &t).await;
    assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
    let shown: Vec<_> = list.data()["api_keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["application"].is_object() && k["application"]["name"].is_string())
        .filter(|k| k["application"]["name"] != "")
        .collect();
    assert!(shown.is_empty(), "{shown:?}");
}

/// The scheme of `Authorization` is case-insensitive (RFC 9110 §11.1): `bearer` is `Bearer`.
#[tokio::test]
async fn the_bearer_scheme_is_read_whatever_its_case() {
    let p = platform(0);
    let token = p.login("owner@demo.test").await;
    let path = format!("/api/tenants/{DEMO}/keys");
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let auth = format!("{scheme} {token}");
        let r = p
            .call(Method::GET, &path, None, None, &[("authorization", &auth)])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{scheme}");
    }
    let r = p
        .call(
            Method::GET,
            &path,
            None,
            None,
            &[("authorization", &format!("Basic {token}"))],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

/// Every response body is the envelope (contract §2), a method a route does not take included.
#[tokio::test]
async fn a_method_a_route_does_not_take_is_answered_in_the_envelope() {
    let p = platform(0);
    let token = p.login("owner@demo.test").await;
    for (method, path) in [
        (Method::PUT, format!("/api/tenants/{DEMO}/keys")),
        (Method::PATCH, format!("/api/tenants/{DEMO}/keys/apikey--x")),
        (Method::GET, "/auth/logout".to_owned()),
    ] {
        let r = p.call(method.clone(), &path, Some(&token), None, &[]).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert_eq!(r.body["error"]["code"], 405, "{method} {path}: {}", r.body);
        assert!(!r.error_status().is_empty(), "{method} {path}");
        assert!(r.headers.contains_key("allow"), "{method} {path}");
    }
}

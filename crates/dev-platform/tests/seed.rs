//! The demo data: what a newcomer sees first, and the tenant of hostile names.

mod common;

use axum::http::{Method, StatusCode};
use dev_platform::Options;
use serde_json::Value;

use common::*;

#[tokio::test]
async fn the_failing_demo_arx_is_offered_last_and_says_so() {
    let p = platform(50);
    let t = p.login("developer@demo.test").await;
    let base = p.get(&format!("/api/tenants/{DEMO}/keys/base"), &t).await;
    let list = p.get(&format!("/api/tenants/{DEMO}/keys"), &t).await;
    for models in [&base.data()["model"], &list.data()["model"]] {
        let arx = models["clusters"].as_array().unwrap();
        let last = arx.last().unwrap();
        assert_eq!(last["name"], FAILING_ARX);
        assert_eq!(
            last["label"],
            "Failing demo Arx (provisioning always fails)"
        );
        assert!(arx[..arx.len() - 1]
            .iter()
            .all(|a| !a["label"].as_str().unwrap().contains("fails")));
    }
    // The first choice of each step provisions.
    let first_app = &base.data()["model"]["applications"][0];
    let first_arx = base.data()["model"]["clusters"][0]["id"].as_str().unwrap();
    let created = p
        .create(
            &t,
            first_app["id"].as_str().unwrap(),
            first_app["application_technology"]["id"].as_str().unwrap(),
            first_arx,
            None,
        )
        .await;
    let id = created.data()["id"].as_str().unwrap().to_owned();
    tokio::time::sleep(std::time::Duration::from_millis(120)).await;
    let now = p.get(&format!("/api/tenants/{DEMO}/keys/{id}"), &t).await;
    assert_eq!(now.data()["status"], "active");
}

fn hostile() -> Platform {
    let mut opts = Options::for_tests(50);
    opts.hostile_names = true;
    platform_with(opts)
}

/// Every string the list shows a person.
fn shown(list: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |v: &Value| {
        if let Some(s) = v.as_str() {
            out.push(s.to_owned());
        }
    };
    for m in ["applications", "clusters"] {
        for x in list["model"][m].as_array().unwrap() {
            push(&x["name"]);
            push(&x["label"]);
        }
    }
    for k in list["api_keys"].as_array().unwrap() {
        push(&k["created_by"]["full_name"]);
        push(&k["application"]["name"]);
        push(&k["cluster"]["label"]);
    }
    out
}

#[tokio::test]
async fn the_hostile_tenant_carries_every_string_of_the_corpus_intact() {
    let p = hostile();
    let corpus = dev_platform::seed::hostile::corpus();
    assert!(corpus.iter().any(|s| s.chars().count() == 10_000));
    assert!(corpus.iter().any(|s| s.contains('\u{202E}')));
    let t = p.login("owner@hostile.test").await;
    let r = p.get("/api/tenants/tenant--hostile/keys", &t).await;
    assert_eq!(r.status, StatusCode::OK);
    let shown = shown(r.data());
    for s in &corpus {
        let n = shown.iter().filter(|x| *x == s).count();
        // As application name and label, Arx name and label, and a key creator's full name.
        assert!(
            n >= 5,
            "{:?} shown {n} times",
            s.chars().take(40).collect::<String>()
        );
    }
    let keys = r.data()["api_keys"].as_array().unwrap();
    let active: Vec<_> = keys.iter().filter(|k| k["status"] == "active").collect();
    assert!(active.len() >= 3, "some keys can be deleted");
    assert!(active.iter().all(|k| k["acl"]["can"]["delete"] == true));
    let id = active[0]["id"].as_str().unwrap();
    let d = p
        .call(
            Method::DELETE,
            &format!("/api/tenants/tenant--hostile/keys/{id}"),
            Some(&t),
            None,
            &[],
        )
        .await;
    assert_eq!(d.status, StatusCode::OK);
    let dev = p
        .login_full("developer@hostile.test", "demo-password")
        .await;
    assert_eq!(dev.data()["user"]["roles"][0], "developer");
}

#[tokio::test]
async fn the_hostile_tenant_is_there_only_when_asked_for() {
    let p = platform(50);
    let r = p.login_full("owner@hostile.test", "demo-password").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

/// The database holds the signing secrets and unfetched key secrets: its owner alone may read it.
#[cfg(unix)]
#[tokio::test]
async fn the_database_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut opts = Options::for_tests(10);
    opts.db = data.join("db.sqlite3");
    {
        let p = platform_with(opts.clone());
        p.login("owner@demo.test").await;
        assert_eq!(mode(&data), 0o700, "a directory made for it");
        for file in ["db.sqlite3", "db.sqlite3-wal"] {
            assert_eq!(mode(&data.join(file)), 0o600, "{file}");
        }
        // Held exclusively, the database keeps its WAL index in memory, not in a -shm file.
        let shm = data.join("db.sqlite3-shm");
        assert!(!shm.exists() || mode(&shm) == 0o600);
    }
    // A database left readable by an earlier version is made private when opened.
    let old = dir.path().join("old.sqlite3");
    std::fs::write(&old, b"").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    opts.db = old.clone();
    let _p = platform_with(opts);
    assert_eq!(mode(&old), 0o600);
}

//! The demo data, written once on first start (idempotent: it runs only into an empty database).

use rusqlite::Connection;

pub mod hostile;
pub mod names;

use crate::db::{self, NewArx, NewKey, UserRow};
use crate::{auth, clock};

/// Password of every demo account; demo only.
pub const DEMO_PASSWORD: &str = "demo-password";

/// Seeds the demo tenants unless the database already has them. `extra_keys` adds that many
/// active keys to the Demo tenant (for scale tests), also only once; `hostile_names` adds the
/// "Hostile names" tenant, once.
pub fn seed(conn: &mut Connection, extra_keys: usize, hostile_names: bool) -> rusqlite::Result<()> {
    if db::meta_get(conn, "seeded")?.is_none() {
        let hash = auth::hash_password(DEMO_PASSWORD);
        let tx = conn.transaction()?;
        seed_demo(&tx, &hash)?;
        seed_other(&tx, &hash)?;
        db::meta_set(&tx, "seeded", "1")?;
        tx.commit()?;
    }
    let have: usize = db::meta_get(conn, "extra_keys")?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if hostile_names && db::meta_get(conn, "hostile_seeded")?.is_none() {
        let hash = auth::hash_password(DEMO_PASSWORD);
        let tx = conn.transaction()?;
        seed_hostile(&tx, &hash)?;
        db::meta_set(&tx, "hostile_seeded", "1")?;
        tx.commit()?;
    }
    if extra_keys > have {
        let tx = conn.transaction()?;
        add_extra_keys(&tx, extra_keys - have)?;
        db::meta_set(&tx, "extra_keys", &extra_keys.to_string())?;
        tx.commit()?;
    }
    Ok(())
}

/// Name of the demo Arx whose provisioning always fails (listed last).
pub const FAILING_ARX: &str = "failing-demo";
/// Its label, which the console's wizard shows: it says plainly what happens.
pub const FAILING_ARX_LABEL: &str = "Failing demo Arx (provisioning always fails)";
/// Id of the tenant of hostile names.
pub const HOSTILE_TENANT: &str = "tenant--hostile";

/// Id of the demo tenant.
pub const DEMO_TENANT: &str = "tenant--demo";
/// Id of the second tenant.
pub const OTHER_TENANT: &str = "tenant--other";

fn user(tenant: &str, id: &str, email: &str, name: &str, roles: &[&str], hash: &str) -> UserRow {
    UserRow {
        id: id.into(),
        tenant_id: tenant.into(),
        email: email.into(),
        full_name: name.into(),
        password_hash: hash.into(),
        roles: roles.iter().map(|r| r.to_string()).collect(),
    }
}

fn seed_demo(tx: &Connection, hash: &str) -> rusqlite::Result<()> {
    let t = DEMO_TENANT;
    db::insert_tenant(tx, t, "Demo")?;
    for u in [
        user(
            t,
            "user--owner",
            "owner@demo.test",
            "Olivia Owner",
            &["platform_owner"],
            hash,
        ),
        user(
            t,
            "user--developer",
            "developer@demo.test",
            "Devon Developer",
            &["developer"],
            hash,
        ),
        user(
            t,
            "user--admin",
            "admin@demo.test",
            "Ada Admin",
            &["platform_admin"],
            hash,
        ),
    ] {
        db::insert_user(tx, &u)?;
    }
    let payments = db::insert_application(tx, t, "payments-api", "Payments API", "server")?;
    let web = db::insert_application(tx, t, "customer-portal", "Customer Portal", "client")?;
    let reports = db::insert_application(tx, t, "reporting-worker", "Reporting Worker", "server")?;
    let arx = |name, label, purpose, plan, provider, regions, encryption, rotation, fails| NewArx {
        name,
        label,
        purpose,
        plan,
        provider,
        regions,
        encryption,
        rotation,
        always_fails: fails,
    };
    let prod = db::insert_arx(
        tx,
        t,
        "user--owner",
        &arx(
            "prod-au",
            "Production AU",
            "production",
            "dedicated",
            "aws",
            "au",
            "aes-gcm-256",
            "monthly",
            false,
        ),
    )?;
    let staging = db::insert_arx(
        tx,
        t,
        "user--owner",
        &arx(
            "staging-gb",
            "Staging GB",
            "staging",
            "serverless",
            "gcp",
            "gb,us",
            "aes-gcm-128",
            "3-monthly",
            false,
        ),
    )?;
    let dev = db::insert_arx(
        tx,
        t,
        "user--developer",
        &arx(
            "dev-sg",
            "Development SG",
            "development",
            "serverless",
            "azure",
            "sg",
            "cha-cha-20-poly-1305",
            "annually",
            false,
        ),
    )?;
    db::insert_arx(
        tx,
        t,
        "user--developer",
        &arx(
            FAILING_ARX,
            FAILING_ARX_LABEL,
            "testing",
            "serverless",
            "gcp",
            "us",
            "aes-gcm-128",
            "6-monthly",
            true,
        ),
    )?;

    let now = clock::now_ms();
    let day = 86_400_000;
    // (application, Arx, status, next status, age in days, last used days ago)
    type SeedKey<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, i64, Option<i64>);
    let keys: [SeedKey<'_>; 8] = [
        (&payments, &prod, "active", None, 40, Some(1)),
        (&web, &staging, "active", None, 31, Some(3)),
        (&reports, &dev, "active", None, 12, None),
        (&payments, &staging, "disabled", None, 25, Some(20)),
        (&web, &dev, "failed", None, 9, None),
        (&reports, &prod, "deleted", None, 60, Some(45)),
        (&payments, &dev, "active", None, 2, Some(0)),
        (&web, &prod, "pending", Some("active"), 0, None),
    ];
    for (i, (app, cluster, status, next, age_days, used_days)) in keys.into_iter().enumerate() {
        let created = clock::rfc3339(now - age_days * day - i as i64 * 3_600_000);
        let used = used_days.map(|d| clock::rfc3339(now - d * day - 600_000));
        db::insert_key(
            tx,
            &NewKey {
                tenant_id: t,
                application_id: Some(app),
                cluster_id: cluster,
                created_by: if i % 2 == 0 {
                    "user--owner"
                } else {
                    "user--developer"
                },
                status,
                next_status: next,
                transition_at: next.map(|_| now + 5_000),
                created_at: &created,
                with_secrets: next.is_some(),
                last_used_at: used.as_deref(),
            },
        )?;
    }
    Ok(())
}

fn seed_other(tx: &Connection, hash: &str) -> rusqlite::Result<()> {
    let t = OTHER_TENANT;
    db::insert_tenant(tx, t, "Other")?;
    db::insert_user(
        tx,
        &user(
            t,
            "user--other-owner",
            "owner@other.test",
            "Oscar Other",
            &["platform_owner"],
            hash,
        ),
    )?;
    let app = db::insert_application(tx, t, "other-backend", "Other Backend", "server")?;
    let arx = db::insert_arx(
        tx,
        t,
        "user--other-owner",
        &NewArx {
            name: "other-prod",
            label: "Other Production",
            purpose: "production",
            plan: "dedicated",
            provider: "gcp",
            regions: "us",
            encryption: "aes-gcm-256",
            rotation: "monthly",
            always_fails: false,
        },
    )?;
    let created = clock::rfc3339(clock::now_ms() - 86_400_000 * 7);
    for _ in 0..2 {
        db::insert_key(
            tx,
            &NewKey {
                tenant_id: t,
                application_id: Some(&app),
                cluster_id: &arx,
                created_by: "user--other-owner",
                status: "active",
                next_status: None,
                transition_at: None,
                created_at: &created,
                with_secrets: false,
                last_used_at: None,
            },
        )?;
    }
    Ok(())
}

fn add_extra_keys(tx: &Connection, n: usize) -> rusqlite::Result<()> {
    let apps = db::applications(tx, DEMO_TENANT)?;
    let arx: Vec<_> = db::clusters(tx, DEMO_TENANT)?
        .into_iter()
        .filter(|c| !c.always_fails)
        .collect();
    let now = clock::now_ms();
    let users = ["user--owner", "user--developer"];
    let statuses = [
        "active", "active", "active", "active", "disabled", "deleted", "failed",
    ];
    for i in 0..n {
        let created = clock::rfc3339(now - (i as i64 % 720) * 3_600_000 - i as i64 * 1_000);
        db::insert_key(
            tx,
            &NewKey {
                tenant_id: DEMO_TENANT,
                application_id: Some(&apps[i % apps.len()].id),
                cluster_id: &arx[i % arx.len()].arx.id,
                created_by: users[i % users.len()],
                status: statuses[i % statuses.len()],
                next_status: None,
                transition_at: None,
                created_at: &created,
                with_secrets: false,
                last_used_at: None,
            },
        )?;
    }
    Ok(())
}

/// The "Hostile names" tenant: an owner and a developer (password [`DEMO_PASSWORD`]) and one
/// more user per string of the corpus, and for each string an application, an Arx and a key
/// named with it (the key created by the user of that name). Every third key is not active.
fn seed_hostile(tx: &Connection, hash: &str) -> rusqlite::Result<()> {
    let t = HOSTILE_TENANT;
    db::insert_tenant(tx, t, "Hostile names")?;
    let corpus = hostile::corpus();
    let now = clock::now_ms();
    for (i, name) in corpus.iter().enumerate() {
        let (id, email, roles) = match i {
            0 => (
                "user--hostile-owner".to_owned(),
                "owner@hostile.test".to_owned(),
                "platform_owner",
            ),
            1 => (
                "user--hostile-developer".to_owned(),
                "developer@hostile.test".to_owned(),
                "developer",
            ),
            _ => (
                format!("user--hostile-{i}"),
                format!("creator-{i}@hostile.test"),
                "developer",
            ),
        };
        db::insert_user(tx, &user(t, &id, &email, name, &[roles], hash))?;
        let tech = if i % 2 == 0 { "server" } else { "client" };
        let app = db::insert_application(tx, t, name, name, tech)?;
        let arx = db::insert_arx(
            tx,
            t,
            &id,
            &NewArx {
                name,
                label: name,
                purpose: "testing",
                plan: "serverless",
                provider: "gcp",
                regions: "au",
                encryption: "aes-gcm-256",
                rotation: "monthly",
                always_fails: false,
            },
        )?;
        let created = clock::rfc3339(now - i as i64 * 3_600_000);
        db::insert_key(
            tx,
            &NewKey {
                tenant_id: t,
                application_id: Some(&app),
                cluster_id: &arx,
                created_by: &id,
                status: ["active", "active", "disabled"][i % 3],
                next_status: None,
                transition_at: None,
                created_at: &created,
                with_secrets: false,
                last_used_at: None,
            },
        )?;
    }
    Ok(())
}

//! SQLite persistence: schema migrations, the demo seed, and every query the routes need.

use std::path::Path;

use platform_types::{
    Acl, ApiKey, Application, Arx, Creator, KeyStatus, Models, Named, Ref, Secret, SensitiveData,
    Technology,
};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::ids;

/// Schema steps; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    // 1: the whole first schema.
    r#"
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        email TEXT NOT NULL UNIQUE,
        full_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        roles TEXT NOT NULL
    );
    CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        expires_at INTEGER NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE applications (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        label TEXT NOT NULL,
        technology TEXT NOT NULL CHECK (technology IN ('server', 'client'))
    );
    CREATE TABLE clusters (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        label TEXT NOT NULL,
        purpose TEXT NOT NULL,
        plan TEXT NOT NULL,
        provider TEXT NOT NULL,
        regions TEXT NOT NULL,
        encryption TEXT NOT NULL,
        rotation TEXT NOT NULL,
        always_fails INTEGER NOT NULL DEFAULT 0,
        created_by TEXT REFERENCES users(id)
    );
    CREATE TABLE api_keys (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        access_key TEXT NOT NULL UNIQUE,
        application_id TEXT REFERENCES applications(id),
        cluster_id TEXT NOT NULL REFERENCES clusters(id),
        status TEXT NOT NULL,
        next_status TEXT,
        transition_at INTEGER,
        created_at TEXT NOT NULL,
        created_by TEXT REFERENCES users(id),
        last_used_at TEXT,
        client_key TEXT,
        server_signing_key TEXT,
        server_crypto_access_key TEXT,
        provided_at TEXT
    );
    CREATE INDEX api_keys_tenant ON api_keys(tenant_id, seq);
    CREATE INDEX api_keys_transition ON api_keys(transition_at) WHERE next_status IS NOT NULL;
    CREATE TABLE idempotency (
        tenant_id TEXT NOT NULL,
        idem_key TEXT NOT NULL,
        body_hash TEXT NOT NULL,
        key_id TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, idem_key)
    );
    "#,
    // 2: when a refresh token was rotated, for the reuse grace window.
    "ALTER TABLE refresh_tokens ADD COLUMN rotated_at INTEGER;",
];

/// Opens (creating if needed) and migrates the database at `path`; `:memory:` for tests.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
    let mut conn = Connection::open(path)?;
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;",
    )?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let done: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, step) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Reads a value of the `meta` table.
pub fn meta_get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

/// Writes a value of the `meta` table.
pub fn meta_set(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// A user as stored.
#[derive(Debug, Clone)]
pub struct UserRow {
    /// User id.
    pub id: String,
    /// Tenant id.
    pub tenant_id: String,
    /// E-mail address.
    pub email: String,
    /// Full name.
    pub full_name: String,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// Role ids.
    pub roles: Vec<String>,
}

fn user_from_row(r: &Row<'_>) -> rusqlite::Result<UserRow> {
    let roles: String = r.get(5)?;
    Ok(UserRow {
        id: r.get(0)?,
        tenant_id: r.get(1)?,
        email: r.get(2)?,
        full_name: r.get(3)?,
        password_hash: r.get(4)?,
        roles: roles
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

const USER_COLS: &str = "id, tenant_id, email, full_name, password_hash, roles";

/// The user with this e-mail address (case-insensitive).
pub fn user_by_email(conn: &Connection, email: &str) -> rusqlite::Result<Option<UserRow>> {
    conn.query_row(
        &format!("SELECT {USER_COLS} FROM users WHERE email = lower(?1)"),
        [email.trim()],
        user_from_row,
    )
    .optional()
}

/// The user with this id.
pub fn user_by_id(conn: &Connection, id: &str) -> rusqlite::Result<Option<UserRow>> {
    conn.query_row(
        &format!("SELECT {USER_COLS} FROM users WHERE id = ?1"),
        [id],
        user_from_row,
    )
    .optional()
}

/// Inserts a user; `email` is stored lower-cased.
pub fn insert_user(conn: &Connection, u: &UserRow) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO users(id, tenant_id, email, full_name, password_hash, roles) VALUES (?1, ?2, lower(?3), ?4, ?5, ?6)",
        params![u.id, u.tenant_id, u.email, u.full_name, u.password_hash, u.roles.join(",")],
    )?;
    Ok(())
}

/// Stores the hash of a new refresh token.
pub fn insert_refresh(
    conn: &Connection,
    token_hash: &str,
    user_id: &str,
    expires_at: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO refresh_tokens(token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)",
        params![token_hash, user_id, expires_at],
    )?;
    Ok(())
}

/// What a presented refresh token turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub enum RefreshLookup {
    /// Valid: it has now been revoked (rotation) and belongs to this user.
    Valid(String),
    /// Already used or revoked: possible theft, so the user's other tokens were revoked too.
    Reused,
    /// Unknown or expired.
    Invalid,
}

/// Consumes a refresh token: a valid one is revoked (rotated) and its user returned.
///
/// A token rotated less than `grace_secs` ago is accepted once more: two loads of the console in
/// quick succession (a reload that aborted the first refresh's answer, two tabs opening together)
/// present the same cookie, and must not sign the person out. Older reuse is treated as theft.
pub fn consume_refresh(
    conn: &Connection,
    token_hash: &str,
    now: i64,
    grace_secs: i64,
) -> rusqlite::Result<RefreshLookup> {
    let row: Option<(String, i64, bool, Option<i64>)> = conn
        .query_row(
            "SELECT user_id, expires_at, revoked, rotated_at FROM refresh_tokens WHERE token_hash = ?1",
            [token_hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    Ok(match row {
        None => RefreshLookup::Invalid,
        Some((user, exp, true, Some(rotated))) if now - rotated < grace_secs && exp > now => {
            RefreshLookup::Valid(user)
        }
        Some((user, _, true, _)) => {
            conn.execute(
                "UPDATE refresh_tokens SET revoked = 1 WHERE user_id = ?1",
                [&user],
            )?;
            RefreshLookup::Reused
        }
        Some((_, exp, false, _)) if exp <= now => RefreshLookup::Invalid,
        Some((user, _, false, _)) => {
            conn.execute(
                "UPDATE refresh_tokens SET revoked = 1, rotated_at = ?2 WHERE token_hash = ?1",
                params![token_hash, now],
            )?;
            RefreshLookup::Valid(user)
        }
    })
}

/// Revokes one refresh token (sign-out).
pub fn revoke_refresh(conn: &Connection, token_hash: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE refresh_tokens SET revoked = 1 WHERE token_hash = ?1",
        [token_hash],
    )?;
    Ok(())
}

/// Whether the tenant exists.
pub fn tenant_exists(conn: &Connection, tenant_id: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT 1 FROM tenants WHERE id = ?1", [tenant_id], |_| {
        Ok(())
    })
    .optional()
    .map(|o| o.is_some())
}

/// Applies every pending transition whose time has come (provisioning and deletion finish).
pub fn settle(conn: &Connection, now_ms: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE api_keys SET status = next_status, next_status = NULL, transition_at = NULL
         WHERE next_status IS NOT NULL AND transition_at <= ?1",
        [now_ms],
    )
}

/// The earliest time a pending key of `tenant_id` changes, if any.
pub fn next_transition(conn: &Connection, tenant_id: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT min(transition_at) FROM api_keys WHERE tenant_id = ?1 AND next_status IS NOT NULL",
        [tenant_id],
        |r| r.get(0),
    )
}

fn technology(id: &str) -> Technology {
    let (name, description, cors, order, is_default) = match id {
        "server" => (
            "Server",
            "Server-side applications using the server SDKs",
            false,
            1,
            true,
        ),
        "client" => ("Client", "Browser and mobile applications", true, 2, false),
        other => (other, "", false, 9, false),
    };
    Technology {
        id: id.into(),
        name: name.into(),
        description: description.into(),
        cors,
        icon: id.into(),
        order,
        enable: true,
        is_default,
    }
}

fn title(id: &str) -> String {
    let mut name: String = id.replace('-', " ");
    if let Some(first) = name.get(..1) {
        name = first.to_uppercase() + &name[1..];
    }
    name
}

fn enum_named(kind: &str, id: &str) -> Named {
    let name = match (kind, id) {
        ("provider", "gcp") => "Google Cloud".into(),
        ("provider", "aws") => "AWS".into(),
        ("provider", "azure") => "Azure".into(),
        ("region", "au") => "Australia".into(),
        ("region", "gb") => "United Kingdom".into(),
        ("region", "sg") => "Singapore".into(),
        ("region", "us") => "United States".into(),
        ("encryption", "aes-gcm-128") => "AES-GCM-128".into(),
        ("encryption", "aes-gcm-256") => "AES-GCM-256".into(),
        ("encryption", "cha-cha-20-poly-1305") => "ChaCha20-Poly1305".into(),
        ("rotation", "3-monthly") => "Every 3 months".into(),
        ("rotation", "6-monthly") => "Every 6 months".into(),
        _ => title(id),
    };
    Named::new(id, &name)
}

/// Applications of a tenant, in a stable order.
pub fn applications(conn: &Connection, tenant_id: &str) -> rusqlite::Result<Vec<Application>> {
    let mut st = conn.prepare_cached(
        "SELECT id, name, label, technology FROM applications WHERE tenant_id = ?1 ORDER BY name",
    )?;
    let rows = st.query_map([tenant_id], |r| {
        let tech: String = r.get(3)?;
        Ok(Application {
            id: r.get(0)?,
            name: r.get(1)?,
            label: r.get(2)?,
            application_technology: technology(&tech),
        })
    })?;
    rows.collect()
}

/// An Arx as stored, with the flag that makes its provisioning fail.
#[derive(Debug, Clone)]
pub struct ArxRow {
    /// The wire shape.
    pub arx: Arx,
    /// Provisioning on this Arx always ends in `failed`.
    pub always_fails: bool,
}

/// Arx of a tenant, in a stable order.
pub fn clusters(conn: &Connection, tenant_id: &str) -> rusqlite::Result<Vec<ArxRow>> {
    let mut st = conn.prepare_cached(
        "SELECT c.id, c.name, c.label, c.purpose, c.plan, c.provider, c.regions, c.encryption, c.rotation,
                c.always_fails, u.id, u.full_name, u.email
         FROM clusters c LEFT JOIN users u ON u.id = c.created_by
         WHERE c.tenant_id = ?1 ORDER BY c.name",
    )?;
    let rows = st.query_map([tenant_id], |r| {
        let regions: String = r.get(6)?;
        let creator: Option<String> = r.get(10)?;
        Ok(ArxRow {
            arx: Arx {
                id: r.get(0)?,
                name: r.get(1)?,
                label: r.get(2)?,
                purpose: enum_named("purpose", &r.get::<_, String>(3)?),
                plan: enum_named("plan", &r.get::<_, String>(4)?),
                provider: enum_named("provider", &r.get::<_, String>(5)?),
                regions: regions
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|id| enum_named("region", id))
                    .collect(),
                encryption: enum_named("encryption", &r.get::<_, String>(7)?),
                rotation_cycle: enum_named("rotation", &r.get::<_, String>(8)?),
                created_by: match creator {
                    Some(id) => Some(Creator {
                        id,
                        full_name: r.get(11)?,
                        name: r.get(11)?,
                        email_address: r.get(12)?,
                        avatar: String::new(),
                    }),
                    None => None,
                },
            },
            always_fails: r.get(9)?,
        })
    })?;
    rows.collect()
}

/// The models (applications and Arx) of a tenant.
pub fn models(conn: &Connection, tenant_id: &str) -> rusqlite::Result<Models> {
    Ok(Models {
        applications: applications(conn, tenant_id)?,
        clusters: clusters(conn, tenant_id)?
            .into_iter()
            .map(|c| c.arx)
            .collect(),
    })
}

const KEY_SELECT: &str = "
    SELECT k.id, k.access_key, k.created_at, k.status, k.application_id, a.name, a.label,
           k.cluster_id, c.name, c.label, u.id, u.full_name, u.email, k.last_used_at
    FROM api_keys k
    LEFT JOIN applications a ON a.id = k.application_id
    JOIN clusters c ON c.id = k.cluster_id
    LEFT JOIN users u ON u.id = k.created_by";

/// The Arx endpoint the SDKs of a tenant call for one Arx.
pub fn arx_url(cluster_id: &str) -> String {
    let tail = cluster_id.trim_start_matches("arx--");
    format!("https://arx-{}.dev.onqlave.test", tail.to_ascii_lowercase())
}

fn key_from_row(r: &Row<'_>) -> rusqlite::Result<ApiKey> {
    let application_id: Option<String> = r.get(4)?;
    let cluster_id: String = r.get(7)?;
    let creator: Option<String> = r.get(10)?;
    let full_name: Option<String> = r.get(11)?;
    Ok(ApiKey {
        id: r.get(0)?,
        access_key: r.get(1)?,
        created_at: r.get(2)?,
        status: KeyStatus::parse(&r.get::<_, String>(3)?),
        created_by: creator.map(|id| Creator {
            id,
            name: full_name.clone().unwrap_or_default(),
            full_name: full_name.unwrap_or_default(),
            email_address: r
                .get::<_, Option<String>>(12)
                .ok()
                .flatten()
                .unwrap_or_default(),
            avatar: String::new(),
        }),
        application: match &application_id {
            Some(id) => Some(Ref {
                id: id.clone(),
                name: r.get(5)?,
                label: r.get(6)?,
            }),
            None => None,
        },
        application_id: application_id.unwrap_or_default(),
        cluster: Some(Ref {
            id: cluster_id.clone(),
            name: r.get(8)?,
            label: r.get(9)?,
        }),
        arx_url: arx_url(&cluster_id),
        cluster_id,
        acl: Acl::default(),
        last_used_at: r.get(13)?,
    })
}

/// Every key of a tenant, oldest first; ACLs are left for the caller to fill.
pub fn keys(conn: &Connection, tenant_id: &str) -> rusqlite::Result<Vec<ApiKey>> {
    let mut st = conn.prepare_cached(&format!(
        "{KEY_SELECT} WHERE k.tenant_id = ?1 ORDER BY k.seq"
    ))?;
    let rows = st.query_map([tenant_id], key_from_row)?;
    rows.collect()
}

/// One key of a tenant.
pub fn key(conn: &Connection, tenant_id: &str, id: &str) -> rusqlite::Result<Option<ApiKey>> {
    conn.prepare_cached(&format!(
        "{KEY_SELECT} WHERE k.tenant_id = ?1 AND k.id = ?2"
    ))?
    .query_row([tenant_id, id], key_from_row)
    .optional()
}

/// A key to insert.
pub struct NewKey<'a> {
    /// Tenant.
    pub tenant_id: &'a str,
    /// Application, when the platform has them.
    pub application_id: Option<&'a str>,
    /// Arx.
    pub cluster_id: &'a str,
    /// Creator.
    pub created_by: &'a str,
    /// Initial status.
    pub status: &'a str,
    /// Status after the transition, if one is scheduled.
    pub next_status: Option<&'a str>,
    /// When the transition happens (ms since the epoch).
    pub transition_at: Option<i64>,
    /// RFC 3339 creation time.
    pub created_at: &'a str,
    /// Whether the one-time secrets are still to be handed out.
    pub with_secrets: bool,
    /// Last use, if any.
    pub last_used_at: Option<&'a str>,
}

/// Inserts a key with a fresh id, access key and (optionally) secrets; returns the id.
pub fn insert_key(conn: &Connection, k: &NewKey<'_>) -> rusqlite::Result<String> {
    let id = ids::new_id("apikey");
    let (client, signing, crypto) = if k.with_secrets {
        (
            Some(ids::secret("onq_ck_")),
            Some(ids::secret("onq_sk_")),
            Some(ids::secret("onq_ak_")),
        )
    } else {
        (None, None, None)
    };
    let provided_at = (!k.with_secrets).then_some(k.created_at);
    conn.execute(
        "INSERT INTO api_keys(id, tenant_id, access_key, application_id, cluster_id, status, next_status,
             transition_at, created_at, created_by, last_used_at, client_key, server_signing_key,
             server_crypto_access_key, provided_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            id,
            k.tenant_id,
            ids::access_key(),
            k.application_id,
            k.cluster_id,
            k.status,
            k.next_status,
            k.transition_at,
            k.created_at,
            k.created_by,
            k.last_used_at,
            client,
            signing,
            crypto,
            provided_at,
        ],
    )?;
    Ok(id)
}

/// Starts an operation: sets `pending` now and `next` at `at`.
pub fn schedule(conn: &Connection, id: &str, next: &str, at: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE api_keys SET status = 'pending', next_status = ?2, transition_at = ?3 WHERE id = ?1",
        params![id, next, at],
    )?;
    Ok(())
}

/// Outcome of asking for the one-time secrets.
pub enum Reveal {
    /// Here they are; they have been erased from the database.
    Secrets(SensitiveData),
    /// Already handed out.
    AlreadyProvided,
    /// The key is not active (yet).
    NotActive(KeyStatus),
}

/// Hands out the secrets of an active key once, erasing them in the same transaction.
pub fn reveal(conn: &mut Connection, key: &ApiKey, now: &str) -> rusqlite::Result<Reveal> {
    let tx = conn.transaction()?;
    let row: (Option<String>, Option<String>, Option<String>, Option<String>) = tx.query_row(
        "SELECT client_key, server_signing_key, server_crypto_access_key, provided_at FROM api_keys WHERE id = ?1",
        [&key.id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    if row.3.is_some() {
        return Ok(Reveal::AlreadyProvided);
    }
    if key.status != KeyStatus::Active {
        return Ok(Reveal::NotActive(key.status.clone()));
    }
    tx.execute(
        "UPDATE api_keys SET client_key = NULL, server_signing_key = NULL, server_crypto_access_key = NULL,
             provided_at = ?2 WHERE id = ?1",
        params![key.id, now],
    )?;
    tx.commit()?;
    Ok(Reveal::Secrets(SensitiveData {
        id: key.id.clone(),
        access_key: key.access_key.clone(),
        status: key.status.clone(),
        client_key: Secret::new(row.0.unwrap_or_default()),
        server_signing_key: Secret::new(row.1.unwrap_or_default()),
        server_crypto_access_key: Secret::new(row.2.unwrap_or_default()),
        arx_url: key.arx_url.clone(),
        provided_at: now.into(),
    }))
}

/// A stored idempotency record.
pub struct IdemRecord {
    /// Hash of the request body it was first used with.
    pub body_hash: String,
    /// The key it created; `None` while that create is in flight.
    pub key_id: Option<String>,
    /// When it was first used (ms since the epoch).
    pub created_at: i64,
}

/// Looks up an idempotency key of a tenant.
pub fn idem_get(
    conn: &Connection,
    tenant_id: &str,
    idem: &str,
) -> rusqlite::Result<Option<IdemRecord>> {
    conn.query_row(
        "SELECT body_hash, key_id, created_at FROM idempotency WHERE tenant_id = ?1 AND idem_key = ?2",
        [tenant_id, idem],
        |r| {
            Ok(IdemRecord {
                body_hash: r.get(0)?,
                key_id: r.get(1)?,
                created_at: r.get(2)?,
            })
        },
    )
    .optional()
}

/// Reserves an idempotency key (in flight), replacing an expired record.
pub fn idem_reserve(
    conn: &Connection,
    tenant_id: &str,
    idem: &str,
    body_hash: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO idempotency(tenant_id, idem_key, body_hash, key_id, created_at) VALUES (?1, ?2, ?3, NULL, ?4)
         ON CONFLICT(tenant_id, idem_key) DO UPDATE SET body_hash = excluded.body_hash, key_id = NULL, created_at = excluded.created_at",
        params![tenant_id, idem, body_hash, now_ms],
    )?;
    Ok(())
}

/// Records the key an idempotency key created.
pub fn idem_complete(
    conn: &Connection,
    tenant_id: &str,
    idem: &str,
    key_id: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE idempotency SET key_id = ?3 WHERE tenant_id = ?1 AND idem_key = ?2",
        params![tenant_id, idem, key_id],
    )?;
    Ok(())
}

/// Forgets an in-flight reservation whose create failed, so a retry can proceed.
pub fn idem_release(conn: &Connection, tenant_id: &str, idem: &str) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM idempotency WHERE tenant_id = ?1 AND idem_key = ?2 AND key_id IS NULL",
        params![tenant_id, idem],
    )?;
    Ok(())
}

/// Inserts a tenant.
pub fn insert_tenant(conn: &Connection, id: &str, name: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO tenants(id, name) VALUES (?1, ?2)",
        params![id, name],
    )?;
    Ok(())
}

/// Inserts an application; returns its id.
pub fn insert_application(
    conn: &Connection,
    tenant_id: &str,
    name: &str,
    label: &str,
    tech: &str,
) -> rusqlite::Result<String> {
    let id = ids::new_id("app");
    conn.execute(
        "INSERT INTO applications(id, tenant_id, name, label, technology) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, tenant_id, name, label, tech],
    )?;
    Ok(id)
}

/// The settings of an Arx to insert.
pub struct NewArx<'a> {
    /// Name.
    pub name: &'a str,
    /// Label.
    pub label: &'a str,
    /// Purpose id.
    pub purpose: &'a str,
    /// Plan id.
    pub plan: &'a str,
    /// Provider id.
    pub provider: &'a str,
    /// Region ids, comma-separated.
    pub regions: &'a str,
    /// Encryption id.
    pub encryption: &'a str,
    /// Rotation id.
    pub rotation: &'a str,
    /// Provisioning always fails.
    pub always_fails: bool,
}

/// Inserts an Arx; returns its id.
pub fn insert_arx(
    conn: &Connection,
    tenant_id: &str,
    created_by: &str,
    a: &NewArx<'_>,
) -> rusqlite::Result<String> {
    let id = ids::new_id("arx");
    conn.execute(
        "INSERT INTO clusters(id, tenant_id, name, label, purpose, plan, provider, regions, encryption, rotation,
             always_fails, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id, tenant_id, a.name, a.label, a.purpose, a.plan, a.provider, a.regions, a.encryption,
            a.rotation, a.always_fails, created_by
        ],
    )?;
    Ok(id)
}

/// Counts the keys of a tenant.
pub fn key_count(conn: &Connection, tenant_id: &str) -> rusqlite::Result<u64> {
    conn.query_row(
        "SELECT count(*) FROM api_keys WHERE tenant_id = ?1",
        [tenant_id],
        |r| r.get(0),
    )
}

//! The `api_keys` table: keys, their scheduled transitions and their one-time secrets.

use platform_types::{Acl, ApiKey, Creator, KeyStatus, Ref, Secret, SensitiveData};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::ids;

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

const KEY_SELECT: &str = "
    SELECT k.id, k.access_key, k.created_at, k.status, k.application_id, a.name, a.label,
           k.cluster_id, c.name, c.label, u.id, u.full_name, u.email, k.last_used_at
    FROM api_keys k
    LEFT JOIN applications a ON a.id = k.application_id AND a.tenant_id = k.tenant_id
    LEFT JOIN clusters c ON c.id = k.cluster_id AND c.tenant_id = k.tenant_id
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
        // Named only when it is the tenant's own (the join finds none of another tenant's).
        application: match (&application_id, r.get::<_, Option<String>>(5)?) {
            (Some(id), Some(name)) => Some(Ref {
                id: id.clone(),
                name,
                label: r.get(6)?,
            }),
            _ => None,
        },
        application_id: application_id.unwrap_or_default(),
        // Likewise the Arx.
        cluster: r.get::<_, Option<String>>(8)?.map(|name| Ref {
            id: cluster_id.clone(),
            name,
            label: r
                .get::<_, Option<String>>(9)
                .ok()
                .flatten()
                .unwrap_or_default(),
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

/// Forgets the one-time secrets of a key that were never handed out (a delete).
pub fn erase_secrets(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE api_keys SET client_key = NULL, server_signing_key = NULL, server_crypto_access_key = NULL
         WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

/// Erased secrets are gone from the files too: the write-ahead log keeps every version of a
/// page written since its last checkpoint, the secrets' among them, so it is copied into the
/// database (whose freed space `secure_delete` zeroes) and cut to nothing. A reader holding the
/// log open (another process) keeps the log from being cut; the platform has one connection.
/// A checkpoint that fails fails nothing else: the secrets are erased for every reader, and the
/// answer that hands them out must still go. Called once the erasing write is committed.
pub fn forget_erased(conn: &Connection) {
    let checkpoint = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    });
    match checkpoint {
        // 0: not blocked (an in-memory database has no log, and says 0 too).
        Ok(0) => {}
        Ok(_) => tracing::warn!(
            "another reader holds the database's log: erased secrets stay in it until it is cut"
        ),
        Err(e) => tracing::warn!(error = %e, "could not checkpoint the log after erasing secrets"),
    }
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
    // The three secrets, `provided_at` and `next_status`.
    let row: [Option<String>; 5] = tx.query_row(
        "SELECT client_key, server_signing_key, server_crypto_access_key, provided_at, next_status
         FROM api_keys WHERE id = ?1",
        [&key.id],
        |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]),
    )?;
    // Still being provisioned: "before active" (409), whether or not it will fail. A key whose
    // provisioning will fail is stored as handed out from the start, since it never has secrets.
    let [client, signing, crypto, provided_at, next_status] = row;
    let provisioning = key.status == KeyStatus::Pending
        && matches!(next_status.as_deref(), Some("active" | "failed"));
    if provisioning {
        return Ok(Reveal::NotActive(KeyStatus::Pending));
    }
    // Never active, so never handed out (410 would say it was).
    if key.status == KeyStatus::Failed {
        return Ok(Reveal::NotActive(KeyStatus::Failed));
    }
    if provided_at.is_some() {
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
    forget_erased(conn);
    Ok(Reveal::Secrets(SensitiveData {
        id: key.id.clone(),
        access_key: key.access_key.clone(),
        status: key.status.clone(),
        client_key: Secret::new(client.unwrap_or_default()),
        server_signing_key: Secret::new(signing.unwrap_or_default()),
        server_crypto_access_key: Secret::new(crypto.unwrap_or_default()),
        arx_url: key.arx_url.clone(),
        provided_at: now.into(),
    }))
}

/// Counts the keys of a tenant.
pub fn key_count(conn: &Connection, tenant_id: &str) -> rusqlite::Result<u64> {
    conn.query_row(
        "SELECT count(*) FROM api_keys WHERE tenant_id = ?1",
        [tenant_id],
        |r| r.get(0),
    )
}

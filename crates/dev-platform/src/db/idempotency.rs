//! The `idempotency` table: which create an `Idempotency-Key` stands for.

use rusqlite::{params, Connection, OptionalExtension};

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

//! The `idempotency` table: which create an `Idempotency-Key` stands for. A key is scoped to
//! the user who sent it in their tenant: another person's retry is never mistaken for theirs.

use rusqlite::{params, Connection, OptionalExtension};

/// An `Idempotency-Key` as sent by one user of one tenant.
#[derive(Debug, Clone, Copy)]
pub struct IdemScope<'a> {
    /// Tenant.
    pub tenant_id: &'a str,
    /// User who sent it.
    pub user_id: &'a str,
    /// The header's value.
    pub key: &'a str,
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

/// Looks up an idempotency key.
pub fn idem_get(conn: &Connection, s: IdemScope<'_>) -> rusqlite::Result<Option<IdemRecord>> {
    conn.query_row(
        "SELECT body_hash, key_id, created_at FROM idempotency
         WHERE tenant_id = ?1 AND user_id = ?2 AND idem_key = ?3",
        [s.tenant_id, s.user_id, s.key],
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
    s: IdemScope<'_>,
    body_hash: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO idempotency(tenant_id, user_id, idem_key, body_hash, key_id, created_at)
         VALUES (?1, ?2, ?3, ?4, NULL, ?5)
         ON CONFLICT(tenant_id, user_id, idem_key) DO UPDATE
         SET body_hash = excluded.body_hash, key_id = NULL, created_at = excluded.created_at",
        params![s.tenant_id, s.user_id, s.key, body_hash, now_ms],
    )?;
    Ok(())
}

/// Records the key an idempotency key created.
pub fn idem_complete(conn: &Connection, s: IdemScope<'_>, key_id: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE idempotency SET key_id = ?4 WHERE tenant_id = ?1 AND user_id = ?2 AND idem_key = ?3",
        params![s.tenant_id, s.user_id, s.key, key_id],
    )?;
    Ok(())
}

/// Forgets an in-flight reservation whose create failed, so a retry can proceed.
pub fn idem_release(conn: &Connection, s: IdemScope<'_>) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM idempotency
         WHERE tenant_id = ?1 AND user_id = ?2 AND idem_key = ?3 AND key_id IS NULL",
        params![s.tenant_id, s.user_id, s.key],
    )?;
    Ok(())
}

/// Forgets the records made before `before_ms`: past their lifetime they answer nothing, and
/// each create with a key would otherwise leave one for good.
pub fn idem_forget_before(conn: &Connection, before_ms: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM idempotency WHERE created_at < ?1", [before_ms])?;
    Ok(())
}

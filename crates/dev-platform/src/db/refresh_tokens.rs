//! The `refresh_tokens` and `refresh_families` tables: hashes of the refresh cookies handed out,
//! their rotation, and the family (one sign-in and every token rotated from it) each belongs to.

use rusqlite::{params, Connection, OptionalExtension};

/// Starts a family with its first token (a sign-in).
pub fn insert_family(
    conn: &Connection,
    family_id: &str,
    user_id: &str,
    token_hash: &str,
    expires_at: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO refresh_families(id, user_id) VALUES (?1, ?2)",
        params![family_id, user_id],
    )?;
    insert_token(conn, family_id, user_id, token_hash, expires_at)
}

fn insert_token(
    conn: &Connection,
    family_id: &str,
    user_id: &str,
    token_hash: &str,
    expires_at: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO refresh_tokens(token_hash, user_id, expires_at, family_id) VALUES (?1, ?2, ?3, ?4)",
        params![token_hash, user_id, expires_at, family_id],
    )?;
    Ok(())
}

/// The sign-in a refresh token belongs to.
#[derive(Debug, PartialEq, Eq)]
pub struct Family {
    /// The family's id, which the access tokens issued for it carry (`sid`).
    pub id: String,
    /// Who signed in.
    pub user_id: String,
}

/// What a presented refresh token turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub enum Rotation {
    /// It was current: it is now rotated, and its successor stored.
    Rotated(Family),
    /// It was rotated moments ago and this is its one repeat within the grace window: the
    /// successor stored then stands.
    Repeated(Family),
    /// Presented again after its repeat or after the window: possible theft, so this family
    /// (its id here) has been revoked.
    Reused(String),
    /// Unknown, expired, signed out, or of a revoked family.
    Invalid,
}

struct TokenRow {
    user_id: String,
    family_id: String,
    expires_at: i64,
    revoked: bool,
    rotated_at: Option<i64>,
    repeated: bool,
    family_revoked: bool,
}

/// Rotates the token with hash `token_hash` to the one with `successor_hash`. The caller derives
/// the successor from the token itself, so a repeat within `grace_secs` hands out the same one.
pub fn rotate(
    conn: &mut Connection,
    token_hash: &str,
    successor_hash: &str,
    now: i64,
    expires_at: i64,
    grace_secs: i64,
) -> rusqlite::Result<Rotation> {
    let tx = conn.transaction()?;
    let row = tx
        .query_row(
            "SELECT t.user_id, t.family_id, t.expires_at, t.revoked, t.rotated_at, t.repeated,
                    f.revoked_at IS NOT NULL
             FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
             WHERE t.token_hash = ?1",
            [token_hash],
            |r| {
                Ok(TokenRow {
                    user_id: r.get(0)?,
                    family_id: r.get(1)?,
                    expires_at: r.get(2)?,
                    revoked: r.get(3)?,
                    rotated_at: r.get(4)?,
                    repeated: r.get(5)?,
                    family_revoked: r.get(6)?,
                })
            },
        )
        .optional()?;
    let outcome = match row {
        None => Rotation::Invalid,
        Some(t) if t.family_revoked || t.revoked || t.expires_at <= now => Rotation::Invalid,
        Some(t) => match t.rotated_at {
            None => {
                tx.execute(
                    "UPDATE refresh_tokens SET rotated_at = ?2 WHERE token_hash = ?1",
                    params![token_hash, now],
                )?;
                insert_token(&tx, &t.family_id, &t.user_id, successor_hash, expires_at)?;
                Rotation::Rotated(Family {
                    id: t.family_id,
                    user_id: t.user_id,
                })
            }
            Some(at) if !t.repeated && now - at < grace_secs => {
                tx.execute(
                    "UPDATE refresh_tokens SET repeated = 1 WHERE token_hash = ?1",
                    [token_hash],
                )?;
                Rotation::Repeated(Family {
                    id: t.family_id,
                    user_id: t.user_id,
                })
            }
            Some(_) => {
                revoke_family(&tx, &t.family_id, now)?;
                Rotation::Reused(t.family_id)
            }
        },
    };
    tx.commit()?;
    Ok(outcome)
}

/// Ends a sign-in: none of its refresh tokens is accepted again.
pub fn revoke_family(conn: &Connection, family_id: &str, now: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE refresh_families SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![family_id, now],
    )?;
    conn.execute(
        "UPDATE refresh_tokens SET revoked = 1 WHERE family_id = ?1",
        [family_id],
    )?;
    Ok(())
}

/// Signs out: revokes the family of the token with this hash, and names it.
pub fn revoke_refresh(
    conn: &Connection,
    token_hash: &str,
    now: i64,
) -> rusqlite::Result<Option<String>> {
    let family: Option<String> = conn
        .query_row(
            "SELECT family_id FROM refresh_tokens WHERE token_hash = ?1",
            [token_hash],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(f) = &family {
        revoke_family(conn, f, now)?;
    }
    Ok(family)
}

/// The families revoked at `since` or later, with when.
pub fn families_revoked_since(
    conn: &Connection,
    since: i64,
) -> rusqlite::Result<Vec<(String, i64)>> {
    let mut stmt =
        conn.prepare("SELECT id, revoked_at FROM refresh_families WHERE revoked_at >= ?1")?;
    let rows = stmt.query_map([since], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

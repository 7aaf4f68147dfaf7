//! The `refresh_tokens` table: hashes of the refresh cookies handed out, and their rotation.

use rusqlite::{params, Connection, OptionalExtension};

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

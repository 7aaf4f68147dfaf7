//! The `refresh_tokens` and `refresh_families` tables: hashes of the refresh cookies handed out,
//! their rotation, and the family (one sign-in and every token rotated from it) each belongs to.

use rusqlite::{params, Connection, OptionalExtension};

/// How long refresh tokens and sign-ins last, in seconds.
#[derive(Clone, Copy, Debug)]
pub struct Lifetimes {
    /// A refresh token not used within this long is refused.
    pub refresh_secs: i64,
    /// A sign-in ends this long after it began, however often it is refreshed.
    pub session_max_secs: i64,
    /// A rotated token presented again within this long gets the same successor, once.
    pub grace_secs: i64,
    /// A sign-in refreshed this many times ends: its tokens are kept for reuse detection, and
    /// a looped refresh would otherwise add rows for as long as the sign-in lasts.
    pub refreshes: i64,
}

impl Lifetimes {
    /// When a sign-in that began at `started_at` ends.
    pub fn session_end(&self, started_at: i64) -> i64 {
        started_at.saturating_add(self.session_max_secs)
    }

    /// When a refresh token issued at `now` for a sign-in that began at `started_at` expires.
    pub fn token_expiry(&self, started_at: i64, now: i64) -> i64 {
        now.saturating_add(self.refresh_secs)
            .min(self.session_end(started_at))
    }
}

/// Starts a family with its first token (a sign-in at `now`). The tokens of the sign-ins that
/// have ended go then: each would be refused (its sign-in is over), and kept, every refresh
/// would add a row for good.
pub fn insert_family(
    conn: &Connection,
    family_id: &str,
    user_id: &str,
    token_hash: &str,
    now: i64,
    lifetimes: Lifetimes,
) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM refresh_tokens WHERE family_id IN
             (SELECT id FROM refresh_families WHERE started_at <= ?1)",
        [now.saturating_sub(lifetimes.session_max_secs)],
    )?;
    conn.execute(
        "INSERT INTO refresh_families(id, user_id, started_at) VALUES (?1, ?2, ?3)",
        params![family_id, user_id, now],
    )?;
    insert_token(
        conn,
        family_id,
        user_id,
        token_hash,
        lifetimes.token_expiry(now, now),
    )
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
    /// When the sign-in began (seconds since the epoch).
    pub started_at: i64,
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
    /// Refreshed as often as a sign-in may be: this family (its id here) has been revoked.
    Exhausted(String),
    /// Unknown, expired, signed out, of a revoked family, or of a sign-in past its lifetime.
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
    started_at: i64,
}

/// Rotates the token with hash `token_hash` to the one with `successor_hash`. The caller derives
/// the successor from the token itself, so a repeat within the grace window hands out the same
/// one.
pub fn rotate(
    conn: &mut Connection,
    token_hash: &str,
    successor_hash: &str,
    now: i64,
    lifetimes: Lifetimes,
) -> rusqlite::Result<Rotation> {
    let tx = conn.transaction()?;
    let row = tx
        .query_row(
            "SELECT t.user_id, t.family_id, t.expires_at, t.revoked, t.rotated_at, t.repeated,
                    f.revoked_at IS NOT NULL, f.started_at
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
                    started_at: r.get(7)?,
                })
            },
        )
        .optional()?;
    let outcome = match row {
        None => Rotation::Invalid,
        Some(t)
            if t.family_revoked
                || t.revoked
                || t.expires_at <= now
                || lifetimes.session_end(t.started_at) <= now =>
        {
            Rotation::Invalid
        }
        Some(t) => match t.rotated_at {
            None if refreshes(&tx, &t.family_id)? >= lifetimes.refreshes => {
                revoke_family(&tx, &t.family_id, now)?;
                Rotation::Exhausted(t.family_id)
            }
            None => {
                tx.execute(
                    "UPDATE refresh_tokens SET rotated_at = ?2 WHERE token_hash = ?1",
                    params![token_hash, now],
                )?;
                let expires_at = lifetimes.token_expiry(t.started_at, now);
                insert_token(&tx, &t.family_id, &t.user_id, successor_hash, expires_at)?;
                Rotation::Rotated(Family {
                    id: t.family_id,
                    user_id: t.user_id,
                    started_at: t.started_at,
                })
            }
            Some(at) if !t.repeated && now - at < lifetimes.grace_secs => {
                tx.execute(
                    "UPDATE refresh_tokens SET repeated = 1 WHERE token_hash = ?1",
                    [token_hash],
                )?;
                Rotation::Repeated(Family {
                    id: t.family_id,
                    user_id: t.user_id,
                    started_at: t.started_at,
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

/// How often the sign-in of `family_id` has been refreshed.
fn refreshes(conn: &Connection, family_id: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT COUNT(*) - 1 FROM refresh_tokens WHERE family_id = ?1",
        [family_id],
        |r| r.get(0),
    )
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

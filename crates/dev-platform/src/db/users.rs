//! The `users` table.

use rusqlite::{params, Connection, OptionalExtension, Row};

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

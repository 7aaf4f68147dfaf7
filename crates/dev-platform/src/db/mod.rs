//! SQLite persistence: the schema and its migrations here, one module per table (or pair of
//! tables read together) below.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

mod idempotency;
mod keys;
mod models;
mod refresh_tokens;
mod users;

pub use idempotency::*;
pub use keys::*;
pub use models::*;
pub use refresh_tokens::*;
pub use users::*;

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
    // 3: token families, for revoking everything rotated from a sign-in when a token is reused;
    // a token rotated before is its own family.
    r#"
    CREATE TABLE refresh_families (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        revoked_at INTEGER
    );
    ALTER TABLE refresh_tokens ADD COLUMN family_id TEXT REFERENCES refresh_families(id);
    ALTER TABLE refresh_tokens ADD COLUMN repeated INTEGER NOT NULL DEFAULT 0;
    INSERT INTO refresh_families(id, user_id, revoked_at)
        SELECT token_hash, user_id, CASE WHEN revoked = 1 AND rotated_at IS NULL THEN 0 END
        FROM refresh_tokens;
    UPDATE refresh_tokens SET family_id = token_hash;
    CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
    "#,
    // 4: idempotency keys scoped to the user as well as the tenant. Records are kept 24 h; the
    // old ones are dropped rather than guessed an owner.
    r#"
    DROP TABLE idempotency;
    CREATE TABLE idempotency (
        tenant_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        idem_key TEXT NOT NULL,
        body_hash TEXT NOT NULL,
        key_id TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, user_id, idem_key)
    );
    "#,
    // 5: the demo Arx that always fails says so in its label (the wizard shows it).
    r#"
    UPDATE clusters SET name = 'failing-demo', label = 'Failing demo Arx (provisioning always fails)'
    WHERE name = 'broken-test' AND always_fails = 1;
    "#,
    // 6: when each sign-in began, for its absolute lifetime; one under way is counted from now.
    r#"
    ALTER TABLE refresh_families ADD COLUMN started_at INTEGER;
    UPDATE refresh_families SET started_at = CAST(strftime('%s', 'now') AS INTEGER);
    "#,
    // 7: deleting a key erases its secrets now; a key deleted before kept them. And the file is
    // owed one rewrite (`rewrite_owed`): secrets erased before `secure_delete` was on may still
    // lie in its free space.
    r#"
    UPDATE api_keys SET client_key = NULL, server_signing_key = NULL, server_crypto_access_key = NULL
    WHERE status = 'deleted' OR next_status = 'deleted';
    INSERT INTO meta(key, value) VALUES ('rewrite_owed', '1')
        ON CONFLICT(key) DO UPDATE SET value = excluded.value;
    "#,
];

/// The `meta` key that says the file is owed a rewrite (step 7).
const REWRITE_OWED: &str = "rewrite_owed";

/// Opens (creating if needed) and migrates the database at `path`; `:memory:` for tests.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    if path != Path::new(":memory:") {
        keep_private(path);
    }
    let mut conn = Connection::open(path)?;
    // The exclusive lock, taken at the first read below and held while the platform runs: the
    // list cache and the ended sign-ins live in this process's memory, so a second platform on
    // the same file would serve a stale list and take tokens signed out here. It is refused
    // at once instead (no busy wait while the lock is asked for).
    conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE; PRAGMA busy_timeout = 0;")?;
    let in_use = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            refused(format!(
                "{} is in use by another dev platform: stop it, or give this one another --db",
                path.display()
            ))
        }
        _ => e,
    };
    conn.execute_batch(
        // secure_delete: the space a secret leaves when it is erased is zeroed, not left for
        // the next write (see `keys::forget_erased` for the WAL's copies).
        "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;",
    )
    .map_err(in_use)?;
    migrate(&mut conn).map_err(in_use)?;
    conn.execute_batch("PRAGMA busy_timeout = 5000;")?;
    Ok(conn)
}

/// An error that stops the platform's start with `why`.
fn refused(why: String) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
        Some(why),
    )
}

/// The database holds the token-signing secrets and the secrets of keys not yet fetched: on a
/// shared machine, only its owner may read it. A new directory is made `0700`; the file, and
/// the WAL SQLite makes beside it (with the file's mode), `0600`; and a shared-memory file left
/// by an older version, which held the database in the shared locking mode.
fn keep_private(path: &Path) {
    #[cfg(unix)]
    {
        use std::fs::{DirBuilder, OpenOptions, Permissions};
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = DirBuilder::new().recursive(true).mode(0o700).create(dir);
        }
        let _ = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path);
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            let _ = std::fs::set_permissions(&file, Permissions::from_mode(0o600));
        }
    }
    #[cfg(not(unix))]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let done: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    // Made by a newer dev platform: its tables may have columns this one does not know, which
    // would fail requests one by one; its start fails instead, saying why.
    if done > MIGRATIONS.len() {
        return Err(refused(format!(
            "the database was made by a newer dev platform (schema {done}; this one knows {}): \
             use that version, or another --db",
            MIGRATIONS.len()
        )));
    }
    for (i, step) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    rewrite_if_owed(conn);
    Ok(())
}

/// Rewrites the file (`VACUUM`, then the log cut) when a migration said it is owed one. A
/// rewrite that fails (a full disk: it needs about the file's size again) is logged and owed
/// still: the platform starts, and the next start tries again.
fn rewrite_if_owed(conn: &Connection) {
    if meta_get(conn, REWRITE_OWED).ok().flatten().is_none() {
        return;
    }
    match conn.execute_batch("VACUUM;") {
        Ok(()) => {
            forget_erased(conn);
            if let Err(e) = conn.execute("DELETE FROM meta WHERE key = ?1", [REWRITE_OWED]) {
                tracing::warn!(error = %e, "could not record the database's rewrite");
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not rewrite the database; trying again at the next start")
        }
    }
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

/// Whether the tenant exists.
pub fn tenant_exists(conn: &Connection, tenant_id: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT 1 FROM tenants WHERE id = ?1", [tenant_id], |_| {
        Ok(())
    })
    .optional()
    .map(|o| o.is_some())
}

/// Inserts a tenant.
pub fn insert_tenant(conn: &Connection, id: &str, name: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO tenants(id, name) VALUES (?1, ?2)",
        params![id, name],
    )?;
    Ok(())
}

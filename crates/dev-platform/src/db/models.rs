//! The `applications` and `clusters` (Arx) tables: what `/keys/base` offers.

use platform_types::{Application, Arx, Creator, Models};
use rusqlite::{params, Connection};

use crate::ids;
use crate::seed::names::{enum_named, technology};

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
         WHERE c.tenant_id = ?1 ORDER BY c.always_fails, c.name",
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

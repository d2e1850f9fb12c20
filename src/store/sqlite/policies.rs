//! The policies a server ran with, kept by the hash consent events record: stored when `serve`
//! starts (the one policy every submission of that run uses), read back by access requests to
//! show the exact text a person saw, and by `purge` for the latest `retention_days`.

use rusqlite::{params, Connection, OptionalExtension};

/// Keeps `json` (the policy's canonical JSON, whose SHA-256 is `hash`), or marks the one
/// already kept as used at `at`.
pub(super) fn keep(
    conn: &Connection,
    hash: &str,
    id: &str,
    version: &str,
    json: &str,
    at: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO policies (hash, policy_id, version, json, stored_at, used_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (hash) DO UPDATE SET used_at = ?5",
        params![hash, id, version, json, at],
    )?;
    Ok(())
}

/// The policy kept under `hash`, as JSON.
pub(super) fn by_hash(conn: &Connection, hash: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT json FROM policies WHERE hash = ?1")?
        .query_row([hash], |r| r.get(0))
        .optional()
}

/// The policy stored last (the one the latest server start ran with), as JSON.
pub(super) fn latest(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT json FROM policies ORDER BY used_at DESC, rowid DESC LIMIT 1",
        [],
        |r| r.get(0),
    )
    .optional()
}

//! Backups of a live SQLite store and their restore. `VACUUM INTO` writes a consistent snapshot
//! (one read transaction, so a server may keep committing) to a temporary file beside the
//! target; the copy is then opened on its own and proven (`integrity_check`, every chain link,
//! row counts, its chain head found at the same place in the live log) before it is fsynced and
//! renamed into place. Copying the `.db` file alone is no backup under WAL: commits may still
//! sit in `-wal`, and a copy taken mid-checkpoint mixes two states. Restore proves the backup
//! the same way and writes it to a path that must not exist yet.

use super::{chain, export, fail, read_err, schema};
use crate::store::{BackupReport, ChainCheck, StoreError};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};

/// Copies the database `conn` reads (at `from`) to `out`, proven; see the module comment.
pub(super) fn backup(
    conn: &Connection,
    from: &Path,
    out: &Path,
) -> Result<BackupReport, StoreError> {
    let report = write_proven(conn, from, out)?;
    // The copy's head must be an event of the live log: the copy is a prefix of it.
    if report.events > 0 {
        let live: Option<String> = conn
            .query_row(
                "SELECT hash FROM consent_events WHERE seq = ?1",
                [report.events],
                |r| r.get(0),
            )
            .optional()
            .map_err(read_err)?;
        if live.as_deref() != Some(report.head.as_str()) {
            let _ = std::fs::remove_file(out);
            return Err(fail(
                from,
                "backup refused",
                "the copy's last event is not in the live consent log",
            ));
        }
    }
    Ok(report)
}

/// Proves the backup at `from` and writes it to `to`, which must not exist (nor its `-wal`).
pub(super) fn restore(from: &Path, to: &Path) -> Result<BackupReport, StoreError> {
    let conn = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| fail(from, "cannot open the backup", e))?;
    prove(&conn, from)?;
    write_proven(&conn, from, to)
}

/// `VACUUM INTO` a temporary file beside `out`, prove it, give it the permissions of `like`
/// (the copy holds the same personal data), fsync it and rename it to `out`.
fn write_proven(conn: &Connection, like: &Path, out: &Path) -> Result<BackupReport, StoreError> {
    let wal = sibling(out, "-wal");
    if out.exists() || wal.exists() {
        return Err(fail(
            out,
            "refusing to overwrite",
            "the file (or its -wal) exists; move it aside first",
        ));
    }
    let tmp = sibling(out, ".partial");
    let _ = std::fs::remove_file(&tmp);
    let tmp_str = tmp
        .to_str()
        .ok_or_else(|| fail(out, "cannot write", "the path is not valid UTF-8"))?;
    conn.execute("VACUUM INTO ?1", [tmp_str])
        .map_err(|e| fail(&tmp, "cannot write the copy", e))?;
    let proven = (|| {
        let copy = Connection::open_with_flags(&tmp, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| fail(&tmp, "cannot open the copy", e))?;
        let report = prove(&copy, &tmp)?;
        drop(copy);
        if let Ok(meta) = std::fs::metadata(like) {
            std::fs::set_permissions(&tmp, meta.permissions())
                .map_err(|e| fail(&tmp, "cannot set permissions", e))?;
        }
        let file = std::fs::File::open(&tmp).map_err(|e| fail(&tmp, "cannot sync", e))?;
        file.sync_all().map_err(|e| fail(&tmp, "cannot sync", e))?;
        std::fs::rename(&tmp, out).map_err(|e| fail(out, "cannot rename the copy", e))?;
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(report)
    })();
    if proven.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    proven
}

/// Checks a copy: a signup-guard schema, `integrity_check` ok, every chain link, and that the
/// event count matches the chain; its row counts and head.
fn prove(copy: &Connection, path: &Path) -> Result<BackupReport, StoreError> {
    schema::version(copy).map_err(|e| fail(path, "not a signup-guard database", e))?;
    let integrity: String = copy
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(read_err)?;
    if integrity != "ok" {
        return Err(fail(path, "integrity_check failed", integrity));
    }
    let (events, head) = match chain::verify(copy).map_err(read_err)? {
        ChainCheck::Intact { events, head } => (events, head),
        ChainCheck::Broken { seq, reason } => {
            return Err(fail(
                path,
                "consent log broken",
                format!("event {seq}: {reason}"),
            ))
        }
    };
    let stats = export::stats(copy).map_err(read_err)?;
    if stats.events != events {
        return Err(fail(
            path,
            "row counts disagree",
            "events counted differ from the chain",
        ));
    }
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok(BackupReport {
        stats,
        events,
        head,
        bytes,
    })
}

/// `path` with `suffix` appended to its file name (`x.db` → `x.db-wal`).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

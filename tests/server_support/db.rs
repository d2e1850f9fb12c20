//! Another process's view of a server's SQLite file: counts, integrity and the chain check.

use super::binary;
use std::path::Path;
use std::time::Duration;

/// A connection of our own to a server's database (another process's view), waiting up to
/// 5 s for its write lock.
pub(crate) fn sql(db: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn
}

/// The one number `query` (`SELECT count(*) …`) answers on `db`.
pub(crate) fn count(db: &Path, query: &str) -> i64 {
    sql(db).query_row(query, [], |r| r.get(0)).unwrap()
}

/// `signup-guard consent-log verify`: whether it passed, and what it printed.
pub(crate) fn consent_log_verify(db: &Path) -> (bool, String) {
    let out = std::process::Command::new(binary())
        .args(["consent-log", "verify", "--db"])
        .arg(db)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said)
}

/// `PRAGMA integrity_check` of `db` (`ok` when sound).
pub(crate) fn integrity(db: &Path) -> String {
    sql(db)
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

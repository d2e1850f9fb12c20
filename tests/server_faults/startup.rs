//! At start-up: a read-only, locked or non-SQLite database is a clear error and a non-zero exit.

use super::*;

/// A fresh signup-guard database at `db` (schema applied, WAL folded in on close).
fn create_store(db: &Path) {
    drop(signup_guard::store::Store::open(db).unwrap());
}

#[test]
fn a_database_on_a_read_only_file_system_is_refused_at_start() {
    let dir = TempDir::new("readonly");
    let Some(mnt) = tmpfs_or_skip("read-only database", &dir.0, "4m") else {
        return;
    };
    let db = mnt.0.join("ro.db");
    create_store(&db);
    // Root ignores permission bits, so a read-only mount is what makes the file unwritable.
    mnt.remount_read_only();
    let (status, said) = serve_must_refuse(&db, &dir.0);
    assert!(!status.success(), "{status}");
    assert!(said.contains("ro.db: cannot open"), "{said}");
    assert!(said.contains("Read-only file system"), "{said}");
    let (status, said) = serve_must_refuse(&mnt.0.join("new.db"), &dir.0);
    assert!(!status.success(), "{status}");
    assert!(said.contains("new.db: cannot open"), "{said}");
    drop(mnt);
}

#[test]
fn a_database_locked_by_another_process_is_refused_at_start() {
    let dir = TempDir::new("locked");
    // A signup-guard store (WAL) with another process in a write transaction.
    let db = dir.0.join("locked.db");
    create_store(&db);
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let (status, said) = serve_must_refuse(&db, &dir.0);
    assert!(!status.success(), "{status}");
    assert!(said.contains("locked by another process"), "{said}");
    holder.execute_batch("ROLLBACK").unwrap();
    // A plain SQLite file in rollback-journal mode under an EXCLUSIVE lock: even reading waits.
    let plain = dir.0.join("plain.db");
    let holder = rusqlite::Connection::open(&plain).unwrap();
    holder
        .execute_batch("CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);")
        .unwrap();
    let (status, said) = serve_must_refuse(&plain, &dir.0);
    assert!(!status.success(), "{status}");
    assert!(said.contains("locked by another process"), "{said}");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_at_start_and_left_alone() {
    let dir = TempDir::new("notsqlite");
    let db = dir.0.join("contacts.csv");
    let text = "email,name\njane@example.org,Jane\n".repeat(200);
    std::fs::write(&db, &text).unwrap();
    let (status, said) = serve_must_refuse(&db, &dir.0);
    assert!(!status.success(), "{status}");
    assert!(said.contains("is not a SQLite database"), "{said}");
    assert_eq!(
        std::fs::read_to_string(&db).unwrap(),
        text,
        "the file was changed"
    );
}

//! The writer against real SQLite files: a disk that fills in the middle of group commits, and
//! idempotency answers expiring by the injected clock.

use super::Sqlite;
use crate::clock::{parse_rfc3339, Clock};
use crate::store::{
    Answer, ChainCheck, Keys, Store, Submit, WriteError, WriterHandle, WriterOptions,
};
use std::time::Duration;

/// The instant the writer tests run at: any fixed instant works, since nothing reads the
/// machine's clock.
fn test_clock() -> Clock {
    Clock::fixed(parse_rfc3339("2026-11-23T10:00:00Z").unwrap())
}

/// A fresh, empty directory under the system temp dir (each test removes it at its end).
pub(super) fn fresh_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A runtime to await the writer's answers on.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

/// The writer's options in these tests: `clock`, answers kept for `idempotency_ttl`.
fn options(idempotency_ttl: Duration, clock: &Clock) -> WriterOptions {
    WriterOptions {
        idempotency_ttl,
        confirm_within: Duration::from_secs(7 * 86_400),
        clock: clock.clone(),
        pause_after_commit: None,
    }
}

/// Starts the writer on `store` with the test secret.
fn start(
    store: Sqlite,
    idempotency_ttl: Duration,
    clock: &Clock,
) -> (WriterHandle, std::thread::JoinHandle<()>) {
    start_with(store, options(idempotency_ttl, clock))
}

/// Starts the writer on `store` with the test secret and `options`.
fn start_with(
    store: Sqlite,
    options: WriterOptions,
) -> (WriterHandle, std::thread::JoinHandle<()>) {
    store
        .start_writer(Keys::new(b"writer test".to_vec()), options)
        .unwrap()
}

/// Stops the writer (it commits what it holds) and checks that the log at `db` holds `events`
/// events and verifies.
fn stop_and_verify(
    writer: WriterHandle,
    thread: std::thread::JoinHandle<()>,
    db: &std::path::Path,
    events: u64,
) {
    drop(writer);
    thread.join().unwrap();
    let check = Sqlite::open_read(db).unwrap().verify_chain().unwrap();
    assert!(
        matches!(check, ChainCheck::Intact { events: n, .. } if n == events),
        "{check:?}"
    );
}

fn job(n: usize, key: Option<String>, clock: &Clock) -> Submit {
    let mut s = Submit::sample(n, clock.now());
    s.idempotency = key.map(|k| (k, format!("fingerprint-{n}")));
    s
}

/// `SQLITE_FULL` in the middle of group commits (the database may not grow past a few
/// pages): each request hears exactly whether it was stored, the chain stays whole, and the
/// writer keeps serving later batches.
#[test]
fn sqlite_full_mid_batch_fails_only_what_was_not_stored() {
    let dir = fresh_dir("sg-writer-full");
    let db = dir.join("full.db");
    let store = Sqlite::open(&db).unwrap();
    let pages: i64 = store
        .conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    let limit: i64 = store
        .conn
        .query_row(&format!("PRAGMA max_page_count = {}", pages + 6), [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(limit, pages + 6);
    let clock = test_clock();
    let (writer, thread) = start(store, Duration::from_secs(86_400), &clock);
    let rt = runtime();
    let key = |n: usize| (n % 2 == 0).then(|| format!("key-{n}"));
    // One job per batch until the database is full...
    let mut results = Vec::new();
    loop {
        let n = results.len();
        assert!(n < 5000, "the database never filled");
        let r = rt.block_on(writer.submit(job(n, key(n), &clock)));
        let failed = r.is_err();
        results.push(r);
        if failed {
            break;
        }
    }
    let sequential = results.len() - 1;
    assert!(sequential > 1, "nothing fitted");
    // ...then many at once: group commits that fail part-way through. SQLite answers
    // SQLITE_FULL on a one-row INSERT by rolling back the whole transaction, so the jobs
    // applied before the failing one must hear 503 too.
    let first = results.len();
    results.extend(flood(&rt, &writer, first..first + 300, &clock, key));
    let stored = results.iter().filter(|r| r.is_ok()).count();
    assert!(stored >= sequential);
    let check = Sqlite::open_read(&db).unwrap();
    for (n, r) in results.iter().enumerate() {
        let present: i64 = check
            .conn
            .query_row(
                "SELECT count(*) FROM contacts WHERE email_key = ?1",
                [format!("p{n}@example.org")],
                |r| r.get(0),
            )
            .unwrap();
        match r {
            Ok(a) => assert_eq!((a.status, present), (201, 1), "job {n}"),
            Err(e) => {
                assert!(matches!(e, WriteError::Unavailable(_)), "job {n}: {e:?}");
                assert_eq!(present, 0, "job {n} failed but was stored");
            }
        }
    }
    assert_eq!(check.stats().unwrap().events, stored as u64);
    assert_eq!(
        check.verify_chain().unwrap(),
        ChainCheck::Intact {
            events: stored as u64,
            head: check.chain_head().unwrap().hash
        }
    );
    // Not poisoned: a later batch runs (a retried key replays its stored answer).
    let n = results
        .iter()
        .enumerate()
        .position(|(n, r)| r.is_ok() && key(n).is_some())
        .unwrap();
    let replay = rt.block_on(writer.submit(job(n, key(n), &clock))).unwrap();
    assert!(replay.replayed && replay.status == 201);
    drop(writer);
    thread.join().unwrap();
    let integrity: String = check
        .conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    drop(check);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A job that fails after it has written rows (here a trigger refuses its consent event,
/// after its contact row went in) fails alone, in the middle of batches of others: none of its
/// rows is stored, every other job of its batch is stored and answered 201, and the chain
/// stays whole. The writer applies batches without a savepoint per job, so this is the path
/// that rolls the batch back and applies it again with savepoints.
#[test]
fn a_job_failing_after_its_writes_fails_alone() {
    let dir = fresh_dir("sg-writer-redo");
    let db = dir.join("redo.db");
    let store = Sqlite::open(&db).unwrap();
    store
        .conn
        .execute_batch(
            "CREATE TRIGGER refuse_p7 BEFORE INSERT ON consent_events
             WHEN NEW.contact_key = (SELECT contact_key FROM contacts
                                     WHERE email_key = 'p7@example.org')
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
        )
        .unwrap();
    let clock = test_clock();
    let (writer, thread) = start(store, Duration::from_secs(60), &clock);
    let rt = runtime();
    let answers = flood(&rt, &writer, 0..40, &clock, |n| Some(format!("key-{n}")));
    drop(writer);
    thread.join().unwrap();
    let check = Sqlite::open_read(&db).unwrap();
    for (n, a) in answers.iter().enumerate() {
        let present: i64 = check
            .conn
            .query_row(
                "SELECT count(*) FROM contacts WHERE email_key = ?1",
                [format!("p{n}@example.org")],
                |r| r.get(0),
            )
            .unwrap();
        if n == 7 {
            assert!(
                matches!(a, Err(WriteError::Internal(why)) if why.contains("refused by the test")),
                "{a:?}"
            );
            assert_eq!(present, 0, "the failed job's contact row was kept");
        } else {
            assert_eq!(
                (a.as_ref().map(|a| a.status).ok(), present),
                (Some(201), 1),
                "job {n}"
            );
        }
    }
    let remembered: i64 = check
        .conn
        .query_row("SELECT count(*) FROM idempotency", [], |r| r.get(0))
        .unwrap();
    assert_eq!(remembered, 39);
    assert_eq!(
        check.verify_chain().unwrap(),
        ChainCheck::Intact {
            events: 39,
            head: check.chain_head().unwrap().hash
        }
    );
    drop(check);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An `Idempotency-Key` answer is replayed while it is younger than the TTL and forgotten
/// after, judged by the injected clock alone (so the test means the same on any date).
#[test]
fn idempotency_answers_expire_by_the_injected_clock() {
    let dir = fresh_dir("sg-writer-ttl");
    let db = dir.join("ttl.db");
    let clock = test_clock();
    let (writer, thread) = start(
        Sqlite::open(&db).unwrap(),
        Duration::from_secs(24 * 3600),
        &clock,
    );
    let rt = runtime();
    let key = || Some("retry-me".to_owned());
    let first = rt.block_on(writer.submit(job(1, key(), &clock))).unwrap();
    assert_eq!((first.status, first.replayed), (201, false));
    clock.advance(Duration::from_secs(23 * 3600));
    let replay = rt.block_on(writer.submit(job(1, key(), &clock))).unwrap();
    assert_eq!((replay.status, replay.replayed), (201, true));
    assert_eq!(replay.body, first.body);
    clock.advance(Duration::from_secs(2 * 3600));
    let later = rt.block_on(writer.submit(job(1, key(), &clock))).unwrap();
    assert_eq!(
        (later.status, later.replayed),
        (200, false),
        "a new request after the TTL"
    );
    drop(writer);
    thread.join().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Erasure through the public API beside a running writer: the person leaves the export, a
/// withdrawal is appended, the chain still verifies, and stats count the blanked row.
#[test]
fn erase_leaves_the_export_and_keeps_the_chain() {
    let dir = fresh_dir("sg-store-erase");
    let db = dir.join("erase.db");
    let clock = test_clock();
    let (writer, thread) = start(Sqlite::open(&db).unwrap(), Duration::from_secs(60), &clock);
    let rt = runtime();
    for n in 0..3 {
        let a = rt.block_on(writer.submit(job(n, None, &clock))).unwrap();
        assert_eq!(a.status, 201);
    }
    let mut store = Store::open(&db).unwrap();
    let target = crate::store::EraseTarget::email(" P1@example.org ");
    let erased = store.erase(&target, &clock.now()).unwrap();
    assert_eq!((erased.contacts, erased.events), (1, 1));
    drop(writer);
    thread.join().unwrap();
    let read = Store::open_read(&db).unwrap();
    let mut emails = Vec::new();
    read.export(|row| {
        emails.push(row.email.unwrap_or_default());
        Ok::<(), crate::store::StoreError>(())
    })
    .unwrap();
    assert_eq!(emails, ["p0@example.org", "p2@example.org"]);
    let stats = read.stats().unwrap();
    assert_eq!((stats.contacts, stats.erased, stats.events), (3, 1, 4));
    assert!(matches!(
        read.verify_chain().unwrap(),
        ChainCheck::Intact { events: 4, .. }
    ));
    assert_eq!(read.chain_head().unwrap().seq, 4);
    drop((store, read));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Submits jobs `range` all at once (so the writer commits them in large batches), job `n` with
/// the `Idempotency-Key` `key(n)`, and returns their answers in order.
fn flood(
    rt: &tokio::runtime::Runtime,
    writer: &WriterHandle,
    range: std::ops::Range<usize>,
    clock: &Clock,
    key: fn(usize) -> Option<String>,
) -> Vec<Result<Answer, WriteError>> {
    rt.block_on(async {
        let tasks: Vec<_> = range
            .map(|n| {
                let w = writer.clone();
                let job = job(n, key(n), clock);
                tokio::spawn(async move { w.submit(job).await })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    })
}

/// A failing fsync of the WAL: the batch it should have made durable hears 503 although its
/// commit went through, so does everything after, the writer stops (the handle reports it) and
/// nothing is ever answered 201 without an fsync behind it.
#[test]
fn a_failed_wal_fsync_answers_503_and_stops_the_writer() {
    let dir = fresh_dir("sg-writer-fsync");
    let db = dir.join("fsync.db");
    let mut store = Sqlite::open(&db).unwrap();
    store.faults.fail_wal_sync_after = Some(2);
    let clock = test_clock();
    let (writer, thread) = start(store, Duration::from_secs(60), &clock);
    let rt = runtime();
    for n in 0..2 {
        let a = rt.block_on(writer.submit(job(n, None, &clock))).unwrap();
        assert_eq!(a.status, 201);
    }
    // Committed (so visible below) but never synced: 503, not 201.
    let third = rt.block_on(writer.submit(job(2, None, &clock)));
    assert!(
        matches!(&third, Err(WriteError::Unavailable(why)) if why.contains("durable")),
        "{third:?}"
    );
    let later = flood(&rt, &writer, 3..40, &clock, |_| None);
    assert!(later
        .iter()
        .all(|r| matches!(r, Err(WriteError::Unavailable(_)))));
    let stopped = std::time::Instant::now();
    while writer.is_alive() {
        assert!(stopped.elapsed() < Duration::from_secs(10), "still alive");
        std::thread::sleep(Duration::from_millis(10));
    }
    drop(writer);
    thread.join().unwrap();
    // The WAL was left for recovery (no checkpoint copied the unproven frames); reading it
    // back finds the chain whole.
    let check = Sqlite::open_read(&db).unwrap();
    assert!(matches!(
        check.verify_chain().unwrap(),
        ChainCheck::Intact { .. }
    ));
    let stored: i64 = check
        .conn
        .query_row(
            "SELECT count(*) FROM contacts WHERE email_key = 'p2@example.org'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        stored, 1,
        "the third batch was committed before its fsync failed"
    );
    drop(check);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A WAL file swapped behind SQLite (a copy renamed over its path) is never trusted: the
/// writer's frames go to the file SQLite holds open, which the path no longer names, so the
/// next batch hears 503 instead of 201, and so does every later one.
#[test]
fn a_wal_replaced_behind_sqlite_answers_503() {
    let dir = fresh_dir("sg-writer-walswap");
    let db = dir.join("swap.db");
    let clock = test_clock();
    let (writer, thread) = start(Sqlite::open(&db).unwrap(), Duration::from_secs(60), &clock);
    let rt = runtime();
    let first = rt.block_on(writer.submit(job(0, None, &clock))).unwrap();
    assert_eq!(first.status, 201);
    let wal = dir.join("swap.db-wal");
    let copy = dir.join("swap.db-wal.copy");
    std::fs::copy(&wal, &copy).unwrap();
    std::fs::rename(&copy, &wal).unwrap();
    let second = rt.block_on(writer.submit(job(1, None, &clock)));
    assert!(
        matches!(&second, Err(WriteError::Unavailable(why)) if why.contains("replaced")),
        "{second:?}"
    );
    // The store is poisoned for good: the next job is refused too, and the writer stops.
    let third = rt.block_on(writer.submit(job(2, None, &clock)));
    assert!(
        matches!(&third, Err(WriteError::Unavailable(_))),
        "{third:?}"
    );
    let stopped = std::time::Instant::now();
    while writer.is_alive() {
        assert!(stopped.elapsed() < Duration::from_secs(10), "still alive");
        std::thread::sleep(Duration::from_millis(10));
    }
    drop(writer);
    thread.join().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Under a long burst the writer checkpoints itself whenever the WAL passes its cap, so the WAL
/// restarts and its file stays near the cap instead of growing with the burst.
#[test]
fn the_wal_stays_bounded_under_a_long_burst() {
    let high_water = |cap: Option<i32>, tag: &str| {
        let dir = fresh_dir(tag);
        let db = dir.join("burst.db");
        let mut store = Sqlite::open(&db).unwrap();
        store.faults.wal_cap_pages = cap;
        let clock = test_clock();
        let (writer, thread) = start(store, Duration::from_secs(60), &clock);
        let rt = runtime();
        let answers = flood(&rt, &writer, 0..6000, &clock, |_| None);
        assert!(answers
            .iter()
            .all(|a| a.as_ref().is_ok_and(|a| a.status == 201)));
        // The file never shrinks below journal_size_limit while the server runs: its size
        // is the high-water mark.
        let wal = std::fs::metadata(dir.join("burst.db-wal")).unwrap().len();
        stop_and_verify(writer, thread, &db, 6000);
        let _ = std::fs::remove_dir_all(&dir);
        wal
    };
    let capped = high_water(Some(64), "sg-writer-walcap");
    let uncapped = high_water(Some(i32::MAX), "sg-writer-walfree");
    assert!(
        capped < 4 << 20 && capped * 2 < uncapped,
        "WAL high-water mark {capped} bytes with a cap of 64 frames, {uncapped} without"
    );
}

/// A job that arrives while the writer fsyncs an earlier batch waits in the queue, and is
/// committed, synced and answered right after, with nothing else arriving to move the writer.
/// Answers keep their order.
#[test]
fn a_job_arriving_during_an_fsync_is_stored_right_after_it() {
    let dir = fresh_dir("sg-writer-during-sync");
    let db = dir.join("during.db");
    let clock = test_clock();
    let options = WriterOptions {
        // The writer stays busy this long after each fsync, before it answers.
        pause_after_commit: Some(Duration::from_millis(300)),
        ..options(Duration::from_secs(60), &clock)
    };
    let (writer, thread) = start_with(Sqlite::open(&db).unwrap(), options);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_time()
        .build()
        .unwrap();
    let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let answers = rt.block_on(async {
        let submit = |n: usize| {
            let (w, order, job) = (writer.clone(), order.clone(), job(n, None, &clock));
            tokio::spawn(async move {
                let a = w.submit(job).await;
                order.lock().unwrap().push(n);
                a
            })
        };
        let first = submit(0);
        // The first job is committed and the writer busy with its fsync when the second arrives.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let second = submit(1);
        let both = async { (first.await.unwrap(), second.await.unwrap()) };
        tokio::time::timeout(Duration::from_secs(20), both).await
    });
    let (first, second) = answers.expect("the second job was never answered");
    assert_eq!(first.unwrap().status, 201);
    assert_eq!(second.unwrap().status, 201);
    assert_eq!(*order.lock().unwrap(), vec![0, 1]);
    stop_and_verify(writer, thread, &db, 2);
    let _ = std::fs::remove_dir_all(&dir);
}

//! The writer's durability against real SQLite files: a failed fsync and a WAL replaced behind
//! SQLite poison the store, the WAL stays bounded under a long burst, and a job arriving during
//! an fsync is stored right after it, and one arriving while a batch is applied joins it.

use super::tests::{
    flood, fresh_dir, job, options, runtime, start, start_with, stop_and_verify, test_clock,
};
use super::Sqlite;
use crate::store::{ChainCheck, WriteError, WriterHandle, WriterOptions};
use std::time::Duration;

/// Waits (at most 10 s) for a poisoned writer to stop on its own, then joins it.
fn stopped(writer: WriterHandle, thread: std::thread::JoinHandle<()>) {
    let since = std::time::Instant::now();
    while writer.is_alive() {
        assert!(since.elapsed() < Duration::from_secs(10), "still alive");
        std::thread::sleep(Duration::from_millis(10));
    }
    drop(writer);
    thread.join().unwrap();
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
    stopped(writer, thread);
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
    stopped(writer, thread);
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

/// A job that arrives while the writer is still applying a batch joins that batch: it is
/// committed and synced with the jobs before it, so the first job's answer waits for the
/// second one's application too (the pause after each job is a test hook).
#[test]
fn a_job_arriving_while_a_batch_is_applied_joins_it() {
    let dir = fresh_dir("sg-writer-joins");
    let db = dir.join("joins.db");
    let clock = test_clock();
    let pause = Duration::from_millis(1000);
    let mut store = Sqlite::open(&db).unwrap();
    store.faults.pause_after_apply = Some(pause);
    let (writer, thread) = start(store, Duration::from_secs(60), &clock);
    let rt = runtime();
    let since = std::time::Instant::now();
    let answers = rt.block_on(async {
        let submit = |n: usize| {
            let (w, job) = (writer.clone(), job(n, None, &clock));
            tokio::spawn(async move { (w.submit(job).await, since.elapsed()) })
        };
        let first = submit(0);
        // The writer has applied the first job and is in its pause when the second arrives.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let second = submit(1);
        let both = async { (first.await.unwrap(), second.await.unwrap()) };
        tokio::time::timeout(Duration::from_secs(20), both).await
    });
    let ((first, first_at), (second, _)) = answers.expect("a job was never answered");
    assert_eq!(first.unwrap().status, 201);
    assert_eq!(second.unwrap().status, 201);
    // Alone in its batch, the first job would have been answered after one pause.
    assert!(
        first_at >= 2 * pause,
        "the first job was answered after {first_at:?}, before the second joined its batch"
    );
    stop_and_verify(writer, thread, &db, 2);
    let _ = std::fs::remove_dir_all(&dir);
}

//! The parallel, ordered pipeline: one reader, N checkers, one writer.
//!
//! ```text
//! reader ──chunks of rows──► N workers (row rules, in parallel) ──► writer (in order: dedup,
//!    ▲                                                                 status, CSV out, tally)
//!    └───────────────── emptied chunks come back (at most IN_FLIGHT) ──────────┘
//! ```
//! The reader may only fill a chunk it got back from the writer, so at most `IN_FLIGHT` chunks
//! exist at any time: memory is bounded by the chunk size, not the file size, and the writer's
//! reorder buffer can never grow past that. Records are reused across chunks (no allocation per
//! row once warm). Deduplication runs in the writer, in file order, so "first occurrence" means
//! the first row in the file. Any side stopping (an error) closes its channels and the others
//! stop in turn.

use super::cell;
use super::dedup::Dedup;
use super::report::Tally;
use super::row::{self, Outcome, Rules};
use super::status::Status;
use super::AuditError;
use csv::ByteRecord;
use indicatif::ProgressBar;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

/// A run of consecutive rows travelling through the pipeline.
struct Chunk {
    seq: u64,
    /// Spreadsheet row number of `records[0]`.
    first_row: u64,
    records: Vec<ByteRecord>,
    len: usize,
    outcomes: Result<Vec<Outcome>, AuditError>,
}

/// How the pipeline is sized.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sizing {
    /// Checker threads.
    pub workers: usize,
    /// Rows per chunk.
    pub chunk_rows: usize,
}

/// Everything the writer needs besides the rows.
pub(super) struct Sink<W: Write> {
    /// The cleaned CSV, if asked for.
    pub out: Option<csv::Writer<W>>,
    /// Cells in the header (shorter rows are padded to it).
    pub header_len: usize,
}

/// Reads every record from `reader`, checks them on `sizing.workers` threads and writes them in
/// order; returns the tally and the dedup state.
pub(super) fn run<R: Read, W: Write + Send>(
    reader: &mut csv::Reader<R>,
    sink: Sink<W>,
    rules: &Rules<'_>,
    sizing: Sizing,
    progress: Option<&ProgressBar>,
) -> Result<(Tally, Dedup), AuditError> {
    let workers = sizing.workers.max(1);
    let chunk_rows = sizing.chunk_rows.max(1);
    let in_flight = workers * 2 + 2;
    let (work_tx, work_rx) = sync_channel::<Chunk>(workers);
    let (done_tx, done_rx) = sync_channel::<Chunk>(in_flight);
    let (free_tx, free_rx) = sync_channel::<Vec<ByteRecord>>(in_flight);
    for _ in 0..in_flight {
        free_tx
            .send(Vec::new())
            .map_err(|_| AuditError::Internal("pipeline setup".into()))?;
    }
    let work_rx = Arc::new(Mutex::new(work_rx));

    std::thread::scope(|scope| {
        let writer = scope.spawn(move || write_in_order(done_rx, free_tx, sink));
        for _ in 0..workers {
            let rx = Arc::clone(&work_rx);
            let tx = done_tx.clone();
            scope.spawn(move || {
                let mut memo = cell::Memo::default();
                loop {
                    let next = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    let Ok(mut chunk) = next else { break };
                    chunk.outcomes = check_chunk(&chunk, rules, &mut memo);
                    if tx.send(chunk).is_err() {
                        break;
                    }
                }
            });
        }
        // The workers own the receiving side now: when they all stop, sending fails.
        drop(work_rx);
        drop(done_tx);
        let read = read_chunks(reader, work_tx, free_rx, chunk_rows, progress);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(AuditError::Internal("the writer stopped".into())));
        // An error from the writer is earlier in the file than anything the reader saw.
        let (tally, dedup) = written?;
        read?;
        Ok((tally, dedup))
    })
}

fn read_chunks<R: Read>(
    reader: &mut csv::Reader<R>,
    work: std::sync::mpsc::SyncSender<Chunk>,
    free: Receiver<Vec<ByteRecord>>,
    chunk_rows: usize,
    progress: Option<&ProgressBar>,
) -> Result<(), AuditError> {
    let mut seq = 0;
    let mut next_row = 2; // the header is row 1
    loop {
        let Ok(mut records) = free.recv() else {
            return Ok(()); // the writer stopped; it reports why
        };
        let mut len = 0;
        let mut eof = false;
        while len < chunk_rows {
            if len == records.len() {
                records.push(ByteRecord::new());
            }
            match reader.read_byte_record(&mut records[len]) {
                Ok(true) => len += 1,
                Ok(false) => {
                    eof = true;
                    break;
                }
                Err(e) => return Err(AuditError::Csv(e.to_string())),
            }
        }
        if len > 0 {
            let chunk = Chunk {
                seq,
                first_row: next_row,
                records,
                len,
                outcomes: Ok(Vec::new()),
            };
            if work.send(chunk).is_err() {
                return Ok(());
            }
            seq += 1;
            next_row += len as u64;
        }
        if let Some(bar) = progress {
            bar.set_position(reader.position().byte());
        }
        if eof {
            return Ok(());
        }
    }
}

fn check_chunk(
    chunk: &Chunk,
    rules: &Rules<'_>,
    memo: &mut cell::Memo,
) -> Result<Vec<Outcome>, AuditError> {
    let rows = chunk.records.get(..chunk.len).unwrap_or_default();
    catch_unwind(AssertUnwindSafe(|| {
        rows.iter().map(|r| row::check(r, rules, memo)).collect()
    }))
    .unwrap_or_else(|_| {
        Err(AuditError::Internal(format!(
            "a check failed unexpectedly in rows {}–{}",
            chunk.first_row,
            chunk.first_row + chunk.len as u64 - 1
        )))
    })
}

/// The first six are the original columns; later ones are only ever appended.
const SG_COLUMNS: [&str; 9] = [
    "sg_status",
    "sg_email",
    "sg_phone_e164",
    "sg_duplicate_of",
    "sg_issues",
    "sg_suggestion",
    "sg_country",
    "sg_consent",
    "sg_review",
];

/// The names of the added columns, in order.
pub fn sg_columns() -> &'static [&'static str] {
    &SG_COLUMNS
}

fn write_in_order<W: Write>(
    done: Receiver<Chunk>,
    free: std::sync::mpsc::SyncSender<Vec<ByteRecord>>,
    mut sink: Sink<W>,
) -> Result<(Tally, Dedup), AuditError> {
    let mut pending = BTreeMap::new();
    let mut next = 0u64;
    let mut tally = Tally::default();
    let mut dedup = Dedup::default();
    let mut line = ByteRecord::new();
    for chunk in done {
        pending.insert(chunk.seq, chunk);
        while let Some(chunk) = pending.remove(&next) {
            let outcomes = chunk.outcomes?;
            for (i, (record, outcome)) in chunk.records.iter().zip(&outcomes).enumerate() {
                let row = chunk.first_row + i as u64;
                // Every reachable row takes part, whatever its status: the first occurrence is
                // kept even when it is suppressed or without consent, so a later repeat is not
                // mistaken for a fresh contact.
                let duplicate_of = outcome
                    .reachable
                    .then(|| dedup.first_of(row, outcome.email_key, outcome.phone_key))
                    .flatten();
                let status = Status::of(outcome, duplicate_of.is_some());
                tally.add(status, outcome, duplicate_of.is_some());
                let record = outcome.replaced.as_ref().unwrap_or(record);
                tally.undecodable_rows += u64::from(outcome.replaced.is_some());
                tally.ragged_rows += u64::from(record.len() > sink.header_len);
                if let Some(out) = sink.out.as_mut() {
                    build_line(
                        &mut line,
                        record,
                        sink.header_len,
                        status,
                        outcome,
                        duplicate_of,
                    );
                    out.write_byte_record(&line).map_err(AuditError::write)?;
                }
            }
            // The reader refills these records; if it has stopped, they are simply dropped.
            let _ = free.send(chunk.records);
            next += 1;
        }
    }
    if !pending.is_empty() {
        return Err(AuditError::Internal(
            "rows went missing in the pipeline".into(),
        ));
    }
    if let Some(mut out) = sink.out {
        out.flush().map_err(AuditError::write)?;
    }
    Ok((tally, dedup))
}

fn build_line(
    line: &mut ByteRecord,
    record: &ByteRecord,
    header_len: usize,
    status: Status,
    outcome: &Outcome,
    duplicate_of: Option<u64>,
) {
    line.clear();
    for field in record.iter().take(header_len) {
        line.push_field(field);
    }
    for _ in record.len()..header_len {
        line.push_field(b"");
    }
    line.push_field(status.as_str().as_bytes());
    line.push_field(outcome.email.as_deref().unwrap_or("").as_bytes());
    line.push_field(outcome.phone.as_deref().unwrap_or("").as_bytes());
    match duplicate_of {
        Some(first) => line.push_field(first.to_string().as_bytes()),
        None => line.push_field(b""),
    }
    if outcome.issues.is_empty() {
        line.push_field(b"");
    } else {
        line.push_field(row::issue_list(&outcome.issues).as_bytes());
    }
    line.push_field(outcome.suggestion.as_deref().unwrap_or("").as_bytes());
    line.push_field(
        outcome
            .country
            .as_ref()
            .map_or("", |c| c.as_str())
            .as_bytes(),
    );
    line.push_field(outcome.consent.map_or("", |c| c.as_str()).as_bytes());
    line.push_field(if outcome.review { b"yes" } else { b"" });
    for field in record.iter().skip(header_len) {
        line.push_field(field);
    }
}

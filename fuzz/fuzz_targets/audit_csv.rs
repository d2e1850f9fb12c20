//! The list audit on a small CSV document in memory: `signup_guard::audit::audit`, the entry
//! point behind `signup-guard audit` (there is no public per-row function; `audit::row` is
//! private). The first byte sets options: bit 0 `--lossy`, bit 1 the acme-news policy instead
//! of the default, bit 2 default country ID, bit 5 a second run, bits 3-4 its chunk size; the
//! rest is the file. Invariants: no internal error (a check that panicked or lost rows); the
//! cleaned CSV has the header plus one line per counted row, each with a known `sg_status`, and
//! the counts add up; and the result is the same with one checker thread and big chunks as with
//! two threads and tiny chunks (the pipeline keeps file order).
#![no_main]

use libfuzzer_sys::fuzz_target;
use signup_guard::audit::{audit, sg_columns, AuditError, Options, Report};
use signup_guard::{Country, Policy};

const ACME: &str = include_str!("../../tests/vectors/policies/acme-news.json");

fn run(csv: &[u8], options: &Options) -> Result<(Report, Vec<u8>), AuditError> {
    let mut out = Vec::new();
    let report = audit(csv, Some(&mut out), options)?;
    Ok((report, out))
}

fn check_output(report: &Report, out: &[u8]) {
    let delimiter = report.delimiter.bytes().next().expect("a delimiter");
    let body = out.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(out);
    assert_eq!(
        report.bom,
        body.len() != out.len(),
        "BOM written back iff read"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(body);
    let records: Vec<csv::ByteRecord> = reader
        .byte_records()
        .collect::<Result<_, _>>()
        .expect("the cleaned CSV parses");
    let (header, rows) = records.split_first().expect("the cleaned CSV has a header");
    let added = sg_columns();
    let width = header.len() - added.len();
    let tail: Vec<&[u8]> = header.iter().skip(width).collect();
    let names: Vec<&[u8]> = added.iter().map(|c| c.as_bytes()).collect();
    assert_eq!(tail, names, "the header ends with the sg_ columns");
    assert_eq!(
        rows.len() as u64,
        report.rows,
        "one cleaned line per counted row"
    );
    let mut counts = [0u64; 6];
    for row in rows {
        assert!(
            row.len() >= header.len(),
            "a cleaned row lost cells: {row:?}"
        );
        let status = row.get(width).expect("sg_status");
        let i = [
            "ok",
            "fixed",
            "invalid",
            "duplicate",
            "suppressed",
            "no_consent",
        ]
        .iter()
        .position(|s| s.as_bytes() == status)
        .unwrap_or_else(|| panic!("unknown sg_status {status:?}"));
        counts[i] += 1;
    }
    let c = &report.counts;
    assert_eq!(
        counts,
        [
            c.ok,
            c.fixed,
            c.invalid,
            c.duplicate,
            c.suppressed,
            c.no_consent
        ],
        "statuses disagree with counts"
    );
    assert_eq!(
        counts.iter().sum::<u64>(),
        report.rows,
        "counts do not add up"
    );
}

fn without_timing(mut report: Report) -> Report {
    report.seconds = 0.0;
    report.rows_per_second = 0.0;
    report
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, csv)) = data.split_first() else {
        return;
    };
    let policy = if control & 2 != 0 {
        Policy::from_json(ACME).expect("the acme-news test policy loads")
    } else {
        Policy::default()
    };
    let one = Options {
        lossy: control & 1 != 0,
        policy,
        default_country: (control & 4 != 0)
            .then(|| Country::from_code("ID"))
            .flatten(),
        threads: 1,
        chunk_rows: 4096,
        ..Options::default()
    };
    let first = run(csv, &one);
    let (report, out) = match first {
        Ok(done) => done,
        Err(AuditError::Internal(e)) => panic!("internal audit error: {e}"),
        Err(_) => return,
    };
    check_output(&report, &out);

    if control & 0x20 == 0 {
        return; // the second run halves the speed (thread hand-offs): only on half the inputs
    }
    let two = Options {
        threads: 2,
        chunk_rows: 1 + usize::from((control >> 3) & 3),
        ..one
    };
    let (report2, out2) = match run(csv, &two) {
        Ok(done) => done,
        Err(e) => panic!("two threads fail where one succeeded: {e}"),
    };
    assert_eq!(out2, out, "the cleaned CSV depends on threads/chunk size");
    assert_eq!(
        without_timing(report2),
        without_timing(report),
        "the report depends on threads"
    );
});

//! List audit: clean an existing contact list (a CRM export) with the same rules as the forms.
//!
//! The CSV is streamed (any delimiter, UTF-8 with or without BOM), the email, phone, name,
//! country and consent columns are found by header (or given), every row is checked by the core's
//! field parsers on every core, and every input row is written back in order with nine added
//! columns: `sg_status` ([`Status`]: `ok`, `fixed`, `invalid`, `duplicate`, `suppressed`,
//! `no_consent`), `sg_email`, `sg_phone_e164`, `sg_duplicate_of` (the row kept), `sg_issues`,
//! `sg_suggestion`, `sg_country` (the ISO code, also for a country written as a name),
//! `sg_consent` (`yes`, `no`, `unknown`) and `sg_review` (`yes` when a reachable row has a cell
//! to look at). The status follows reachability: `invalid` only when neither the email nor the
//! phone is usable; faults elsewhere are listed and flag the row for review. Nothing is dropped.
//! Memory is bounded by the dedup keys (a 32-byte table slot per distinct email and phone), not
//! by the file size.
//!
//! ```
//! use signup_guard::audit::{audit, Options};
//! let csv = "Name,E-mail\nAni,ani@tokobudi.co.id\nBudi,budi-at-tokobudi.co.id\nAni,ANI@tokobudi.co.id\n";
//! let mut out = Vec::new();
//! let report = audit(csv.as_bytes(), Some(&mut out), &Options::default()).unwrap();
//! assert_eq!((report.counts.ok, report.counts.invalid, report.counts.duplicate), (1, 1, 1));
//! let out = String::from_utf8(out).unwrap();
//! assert!(out.lines().nth(2).unwrap().starts_with("Budi,budi-at-tokobudi.co.id,invalid,,,,email.missing_at,"));
//! assert!(out.ends_with(",duplicate,ANI@tokobudi.co.id,,2,,,,,\n"));
//! ```

mod cell;
pub mod columns;
pub mod consent;
pub mod country_names;
mod country_names_cldr;
mod custom_cols;
mod dedup;
mod header_names;
pub mod input;
mod pipeline;
pub mod report;
mod row;
mod status;
mod summary;
pub mod suppress;

pub use columns::Columns;
pub use pipeline::sg_columns;
pub use report::Report;
pub use status::Status;
pub use suppress::Suppression;

use crate::policy::Policy;
use crate::Country;
use indicatif::ProgressBar;
use std::fmt;
use std::io::{self, Read, Write};
use std::time::Instant;

/// How to audit.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The file's name, for the report.
    pub name: String,
    /// `--columns` spec (`email=E-mail,phone=Mobile`): overrides detection for the fields named.
    pub columns: Option<String>,
    /// The delimiter; sniffed from the header line when `None`.
    pub delimiter: Option<u8>,
    /// Phone region for rows without a (valid) country.
    pub default_country: Option<Country>,
    /// Phone types and name limits (and a default country).
    pub policy: Policy,
    /// Replace undecodable bytes with U+FFFD and continue, instead of stopping.
    pub lossy: bool,
    /// Checker threads; 0 means one per core.
    pub threads: usize,
    /// Rows per chunk; 0 means the default (2,048).
    pub chunk_rows: usize,
    /// A progress bar over the input's bytes (only set when stderr is a terminal).
    pub progress: Option<ProgressBar>,
    /// Contacts not to be contacted (`--suppress`); empty by default.
    pub suppress: Suppression,
}

/// Why an audit could not finish (exit status 2); a row with errors is not one of these.
#[derive(Debug)]
pub enum AuditError {
    /// Reading the input failed.
    Read(String),
    /// Writing the cleaned file failed.
    Write(String),
    /// The CSV could not be parsed.
    Csv(String),
    /// Bytes that are not UTF-8 (without `--lossy`).
    Undecodable {
        /// 1-based line of the file.
        line: u64,
        /// Which column and byte.
        detail: String,
    },
    /// The file is UTF-16 (a UTF-16 byte-order mark), which the audit does not read.
    Utf16,
    /// The header or `--columns` does not give an email or phone column.
    Columns(String),
    /// A bug: the pipeline lost rows or a check panicked.
    Internal(String),
}

impl AuditError {
    fn read(e: io::Error) -> Self {
        AuditError::Read(e.to_string())
    }
    fn write(e: impl fmt::Display) -> Self {
        AuditError::Write(e.to_string())
    }
}

impl fmt::Display for AuditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditError::Read(e) => write!(f, "cannot read the file: {e}"),
            AuditError::Write(e) => write!(f, "cannot write the cleaned file: {e}"),
            AuditError::Csv(e) => write!(f, "cannot parse the CSV: {e}"),
            AuditError::Undecodable { line, detail } => write!(
                f,
                "line {line}: {detail}; the file is not UTF-8 (perhaps saved as Windows-1252 or \
                 Latin-1). Save it as UTF-8, or pass --lossy to replace undecodable bytes with \
                 U+FFFD and mark those cells invalid"
            ),
            AuditError::Utf16 => f.write_str(
                "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8 \
                 (\"CSV UTF-8\" in spreadsheet programs)",
            ),
            AuditError::Columns(e) | AuditError::Internal(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for AuditError {}

/// Audits the CSV read from `input`, writing the cleaned CSV to `output` when given.
pub fn audit<R: Read, W: Write + Send>(
    input: R,
    output: Option<W>,
    options: &Options,
) -> Result<Report, AuditError> {
    let started = Instant::now();
    let (buffered, dialect) = input::sniff(input, options.delimiter)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(dialect.delimiter)
        .buffer_capacity(256 * 1024)
        .from_reader(buffered);
    let mut header = csv::ByteRecord::new();
    if !reader
        .read_byte_record(&mut header)
        .map_err(|e| AuditError::Csv(e.to_string()))?
    {
        return Err(AuditError::Columns(
            "the file is empty: no header line".into(),
        ));
    }
    let decoded = input::decode(&header, options.lossy, &[])?;
    let headers: Vec<String> = (0..header.len())
        .map(|col| {
            decoded
                .cell(col)
                .map_or_else(String::new, |(s, _)| s.to_owned())
        })
        .collect();
    let columns = find_columns(&headers, options.columns.as_deref())?;
    let custom = custom_cols::find(&headers, &options.policy, &columns);

    let out = output
        .map(|mut w| {
            if dialect.bom {
                w.write_all(b"\xEF\xBB\xBF").map_err(AuditError::write)?;
            }
            let mut out = csv::WriterBuilder::new()
                .flexible(true)
                .delimiter(dialect.delimiter)
                .terminator(if dialect.crlf {
                    csv::Terminator::CRLF
                } else {
                    csv::Terminator::Any(b'\n')
                })
                .buffer_capacity(256 * 1024)
                .from_writer(w);
            let mut head = csv::ByteRecord::new();
            for h in &headers {
                head.push_field(h.as_bytes());
            }
            for c in sg_columns() {
                head.push_field(c.as_bytes());
            }
            out.write_byte_record(&head).map_err(AuditError::write)?;
            Ok::<_, AuditError>(out)
        })
        .transpose()?;

    let rules = row::Rules {
        columns: &columns,
        policy: &options.policy,
        default_country: options.default_country,
        lossy: options.lossy,
        headers: &headers,
        suppress: &options.suppress,
        custom: &custom,
    };
    let workers = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let sizing = pipeline::Sizing {
        workers,
        chunk_rows: if options.chunk_rows == 0 {
            2048
        } else {
            options.chunk_rows
        },
    };
    let sink = pipeline::Sink {
        out,
        header_len: headers.len(),
    };
    let (tally, dedup) =
        pipeline::run(&mut reader, sink, &rules, sizing, options.progress.as_ref())?;
    if let Some(bar) = &options.progress {
        bar.finish_and_clear();
    }

    let mut report = Report {
        file: options.name.clone(),
        delimiter: char::from(dialect.delimiter).to_string(),
        bom: dialect.bom,
        columns: columns
            .used()
            .into_iter()
            .map(|(field, col)| report::ColumnUse {
                field,
                header: headers.get(col).cloned().unwrap_or_default(),
                column: col + 1,
            })
            .collect(),
        ..Report::default()
    };
    report.fill(tally, dedup.groups(), dedup.largest(report::TOP));
    report.suppression = report::SuppressionList {
        emails: options.suppress.emails(),
        phones: options.suppress.phones(),
        unreadable_lines: options.suppress.unreadable_lines(),
    };
    report.seconds = started.elapsed().as_secs_f64();
    report.rows_per_second = if report.seconds > 0.0 {
        report.rows as f64 / report.seconds
    } else {
        0.0
    };
    Ok(report)
}

fn find_columns(headers: &[String], spec: Option<&str>) -> Result<Columns, AuditError> {
    let mut columns = Columns::detect(headers);
    if let Some(spec) = spec {
        columns
            .apply_spec(spec, headers)
            .map_err(AuditError::Columns)?;
    }
    if columns.email.is_none() && columns.phone.is_none() {
        return Err(AuditError::Columns(format!(
            "no email or phone column found; the header has: {}. Name them with \
             --columns email=HEADER,phone=HEADER",
            headers.join(" | ")
        )));
    }
    Ok(columns)
}

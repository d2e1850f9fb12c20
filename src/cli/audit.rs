//! `signup-guard audit FILE.csv`: the command-line face of [`crate::audit`].
//!
//! Exit status, as for `check`: 0 when every row is `ok` or `fixed` and none is flagged for
//! review; 1 when some row is `invalid`, `duplicate`, `suppressed` or `no_consent`, or flagged
//! for review (the cleaned file and the report are written all the same, so a script can act on
//! them); 2 when the audit could not run (usage, unreadable or undecodable file or suppression
//! list, no email or phone column). The cleaned file is written next to its final name and
//! renamed when complete, so a failed run never leaves half a file or clobbers an old one.

use super::{load_policy, UsageError};
use crate::audit::{self, input, Options, Suppression};
use crate::Country;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Arguments of `audit`.
#[derive(Debug, Args)]
#[command(
    after_help = "Status (first that applies): invalid (no usable email and no usable phone), \
suppressed, no_consent, duplicate, fixed, ok; ok and fixed are safe to contact. Faults in other \
cells are listed in sg_issues and set sg_review=yes.\n\nExit status: 0 when every row is ok or \
fixed with nothing to review, 1 otherwise (the cleaned file and report are still written), 2 when \
the audit could not run."
)]
pub(super) struct AuditArgs {
    /// The CSV file (`-` reads standard input).
    pub file: PathBuf,
    /// Which column is which field, e.g. `email=E-mail,phone=Mobile,country=3` (header name or
    /// 1-based number; `phone=` skips a field); fields not named are still found by header.
    #[arg(long)]
    pub columns: Option<String>,
    /// Phone region (ISO 3166-1 alpha-2) for rows without a valid country.
    #[arg(long)]
    pub default_country: Option<String>,
    /// Write every row, in order, with the sg_ columns added (`-` for standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the summary as JSON (`-` for standard output).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Field delimiter (`,` `;` `|` `tab`…); sniffed from the header line by default.
    #[arg(long)]
    pub delimiter: Option<String>,
    /// Replace bytes that are not UTF-8 with U+FFFD and continue (those cells become invalid).
    #[arg(long)]
    pub lossy: bool,
    /// Policy file (phone types, name limits, default country).
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Suppression list: one email or phone per line (a bounce or unsubscribe export); matching
    /// rows get status `suppressed`. National numbers are read in --default-country.
    #[arg(long, value_name = "FILE")]
    pub suppress: Option<PathBuf>,
    /// Checker threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print no summary and no progress bar on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// A file written under a temporary name and renamed into place by [`Staged::commit`].
struct Staged {
    tmp: PathBuf,
    path: PathBuf,
}

impl Staged {
    fn create(path: &Path) -> Result<(Staged, File), UsageError> {
        let name = path
            .file_name()
            .map_or_else(|| "audit.csv".into(), |n| n.to_string_lossy().into_owned());
        let tmp = path.with_file_name(format!(".{name}.{}.partial", std::process::id()));
        let file = File::create(&tmp)
            .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?;
        let staged = Staged {
            tmp,
            path: path.to_owned(),
        };
        Ok((staged, file))
    }

    fn commit(self) -> Result<(), UsageError> {
        std::fs::rename(&self.tmp, &self.path)
            .map_err(|e| UsageError(format!("cannot write {}: {e}", self.path.display())))?;
        std::mem::forget(self);
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

fn progress_bar(len: Option<u64>) -> Option<ProgressBar> {
    let len = len.filter(|_| io::stderr().is_terminal())?;
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(
        "{bar:40.cyan/blue} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

/// Runs `audit`; `Ok(true)` when every row is ok or fixed with nothing to review.
pub(super) fn run(args: AuditArgs) -> Result<bool, UsageError> {
    let policy = load_policy(args.policy.as_deref())?;
    let default_country = args
        .default_country
        .as_deref()
        .map(|c| {
            Country::from_code(c.trim()).ok_or_else(|| {
                UsageError(format!(
                    "--default-country {c:?} is not an ISO 3166-1 alpha-2 code"
                ))
            })
        })
        .transpose()?;
    let suppress = match args.suppress.as_deref() {
        None => Suppression::default(),
        Some(path) => {
            let file = File::open(path)
                .map_err(|e| UsageError(format!("cannot open {}: {e}", path.display())))?;
            let region = default_country.or(policy.default_country);
            let list = Suppression::read(file, region)
                .map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
            if let (Some(line), false) = (list.first_unreadable_line(), args.quiet) {
                eprintln!(
                    "{}: {} line{} not a valid email address or phone number (first: line \
                     {line}); national numbers need --default-country",
                    path.display(),
                    list.unreadable_lines(),
                    if list.unreadable_lines() == 1 {
                        " is"
                    } else {
                        "s are"
                    },
                );
            }
            list
        }
    };
    let delimiter = args
        .delimiter
        .as_deref()
        .map(input::parse_delimiter)
        .transpose()
        .map_err(UsageError)?;

    let (input, len): (Box<dyn Read>, Option<u64>) = if is_stdio(&args.file) {
        (Box::new(io::stdin()), None)
    } else {
        let file = File::open(&args.file)
            .map_err(|e| UsageError(format!("cannot open {}: {e}", args.file.display())))?;
        let len = file.metadata().ok().map(|m| m.len());
        (Box::new(file), len)
    };
    let options = Options {
        name: if is_stdio(&args.file) {
            "standard input".into()
        } else {
            args.file.display().to_string()
        },
        columns: args.columns,
        delimiter,
        default_country,
        policy,
        lossy: args.lossy,
        threads: args.threads,
        chunk_rows: 0,
        progress: progress_bar(len.filter(|_| !args.quiet)),
        suppress,
    };
    let fail = |e: audit::AuditError| UsageError(format!("{}: {e}", args.file.display()));

    let report = match args.out.as_deref() {
        None => audit::audit(input, None::<io::Sink>, &options).map_err(fail)?,
        Some(p) if is_stdio(p) => {
            audit::audit(input, Some(io::stdout()), &options).map_err(fail)?
        }
        Some(p) => {
            let (staged, file) = Staged::create(p)?;
            let report = audit::audit(input, Some(file), &options).map_err(fail)?;
            staged.commit()?;
            report
        }
    };

    if let Some(path) = args.report.as_deref() {
        let json = serde_json::to_string_pretty(&report)
            .map_err(|e| UsageError(format!("cannot write the report: {e}")))?;
        if is_stdio(path) {
            println!("{json}");
        } else {
            let mut f = File::create(path)
                .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?;
            writeln!(f, "{json}")
                .map_err(|e| UsageError(format!("cannot write {}: {e}", path.display())))?;
        }
    }
    if !args.quiet {
        eprintln!("{report}");
    }
    Ok(report.all_clean())
}

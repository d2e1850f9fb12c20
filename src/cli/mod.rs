//! The command-line face: `check`, `verify`, `audit`, and with the server `serve`, `export`,
//! `consent-log`, `erase`, `links`, `access`, `purge`, `backup`, `restore`, `migrate`.
//!
//! Exit status: 0 when every value is valid, 1 when some are not, 2 on usage errors.

mod audit;
#[cfg(feature = "server")]
mod people_cmds;
#[cfg(feature = "server")]
mod serve;
#[cfg(feature = "server")]
mod store_cmds;
#[cfg(feature = "server")]
mod webhooks;

use crate::check::{check_field, FieldContext, FieldVerdict};
use crate::issue::{Code, Field};
use crate::policy::Policy;
use crate::submission::Submission;
use crate::verdict::Verdict;
use crate::{validate_with, Country};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use serde::Deserialize;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

/// signup-guard: checks what people type into signup forms.
#[derive(Debug, Parser)]
#[command(name = "signup-guard", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check one value per stdin line; print one JSON verdict per line.
    Check {
        /// Which field the values are.
        field: FieldArg,
        /// Default country (ISO 3166-1 alpha-2) for phone numbers.
        #[arg(long)]
        country: Option<String>,
        /// Locale of the messages (en, ar, fa, id).
        #[arg(long)]
        locale: Option<String>,
        /// Each line is a JSON object {"value": …, "country": …, "locale": …}.
        #[arg(long)]
        json_lines: bool,
        /// Policy file (phone types, name limits).
        #[arg(long)]
        policy: Option<PathBuf>,
    },
    /// Read Submission JSON lines; print Verdict JSON lines.
    Verify {
        /// Policy file; the built-in default policy otherwise.
        #[arg(long)]
        policy: Option<PathBuf>,
    },
    /// Clean a contact list (CSV): status, normalized values, issues and duplicates per row.
    Audit(audit::AuditArgs),
    /// Run the HTTP service with the demo page on the embedded SQLite store.
    #[cfg(feature = "server")]
    Serve(Box<serve::ServeArgs>),
    /// Export contacts with each purpose's current consent (CSV or NDJSON).
    #[cfg(feature = "server")]
    Export(store_cmds::ExportArgs),
    /// Work with the consent log.
    #[cfg(feature = "server")]
    ConsentLog {
        /// What to do.
        #[command(subcommand)]
        action: store_cmds::ConsentLogCmd,
    },
    /// Erase one person's contact data (GDPR Art. 17); the consent log stays verifiable.
    #[cfg(feature = "server")]
    Erase(store_cmds::EraseArgs),
    /// Print each contact's unsubscribe links (CSV or NDJSON) for a mailing tool.
    #[cfg(feature = "server")]
    Links(people_cmds::LinksArgs),
    /// Print everything kept about one person as JSON (GDPR Art. 15 access request).
    #[cfg(feature = "server")]
    Access(people_cmds::AccessArgs),
    /// Erase contacts past retention_days or without consent past the grace period.
    #[cfg(feature = "server")]
    Purge(people_cmds::PurgeArgs),
    /// Copy a live database and prove the copy (integrity, consent chain, row counts).
    #[cfg(feature = "server")]
    Backup(people_cmds::BackupArgs),
    /// Prove a backup and write it where a server can be started on it.
    #[cfg(feature = "server")]
    Restore(people_cmds::RestoreArgs),
    /// Copy a SQLite store into an empty PostgreSQL database and prove the copy.
    #[cfg(feature = "server")]
    Migrate(people_cmds::MigrateArgs),
    /// Inspect and re-send the signed webhook events (list, retry, replay).
    #[cfg(feature = "server")]
    Webhooks {
        /// What to do.
        #[command(subcommand)]
        action: webhooks::WebhooksCmd,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FieldArg {
    Email,
    Phone,
    Name,
    Country,
}

impl FieldArg {
    fn field(self) -> Field {
        match self {
            FieldArg::Email => Field::Email,
            FieldArg::Phone => Field::Phone,
            FieldArg::Name => Field::GivenName,
            FieldArg::Country => Field::Country,
        }
    }
}

/// One `--json-lines` input line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckLine {
    value: String,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    locale: Option<String>,
}

/// A usage error: printed to stderr, exit status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

/// Loads a policy file, or the default policy when no path is given.
pub fn load_policy(path: Option<&Path>) -> Result<Policy, UsageError> {
    let Some(path) = path else {
        return Ok(Policy::default());
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| UsageError(format!("cannot read policy file {}: {e}", path.display())))?;
    Policy::from_json(&text).map_err(|e| UsageError(format!("{}: {e}", path.display())))
}

fn country_arg(code: Option<&str>) -> Result<Option<Country>, UsageError> {
    code.map(|c| {
        Country::from_code(c.trim())
            .ok_or_else(|| UsageError(format!("--country {c:?} is not an ISO 3166-1 alpha-2 code")))
    })
    .transpose()
}

/// What `--version` prints after the name: the crate version and the data it carries,
/// `0.1.0 (phone metadata 9.0.43 of 2026-11-06, TLDs 1.261.0 of 2025-10-24, providers of …)`.
fn long_version() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        format!(
            "{} ({})",
            env!("CARGO_PKG_VERSION"),
            crate::data_versions().summary()
        )
    })
}

/// Runs the command line; returns the process exit status.
pub fn main() -> ExitCode {
    let parsed = Cli::command()
        .long_version(long_version())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map_err(|e| e.format(&mut Cli::command())));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Check {
            field,
            country,
            locale,
            json_lines,
            policy,
        } => run_check(
            field.field(),
            country.as_deref(),
            locale,
            json_lines,
            policy.as_deref(),
        ),
        Command::Verify { policy } => run_verify(policy.as_deref()),
        Command::Audit(args) => audit::run(args),
        #[cfg(feature = "server")]
        Command::Serve(args) => serve::run(*args),
        #[cfg(feature = "server")]
        Command::Export(args) => store_cmds::export(args),
        #[cfg(feature = "server")]
        Command::ConsentLog { action } => store_cmds::consent_log(action),
        #[cfg(feature = "server")]
        Command::Erase(args) => store_cmds::erase(args),
        #[cfg(feature = "server")]
        Command::Links(args) => people_cmds::links(args),
        #[cfg(feature = "server")]
        Command::Access(args) => people_cmds::access(args),
        #[cfg(feature = "server")]
        Command::Purge(args) => people_cmds::purge(args),
        #[cfg(feature = "server")]
        Command::Backup(args) => people_cmds::backup(args),
        #[cfg(feature = "server")]
        Command::Restore(args) => people_cmds::restore(args),
        #[cfg(feature = "server")]
        Command::Migrate(args) => people_cmds::migrate(args),
        #[cfg(feature = "server")]
        Command::Webhooks { action } => webhooks::run(action),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(UsageError(msg)) => {
            eprintln!("signup-guard: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Reads stdin line by line as bytes, so an undecodable line is an answer, not a crash.
fn for_each_line(
    mut f: impl FnMut(Result<&str, ()>, &mut dyn Write) -> io::Result<bool>,
) -> Result<bool, UsageError> {
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut all_ok = true;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| UsageError(format!("cannot read stdin: {e}")))?;
        if n == 0 {
            break;
        }
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        let line = std::str::from_utf8(&buf).map_err(|_| ());
        all_ok &= f(line, &mut out).map_err(|e| UsageError(format!("cannot write stdout: {e}")))?;
    }
    out.flush()
        .map_err(|e| UsageError(format!("cannot write stdout: {e}")))?;
    Ok(all_ok)
}

fn run_check(
    field: Field,
    country: Option<&str>,
    locale: Option<String>,
    json_lines: bool,
    policy: Option<&Path>,
) -> Result<bool, UsageError> {
    let base = FieldContext {
        country: country_arg(country)?,
        locale,
        policy: load_policy(policy)?,
    };
    for_each_line(|line, out| {
        let verdict = match line {
            Err(()) => refused_line(field, "", Code::InputInvalidText, &base),
            Ok(text) if json_lines => match serde_json::from_str::<CheckLine>(text) {
                Ok(l) => {
                    let mut ctx = base.clone();
                    if let Some(c) = l.country.as_deref() {
                        ctx.country = Country::from_code(c.trim()).or(ctx.country);
                    }
                    if l.locale.is_some() {
                        ctx.locale = l.locale;
                    }
                    check_field(field, &l.value, &ctx)
                }
                Err(_) => refused_line(field, text, Code::SubmissionMalformed, &base),
            },
            Ok(text) => check_field(field, text, &base),
        };
        serde_json::to_writer(&mut *out, &verdict)?;
        out.write_all(b"\n")?;
        Ok(verdict.ok)
    })
}

fn refused_line(field: Field, input: &str, code: Code, ctx: &FieldContext) -> FieldVerdict {
    FieldVerdict::refuse(field, input, code, ctx.locale.as_deref().unwrap_or("en"))
}

fn run_verify(policy: Option<&Path>) -> Result<bool, UsageError> {
    let policy = load_policy(policy)?;
    for_each_line(|line, out| {
        let verdict = match line {
            Err(()) => Verdict::refuse(Code::InputInvalidText, None, "en"),
            Ok(text) if text.trim().is_empty() => return Ok(true),
            Ok(text) => match Submission::from_json(text) {
                Ok(sub) => validate_with(&sub, &policy),
                Err(e) => e.verdict("en"),
            },
        };
        serde_json::to_writer(&mut *out, &verdict)?;
        out.write_all(b"\n")?;
        Ok(verdict.ok)
    })
}

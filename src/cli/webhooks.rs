//! `signup-guard webhooks list|retry|replay`: the operator's view of the webhook rows in the
//! outbox, beside a running server (which picks requeued rows up within a second).
//!
//! ```sh
//! signup-guard webhooks list --since 2026-12-01T00:00:00Z --db signup-guard.db
//! signup-guard webhooks retry --db signup-guard.db            # dead letters, now
//! signup-guard webhooks replay --since 2026-12-05T12:00:00Z --db signup-guard.db
//! ```

use super::UsageError;
use crate::clock::{parse_rfc3339, Clock};
use crate::store::Store;
use clap::Subcommand;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `webhooks` does.
#[derive(Debug, Subcommand)]
pub(super) enum WebhooksCmd {
    /// One JSON line per event and endpoint: id, type, endpoint, state (pending, sent, dead),
    /// attempts, times, last error (no personal data).
    List {
        /// Only events queued at or after this time (RFC 3339).
        #[arg(long)]
        since: Option<String>,
        /// SQLite database file.
        #[arg(long, default_value = "signup-guard.db")]
        db: PathBuf,
    },
    /// Send dead-lettered and waiting events again now, attempts reset.
    Retry {
        /// Only events queued at or after this time (RFC 3339).
        #[arg(long)]
        since: Option<String>,
        /// Only this endpoint (its URL).
        #[arg(long)]
        endpoint: Option<String>,
        /// SQLite database file.
        #[arg(long, default_value = "signup-guard.db")]
        db: PathBuf,
    },
    /// Send delivered events again, with the same webhook-id (receivers deduplicate).
    Replay {
        /// Events queued at or after this time (RFC 3339).
        #[arg(long)]
        since: String,
        /// Only this endpoint (its URL).
        #[arg(long)]
        endpoint: Option<String>,
        /// SQLite database file.
        #[arg(long, default_value = "signup-guard.db")]
        db: PathBuf,
    },
}

/// A `--since` value, checked; the beginning of time when absent.
fn since(value: Option<&str>) -> Result<String, UsageError> {
    match value {
        None => Ok(String::new()),
        Some(t) => parse_rfc3339(t)
            .map(crate::clock::format_ms)
            .ok_or_else(|| UsageError(format!("--since {t:?} is not an RFC 3339 time"))),
    }
}

fn open(db: &Path) -> Result<Store, UsageError> {
    if !db.exists() {
        return Err(UsageError(format!("{}: no such database", db.display())));
    }
    Ok(Store::open(db)?)
}

/// Runs a `webhooks` command; exit 0.
pub(super) fn run(cmd: WebhooksCmd) -> Result<bool, UsageError> {
    let now = Clock::system().now();
    match cmd {
        WebhooksCmd::List { since: s, db } => {
            let since = since(s.as_deref())?;
            let store = Store::open_read(&db)?;
            let mut out = std::io::stdout().lock();
            let mut failed = None;
            store.webhook_list(&since, |row| {
                let line = serde_json::to_string(&row).unwrap_or_default();
                if failed.is_none() {
                    failed = writeln!(out, "{line}").err();
                }
            })?;
            if let Some(e) = failed {
                return Err(UsageError(format!("cannot write: {e}")));
            }
        }
        WebhooksCmd::Retry {
            since: s,
            endpoint,
            db,
        } => {
            let n = open(&db)?.webhook_retry(&since(s.as_deref())?, endpoint.as_deref(), &now)?;
            println!("{n} event(s) queued again");
        }
        WebhooksCmd::Replay {
            since: s,
            endpoint,
            db,
        } => {
            let store = open(&db)?;
            let n = store.webhook_replay(&since(Some(&s))?, endpoint.as_deref(), &now)?;
            println!("{n} delivered event(s) queued again, with their webhook-id");
        }
    }
    Ok(true)
}

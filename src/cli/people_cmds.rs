//! The operator's commands about people and the file: `links` (each contact's unsubscribe
//! links for a mailing tool), `access` (everything kept about one person, as JSON), `purge`
//! (retention that deletes), `backup` and `restore` (a proven copy of a live database), and
//! `migrate` (a SQLite file copied into PostgreSQL and proven there).
//! Reading commands open the database read-only; `purge` writes beside a running server as
//! `erase` does. Links are made with the server's secret: `SIGNUP_GUARD_SECRET` when the
//! server runs with it, else the one stored in the database.

use super::store_cmds::{cell, target};
use super::UsageError;
use crate::clock::Clock;
use crate::store::{Keys, Retention, Store, DEFAULT_GRACE_DAYS};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

/// Output formats of `links`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum LinkFormat {
    /// `email,phone_e164,purpose,unsubscribe_url`.
    Csv,
    /// One JSON object per contact and purpose.
    Ndjson,
}

/// Options of `links`.
#[derive(Debug, Args)]
pub(super) struct LinksArgs {
    /// SQLite database file.
    #[arg(long, default_value = "signup-guard.db")]
    db: PathBuf,
    /// Only this purpose (default: every purpose granted).
    #[arg(long)]
    purpose: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LinkFormat::Csv)]
    format: LinkFormat,
    /// The service's public origin (`https://verifier.example`) the links point to.
    #[arg(long)]
    public_url: String,
}

/// Options of `access`: exactly one of `--email` or `--phone`.
#[derive(Debug, Args)]
pub(super) struct AccessArgs {
    /// SQLite database file.
    #[arg(long, default_value = "signup-guard.db")]
    db: PathBuf,
    /// The person's email address (matched by its dedup key, as signups are).
    #[arg(long, required_unless_present = "phone", conflicts_with = "phone")]
    email: Option<String>,
    /// The person's phone number in E.164 (`+628123456789`).
    #[arg(long)]
    phone: Option<String>,
    /// The service's public origin for the unsubscribe links (default: links as paths).
    #[arg(long, default_value = "")]
    public_url: String,
}

/// Options of `purge`.
#[derive(Debug, Args)]
pub(super) struct PurgeArgs {
    /// SQLite database file.
    #[arg(long, default_value = "signup-guard.db")]
    db: PathBuf,
    /// List what would be erased and why; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Policy file for `retention_days` (default: the policy the server last started with).
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Days a contact with no purpose granted is kept after its last change.
    #[arg(long, default_value_t = DEFAULT_GRACE_DAYS)]
    grace_days: u32,
}

/// Options of `backup`.
#[derive(Debug, Args)]
pub(super) struct BackupArgs {
    /// The live SQLite database (a server may keep running on it).
    #[arg(long, default_value = "signup-guard.db")]
    db: PathBuf,
    /// Where to write the copy (must not exist).
    #[arg(long)]
    out: PathBuf,
}

/// Options of `restore`.
#[derive(Debug, Args)]
pub(super) struct RestoreArgs {
    /// A copy written by `backup`.
    #[arg(long)]
    from: PathBuf,
    /// Where to restore it (must not exist: stop the server, move the old file and its -wal aside).
    #[arg(long)]
    db: PathBuf,
}

/// The keys the server makes tokens with; refuses a secret the stored contacts disagree with.
pub(super) fn server_keys(store: &Store) -> Result<Keys, UsageError> {
    let env = std::env::var("SIGNUP_GUARD_SECRET").ok();
    let secret = store.secret(env.as_deref()).map_err(|_| {
        UsageError(
            "no secret stored in the database: set SIGNUP_GUARD_SECRET to the server's".into(),
        )
    })?;
    let keys = Keys::new(secret);
    if store.keys_match(&keys)? == Some(false) {
        return Err(UsageError(
            "the secret is not the one these contacts were stored with (check \
             SIGNUP_GUARD_SECRET): its links would not work"
                .into(),
        ));
    }
    Ok(keys)
}

/// Runs `links`.
pub(super) fn links(args: LinksArgs) -> Result<bool, UsageError> {
    let store = Store::open_read(&args.db)?;
    let keys = server_keys(&store)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let write_err = |e: &dyn std::fmt::Display| UsageError(format!("cannot write: {e}"));
    let purpose = args.purpose.as_deref();
    match args.format {
        LinkFormat::Ndjson => store.links(&keys, &args.public_url, purpose, |row| {
            serde_json::to_writer(&mut out, &row).map_err(|e| write_err(&e))?;
            out.write_all(b"\n").map_err(|e| write_err(&e))
        })?,
        LinkFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(["email", "phone_e164", "purpose", "unsubscribe_url"])
                .map_err(|e| write_err(&e))?;
            store.links(&keys, &args.public_url, purpose, |r| {
                w.write_record([
                    cell(r.email.as_deref()),
                    cell(r.phone_e164.as_deref()),
                    r.purpose,
                    r.unsubscribe_url,
                ])
                .map_err(|e| write_err(&e))
            })?;
            w.flush().map_err(|e| write_err(&e))?;
        }
    }
    out.flush().map_err(|e| write_err(&e))?;
    Ok(true)
}

/// Runs `access`: exit 0 with the JSON report, 1 when nobody matched (an empty list).
pub(super) fn access(args: AccessArgs) -> Result<bool, UsageError> {
    let target = target(args.email.as_deref(), args.phone.as_deref())?;
    let store = Store::open_read(&args.db)?;
    let keys = server_keys(&store)?;
    let contacts = store.access(&target, &keys, &args.public_url)?;
    /// The printed report: the contacts in their fields' declared order.
    #[derive(serde::Serialize)]
    struct Report<'a> {
        contacts: &'a [crate::store::AccessContact],
    }
    let text = serde_json::to_string_pretty(&Report {
        contacts: &contacts,
    })
    .map_err(|e| UsageError(format!("cannot write the report: {e}")))?;
    println!("{text}");
    Ok(!contacts.is_empty())
}

/// Runs `purge`: one line per contact erased (or, with `--dry-run`, to erase) and why.
pub(super) fn purge(args: PurgeArgs) -> Result<bool, UsageError> {
    if !crate::store::is_database_url(&args.db) && !args.db.exists() {
        let db = args.db.display();
        return Err(UsageError(format!("{db}: no such database")));
    }
    let mut store = Store::open(&args.db)?;
    let retention_days = match &args.policy {
        Some(path) => super::load_policy(Some(path))?.retention_days,
        None => store.latest_policy()?.and_then(|p| p.retention_days),
    };
    if retention_days.is_none() {
        eprintln!(
            "signup-guard: no retention_days in the policy: only contacts without consent go"
        );
    }
    let rule = Retention {
        retention_days,
        grace_days: args.grace_days,
    };
    let found = store
        .purge(rule, Clock::system().unix_ms(), args.dry_run)
        .map_err(|e| UsageError(format!("cannot purge: {e:?}")))?;
    let verb = if args.dry_run {
        "would erase"
    } else {
        "erased"
    };
    for p in &found {
        let who = p.email.as_deref().or(p.phone_e164.as_deref()).unwrap_or("");
        let why = match p.reason {
            crate::store::PurgeReason::NoConsent => format!(
                "no purpose granted since {}, grace {} days",
                p.since, rule.grace_days
            ),
            crate::store::PurgeReason::RetentionExpired => format!(
                "last activity {} is older than retention_days {}",
                p.since,
                retention_days.unwrap_or(0)
            ),
        };
        println!(
            "{verb} contact {} {who}: {} ({why})",
            p.contact_id,
            p.reason.as_str()
        );
    }
    println!("{verb} {} contact(s)", found.len());
    Ok(true)
}

/// Runs `backup`: exit 0 only once the copy is proven.
pub(super) fn backup(args: BackupArgs) -> Result<bool, UsageError> {
    let store = Store::open_read(&args.db)?;
    let r = store.backup(&args.out)?;
    println!(
        "backup {} proven: integrity ok, consent log intact ({} events, head {}), {} contacts \
         ({} erased), {} idempotency answers, {} bytes",
        args.out.display(),
        r.events,
        r.head,
        r.stats.contacts,
        r.stats.erased,
        r.stats.idempotency,
        r.bytes
    );
    Ok(true)
}

/// Runs `restore`: exit 0 once the backup is proven and written to `--db`.
pub(super) fn restore(args: RestoreArgs) -> Result<bool, UsageError> {
    let r = Store::restore(&args.from, &args.db)?;
    println!(
        "restored {} to {}: integrity ok, consent log intact ({} events), {} contacts",
        args.from.display(),
        args.db.display(),
        r.events,
        r.stats.contacts
    );
    Ok(true)
}

/// Options of `migrate`.
#[derive(Debug, Args)]
pub(super) struct MigrateArgs {
    /// The SQLite store to copy (stop the server on it first).
    #[arg(long)]
    from: PathBuf,
    /// The PostgreSQL database to copy into (`postgres://user@host/db`), empty of contacts.
    #[arg(long)]
    to: PathBuf,
}

/// Runs `migrate`: exit 0 once everything is copied and the copy proven.
pub(super) fn migrate(args: MigrateArgs) -> Result<bool, UsageError> {
    let r = Store::migrate(&args.from, &args.to)?;
    let rows: Vec<String> = r.rows.iter().map(|(t, n)| format!("{t} {n}")).collect();
    println!(
        "migrated {}: {}; consent log intact on the target ({} events, head {}), {} contacts \
         ({} erased), {} idempotency answers",
        args.from.display(),
        rows.join(", "),
        r.events,
        r.head,
        r.stats.contacts,
        r.stats.erased,
        r.stats.idempotency
    );
    Ok(true)
}

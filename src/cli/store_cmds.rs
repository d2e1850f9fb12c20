//! `signup-guard export` (contacts with each purpose's current consent, as CSV or NDJSON) and
//! `signup-guard consent-log verify` (recomputes the hash chain, names the first broken link).
//! Both open the database read-only, so they are safe beside a running server.
//! `signup-guard erase` blanks one person's contact data (GDPR Art. 17) in a write transaction
//! that waits for a running server's writer (SQLite busy timeout), never editing the log.

use super::UsageError;
use crate::clock::Clock;
use crate::source::KEYS;
use crate::store::{ChainCheck, EraseTarget, ExportRow, Store, StoreError};
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

/// Output formats of `export`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum Format {
    /// One row per contact; `granted` and `withdrawn` list purposes separated by spaces, then an
    /// unsubscribe link per purpose and a `custom_<id>` column per custom field (lists joined by `;`).
    Csv,
    /// One JSON object per contact, with each purpose's status and when it last changed.
    Ndjson,
}

/// Options of `export`.
#[derive(Debug, Args)]
pub(super) struct ExportArgs {
    /// SQLite database file.
    #[arg(long, default_value = "signup-guard.db")]
    db: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// Write here instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
    /// The service's public origin (`https://verifier.example`) for the `unsubscribe_url`
    /// columns (default: links as paths, `/v1/unsubscribe?token=…`).
    #[arg(long, default_value = "")]
    public_url: String,
}

/// `consent-log` actions.
#[derive(Debug, Subcommand)]
pub(super) enum ConsentLogCmd {
    /// Check every event's hash and link; exit 1 naming the first broken event.
    Verify {
        /// SQLite database file.
        #[arg(long, default_value = "signup-guard.db")]
        db: PathBuf,
    },
}

/// Options of `erase`: exactly one of `--email` or `--phone`.
#[derive(Debug, Args)]
pub(super) struct EraseArgs {
    /// SQLite database file.
    #[arg(long, default_value = "signup-guard.db")]
    db: PathBuf,
    /// The person's email address (matched by its dedup key, as signups are).
    #[arg(long, required_unless_present = "phone", conflicts_with = "phone")]
    email: Option<String>,
    /// The person's phone number in E.164 (`+628123456789`).
    #[arg(long)]
    phone: Option<String>,
}

/// Whom `--email` or `--phone` names (exactly one of them).
pub(super) fn target(email: Option<&str>, phone: Option<&str>) -> Result<EraseTarget, UsageError> {
    match (email, phone) {
        (Some(raw), None) => Ok(EraseTarget::email(raw)),
        (None, Some(raw)) => EraseTarget::phone(raw).ok_or_else(|| {
            UsageError(format!(
                "--phone {raw:?} is not a phone number in E.164 form (+CC…)"
            ))
        }),
        _ => Err(UsageError("give exactly one of --email or --phone".into())),
    }
}

/// Runs `erase`: exit 0 when a contact was erased, 1 when none matched, 2 on usage or I/O errors.
pub(super) fn erase(args: EraseArgs) -> Result<bool, UsageError> {
    let target = target(args.email.as_deref(), args.phone.as_deref())?;
    if !crate::store::is_database_url(&args.db) && !args.db.exists() {
        return Err(UsageError(format!(
            "{}: no such database",
            args.db.display()
        )));
    }
    let mut store = Store::open(&args.db)?;
    let done = store
        .erase(&target, &Clock::system().now())
        .map_err(|e| UsageError(format!("cannot erase: {e:?}")))?;
    if done.contacts == 0 {
        println!("no such contact");
        return Ok(false);
    }
    println!(
        "erased {} contact(s): {} consent withdrawal event(s) appended, {} idempotency answer(s) deleted",
        done.contacts, done.events, done.idempotency
    );
    Ok(true)
}

impl From<StoreError> for UsageError {
    fn from(e: StoreError) -> Self {
        UsageError(e.to_string())
    }
}

/// Keeps a spreadsheet from reading a cell as a formula (`=`, `@`, tab, CR, or `+`/`-` not
/// followed by a plain number such as an E.164 phone).
pub(super) fn cell(v: Option<&str>) -> String {
    let v = v.unwrap_or("");
    let risky = match v.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !v.chars().skip(1).all(|c| c.is_ascii_digit()) || v.len() == 1,
        _ => false,
    };
    if risky {
        format!("'{v}")
    } else {
        v.to_owned()
    }
}

/// Runs `export`. Erased contacts (no address and no phone left) are left out. Each row carries
/// an unsubscribe link per purpose granted now when the server's secret is at hand (stored in
/// the database, or `SIGNUP_GUARD_SECRET`); without it the link columns are left out.
pub(super) fn export(args: ExportArgs) -> Result<bool, UsageError> {
    let store = Store::open_read(&args.db)?;
    let keys = match super::people_cmds::server_keys(&store) {
        Ok(keys) => Some(keys),
        Err(UsageError(why)) => {
            eprintln!("signup-guard: export without unsubscribe links: {why}");
            None
        }
    };
    let base = args.public_url.as_str();
    let out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(
            std::fs::File::create(p)
                .map_err(|e| UsageError(format!("cannot write {}: {e}", p.display())))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::new(out);
    let write_err = |e: &dyn std::fmt::Display| UsageError(format!("cannot write the export: {e}"));
    let each = |store: &Store, f: &mut dyn FnMut(ExportRow) -> Result<(), UsageError>| match &keys {
        Some(keys) => store.export_with_links(keys, base, f),
        None => store.export(f),
    };
    match args.format {
        Format::Ndjson => each(&store, &mut |row| {
            serde_json::to_writer(&mut out, &row).map_err(|e| write_err(&e))?;
            out.write_all(b"\n").map_err(|e| write_err(&e))
        })?,
        Format::Csv => {
            let purposes = if keys.is_some() {
                store.purposes()?
            } else {
                Vec::new()
            };
            let custom = custom_columns(&store)?;
            let mut w = csv::Writer::from_writer(&mut out);
            let mut header: Vec<String> = [
                "email",
                "email_display",
                "phone_e164",
                "phone_type",
                "given_name",
                "family_name",
                "country",
                "locale",
                "created_at",
                "updated_at",
                "granted",
                "withdrawn",
            ]
            .map(str::to_owned)
            .to_vec();
            header.extend(source_columns());
            header.extend(purposes.iter().map(|p| format!("unsubscribe_url_{p}")));
            header.extend(custom.iter().map(|id| format!("custom_{id}")));
            w.write_record(&header).map_err(|e| write_err(&e))?;
            each(&store, &mut |r| {
                let list = |want: &str| {
                    r.consent
                        .iter()
                        .filter(|(_, s)| s.status == want)
                        .map(|(p, _)| p.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let mut record = vec![
                    cell(r.email.as_deref()),
                    cell(r.email_display.as_deref()),
                    cell(r.phone_e164.as_deref()),
                    cell(r.phone_type.as_deref()),
                    cell(r.given_name.as_deref()),
                    cell(r.family_name.as_deref()),
                    cell(r.country.as_deref()),
                    cell(Some(&r.locale)),
                    r.created_at.clone(),
                    r.updated_at.clone(),
                    list("granted"),
                    list("withdrawn"),
                ];
                for touch in [&r.source.first, &r.source.last] {
                    let s = touch.as_ref().map(|t| &t.source);
                    record.extend(KEYS.map(|k| cell(s.and_then(|s| s.get(k)))));
                }
                let links = r.unsubscribe_url.as_ref();
                record.extend(
                    purposes
                        .iter()
                        .map(|p| links.and_then(|l| l.get(p)).cloned().unwrap_or_default()),
                );
                record.extend(
                    custom
                        .iter()
                        .map(|id| cell(r.custom.get(id).map(|v| v.to_cell()).as_deref())),
                );
                w.write_record(&record).map_err(|e| write_err(&e))
            })?;
            w.flush().map_err(|e| write_err(&e))?;
        }
    }
    out.flush().map_err(|e| write_err(&e))?;
    Ok(true)
}

/// The export's custom field columns: the latest policy's fields in its order, then any other
/// id a contact has a value for (from an earlier policy), sorted.
fn custom_columns(store: &Store) -> Result<Vec<String>, UsageError> {
    let mut ids: Vec<String> = match store.latest_policy()? {
        Some(p) => p.custom_fields.into_iter().map(|f| f.id).collect(),
        None => Vec::new(),
    };
    for id in store.custom_ids()? {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// The attribution columns: the first source (`source_path`, `utm_source`, …, `form_id`), then
/// the latest with a `last_` prefix.
fn source_columns() -> Vec<String> {
    let first = KEYS.map(|k| {
        if k == "path" {
            "source_path".to_owned()
        } else {
            k.to_owned()
        }
    });
    let last = first.clone().map(|k| format!("last_{k}"));
    first.into_iter().chain(last).collect()
}

/// Runs `consent-log verify`: exit 0 when intact, 1 naming the first broken event.
pub(super) fn consent_log(cmd: ConsentLogCmd) -> Result<bool, UsageError> {
    let ConsentLogCmd::Verify { db } = cmd;
    match Store::open_read(&db)?.verify_chain()? {
        ChainCheck::Intact { events, head } => {
            println!("consent log intact: {events} events, head {head}");
            Ok(true)
        }
        ChainCheck::Broken { seq, reason } => {
            println!("consent log broken at event {seq}: {reason}");
            Ok(false)
        }
    }
}

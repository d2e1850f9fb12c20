//! Reading the store out of SQLite: every contact not erased with each purpose's current state
//! (streamed row by row, one read snapshot, so memory stays flat on any size) and, when asked,
//! an unsubscribe link per granted purpose; the purposes ever recorded; row counts.

use super::read_err;
use crate::store::keys::unsubscribe_url;
use crate::store::{ConsentStatus, ExportRow, Keys, Stats, StoreError};
use rusqlite::Connection;
use std::collections::BTreeMap;

/// Streams the contacts that still name someone (an address or a phone), oldest first; with
/// `links` (keys and the public base URL) each carries its unsubscribe links.
pub(super) fn export<E: From<StoreError>>(
    conn: &Connection,
    links: Option<(&Keys, &str)>,
    mut each: impl FnMut(ExportRow) -> Result<(), E>,
) -> Result<(), E> {
    let db = |e: rusqlite::Error| E::from(read_err(e));
    let mut contacts = conn
        .prepare(
            "SELECT id, email, email_display, phone_e164, phone_type, given_name,
                    family_name, country, locale, created_at, updated_at, contact_key, custom
             FROM contacts WHERE email_key IS NOT NULL OR phone_e164 IS NOT NULL ORDER BY id",
        )
        .map_err(db)?;
    let mut states = conn
        .prepare(
            "SELECT purpose, action, at FROM consent_state WHERE contact_id = ?1 ORDER BY purpose",
        )
        .map_err(db)?;
    let mut q = contacts.query([]).map_err(db)?;
    while let Some(r) = q.next().map_err(db)? {
        let id: i64 = r.get(0).map_err(db)?;
        let consent = consent(&mut states, id).map_err(db)?;
        let contact_key: String = r.get(11).map_err(db)?;
        let unsubscribe = links.map(|(keys, base)| {
            consent
                .iter()
                .filter(|(_, s)| s.status == "granted")
                .map(|(p, _)| {
                    let token = keys.unsubscribe_token(id, &contact_key, p);
                    (p.clone(), unsubscribe_url(base, &token))
                })
                .collect()
        });
        let row = (|| {
            Ok(ExportRow {
                email: r.get(1)?,
                email_display: r.get(2)?,
                phone_e164: r.get(3)?,
                phone_type: r.get(4)?,
                given_name: r.get(5)?,
                family_name: r.get(6)?,
                country: r.get(7)?,
                locale: r.get(8)?,
                created_at: r.get(9)?,
                updated_at: r.get(10)?,
                consent,
                unsubscribe_url: unsubscribe,
                custom: super::contacts::custom_of(r.get(12)?)?,
                source: super::attribution::read(conn, id)?,
            })
        })()
        .map_err(db)?;
        each(row)?;
    }
    Ok(())
}

/// Each purpose's current state for contact `id`, by purpose.
fn consent(
    states: &mut rusqlite::Statement<'_>,
    id: i64,
) -> rusqlite::Result<BTreeMap<String, ConsentStatus>> {
    let mut consent = BTreeMap::new();
    let mut rows = states.query([id])?;
    while let Some(e) = rows.next()? {
        let action: String = e.get(1)?;
        let status = match action.as_str() {
            "grant" => "granted",
            "request" => "pending",
            _ => "withdrawn",
        };
        consent.insert(
            e.get(0)?,
            ConsentStatus {
                status,
                at: e.get(2)?,
            },
        );
    }
    Ok(consent)
}

/// Every custom field id any contact has a value for, sorted.
pub(super) fn custom_ids(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT j.key FROM contacts, json_each(contacts.custom) AS j
         WHERE contacts.custom IS NOT NULL ORDER BY j.key",
    )?;
    let found = stmt.query_map([], |r| r.get(0))?;
    found.collect()
}

/// Every purpose any contact has granted or withdrawn, sorted.
pub(super) fn purposes(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT DISTINCT purpose FROM consent_state ORDER BY purpose")?;
    let found = stmt.query_map([], |r| r.get(0))?;
    found.collect()
}

/// Row counts of contacts (and how many are erased), events and idempotency answers.
pub(super) fn stats(conn: &Connection) -> rusqlite::Result<Stats> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM contacts),
                (SELECT count(*) FROM contacts WHERE email_key IS NULL AND phone_e164 IS NULL),
                (SELECT count(*) FROM consent_events),
                (SELECT count(*) FROM idempotency)",
        [],
        |r| {
            Ok(Stats {
                contacts: r.get(0)?,
                erased: r.get(1)?,
                events: r.get(2)?,
                idempotency: r.get(3)?,
            })
        },
    )
}

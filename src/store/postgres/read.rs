//! Reading the store out of PostgreSQL for the operator, as on SQLite: the export (streamed
//! through a cursor in one read-only snapshot, so memory stays flat), the purposes recorded,
//! row counts, unsubscribe links, the secret check, access reports with the texts of the
//! policies kept by hash, and those policies.

use super::db::{read_err, Db};
use crate::digest::sha256_hex;
use crate::policy::Policy;
use crate::store::keys::unsubscribe_url;
use crate::store::{
    AccessContact, AccessEvent, Attribution, ConsentStatus, EraseTarget, ExportRow, Keys, LinkRow,
    Stats, StoreError,
};
use postgres::Transaction;
use std::collections::{BTreeMap, HashMap};

/// Rows fetched per round trip while streaming.
const CHUNK: i32 = 500;

fn snapshot(db: &mut Db) -> Result<Transaction<'_>, postgres::Error> {
    db.client
        .build_transaction()
        .read_only(true)
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .start()
}

/// Streams the contacts that still name someone, oldest first (with links when asked).
pub(super) fn export<E: From<StoreError>>(
    db: &mut Db,
    links: Option<(&Keys, &str)>,
    mut each: impl FnMut(ExportRow) -> Result<(), E>,
) -> Result<(), E> {
    let err = |e: postgres::Error| E::from(read_err(e));
    let mut tx = snapshot(db).map_err(err)?;
    let portal = tx
        .bind(
            "SELECT id, email, email_display, phone_e164, phone_type, given_name,
                    family_name, country, locale, created_at, updated_at, contact_key, custom
             FROM contacts WHERE email_key IS NOT NULL OR phone_e164 IS NOT NULL ORDER BY id",
            &[],
        )
        .map_err(err)?;
    let states = tx
        .prepare(
            "SELECT purpose, action, at FROM consent_state WHERE contact_id = $1 ORDER BY purpose",
        )
        .map_err(err)?;
    loop {
        let rows = tx.query_portal(&portal, CHUNK).map_err(err)?;
        if rows.is_empty() {
            break;
        }
        for r in rows {
            let id: i64 = r.get(0);
            let mut consent: BTreeMap<String, ConsentStatus> = BTreeMap::new();
            for s in tx.query(&states, &[&id]).map_err(err)? {
                let action: String = s.get(1);
                let status = match action.as_str() {
                    "grant" => "granted",
                    "request" => "pending",
                    _ => "withdrawn",
                };
                consent.insert(
                    s.get(0),
                    ConsentStatus {
                        status,
                        at: s.get(2),
                    },
                );
            }
            let contact_key: String = r.get(11);
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
            each(ExportRow {
                email: r.get(1),
                email_display: r.get(2),
                phone_e164: r.get(3),
                phone_type: r.get(4),
                given_name: r.get(5),
                family_name: r.get(6),
                country: r.get(7),
                locale: r.get(8),
                created_at: r.get(9),
                updated_at: r.get(10),
                consent,
                unsubscribe_url: unsubscribe,
                source: super::attribution::read(&mut tx, id).map_err(err)?,
                custom: super::contacts::custom_of(r.get(12)),
            })?;
        }
    }
    tx.commit().map_err(err)
}

/// Every purpose any contact has granted or withdrawn, sorted.
pub(super) fn purposes(db: &mut Db) -> Result<Vec<String>, postgres::Error> {
    Ok(db
        .all(
            "SELECT DISTINCT purpose FROM consent_state ORDER BY purpose",
            &[],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Every custom field id any contact has a value for, sorted.
pub(super) fn custom_ids(db: &mut Db) -> Result<Vec<String>, postgres::Error> {
    Ok(db
        .all(
            "SELECT DISTINCT k FROM contacts, jsonb_object_keys(custom::jsonb) AS k
             WHERE custom IS NOT NULL ORDER BY k",
            &[],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Row counts.
pub(super) fn stats(db: &mut Db) -> Result<Stats, postgres::Error> {
    let r = db.one(
        "SELECT (SELECT count(*) FROM contacts),
                (SELECT count(*) FROM contacts WHERE email_key IS NULL AND phone_e164 IS NULL),
                (SELECT count(*) FROM consent_events),
                (SELECT count(*) FROM idempotency)",
        &[],
    )?;
    let n = |i: usize| u64::try_from(r.get::<_, i64>(i)).unwrap_or(0);
    Ok(Stats {
        contacts: n(0),
        erased: n(1),
        events: n(2),
        idempotency: n(3),
    })
}

/// Streams one [`LinkRow`] per contact on the list and purpose it grants now.
pub(super) fn links<E: From<StoreError>>(
    db: &mut Db,
    keys: &Keys,
    base: &str,
    purpose: Option<&str>,
    mut each: impl FnMut(LinkRow) -> Result<(), E>,
) -> Result<(), E> {
    let err = |e: postgres::Error| E::from(read_err(e));
    let mut tx = snapshot(db).map_err(err)?;
    let portal = tx
        .bind(
            "SELECT c.id, c.contact_key, c.email, c.phone_e164, s.purpose
             FROM contacts c JOIN consent_state s ON s.contact_id = c.id
             WHERE s.action = 'grant' AND (c.email_key IS NOT NULL OR c.phone_e164 IS NOT NULL)
               AND ($1::text IS NULL OR s.purpose = $1)
             ORDER BY c.id, s.purpose",
            &[&purpose],
        )
        .map_err(err)?;
    loop {
        let rows = tx.query_portal(&portal, CHUNK).map_err(err)?;
        if rows.is_empty() {
            break;
        }
        for r in rows {
            let (id, contact_key, purpose): (i64, String, String) = (r.get(0), r.get(1), r.get(4));
            let token = keys.unsubscribe_token(id, &contact_key, &purpose);
            each(LinkRow {
                email: r.get(2),
                phone_e164: r.get(3),
                unsubscribe_url: unsubscribe_url(base, &token),
                purpose,
            })?;
        }
    }
    tx.commit().map_err(err)
}

/// Whether `keys` made the stored `contact_key`s (`None`: no contact to check against).
pub(super) fn keys_match(db: &mut Db, keys: &Keys) -> Result<Option<bool>, postgres::Error> {
    let first = db.opt(
        "SELECT contact_key, email_key, phone_e164 FROM contacts
         WHERE email_key IS NOT NULL OR phone_e164 IS NOT NULL ORDER BY id LIMIT 1",
        &[],
    )?;
    Ok(first.and_then(|r| {
        let (stored, email_key, phone): (String, Option<String>, Option<String>) =
            (r.get(0), r.get(1), r.get(2));
        let dedup = email_key.or_else(|| phone.map(|p| format!("tel:{p}")))?;
        Some(keys.contact_key(&dedup) == stored)
    }))
}

/// Every contact `target` names, with its consent events and the texts shown.
pub(super) fn access(
    db: &mut Db,
    target: &EraseTarget,
    keys: &Keys,
    base: &str,
) -> Result<Vec<AccessContact>, postgres::Error> {
    const COLUMNS: &str = "SELECT id, contact_key, email, email_display, phone_e164, phone_type,
        phone_display, phone_extension, given_name, family_name, country, locale, created_at,
        updated_at, custom FROM contacts WHERE ";
    let (filter, arg) = match target {
        EraseTarget::Email { key: Some(key), .. } => ("email_key = $1 ORDER BY id", key),
        EraseTarget::Email { key: None, raw } => ("email = $1 ORDER BY id", raw),
        EraseTarget::Phone(e164) => ("phone_e164 = $1 ORDER BY id", e164),
    };
    let rows = db.client.query(&format!("{COLUMNS}{filter}"), &[arg])?;
    let mut found: Vec<AccessContact> = rows
        .iter()
        .map(|r| AccessContact {
            id: r.get(0),
            contact_key: r.get(1),
            email: r.get(2),
            email_display: r.get(3),
            phone_e164: r.get(4),
            phone_type: r.get(5),
            phone_display: r.get(6),
            phone_extension: r.get(7),
            given_name: r.get(8),
            family_name: r.get(9),
            country: r.get(10),
            locale: r.get(11),
            created_at: r.get(12),
            updated_at: r.get(13),
            consent: BTreeMap::new(),
            unsubscribe_url: BTreeMap::new(),
            events: Vec::new(),
            source: Attribution::default(),
            custom: super::contacts::custom_of(r.get(14)),
        })
        .collect();
    let mut texts: HashMap<String, Option<Policy>> = HashMap::new();
    for c in &mut found {
        c.source = super::attribution::read(&mut db.client, c.id)?;
        let states = db.all(
            "SELECT purpose, action, at FROM consent_state WHERE contact_id = $1",
            &[&c.id],
        )?;
        for r in states {
            let purpose: String = r.get(0);
            let action: String = r.get(1);
            let granted = action == "grant";
            if granted {
                let token = keys.unsubscribe_token(c.id, &c.contact_key, &purpose);
                c.unsubscribe_url
                    .insert(purpose.clone(), unsubscribe_url(base, &token));
            }
            let status = if granted { "granted" } else { "withdrawn" };
            c.consent.insert(
                purpose,
                ConsentStatus {
                    status,
                    at: r.get(2),
                },
            );
        }
        let events = db.all(
            "SELECT seq, action, purpose, policy_id, policy_version, policy_hash, text_hash,
                    locale, method, received_at, claimed_at, user_agent, hash
             FROM consent_events WHERE contact_key = $1 ORDER BY seq",
            &[&c.contact_key],
        )?;
        for r in events {
            let (action, purpose, policy_hash, locale): (String, String, String, String) =
                (r.get(1), r.get(2), r.get(5), r.get(7));
            let text_hash: Option<String> = r.get(6);
            let text = match text_hash {
                Some(_) => {
                    if !texts.contains_key(&policy_hash) {
                        let p = by_hash(db, &policy_hash)?.and_then(|j| Policy::from_json(&j).ok());
                        texts.insert(policy_hash.clone(), p);
                    }
                    texts
                        .get(&policy_hash)
                        .and_then(Option::as_ref)
                        .and_then(|p| p.purpose(&purpose))
                        .map(|p| p.text_for(&locale).to_owned())
                }
                None => None,
            };
            let text_verified = text
                .as_deref()
                .zip(text_hash.as_deref())
                .map(|(t, h)| sha256_hex(t) == h);
            c.events.push(AccessEvent {
                seq: r.get(0),
                action,
                purpose,
                policy_id: r.get(3),
                policy_version: r.get(4),
                policy_hash,
                text,
                text_hash,
                text_verified,
                locale,
                method: r.get(8),
                received_at: r.get(9),
                claimed_at: r.get(10),
                user_agent: r.get(11),
                hash: r.get(12),
            });
        }
    }
    Ok(found)
}

/// Keeps the policy `json` under `hash`, or marks it used at `at`.
pub(super) fn keep_policy(
    db: &mut Db,
    hash: &str,
    id: &str,
    version: &str,
    json: &str,
    at: &str,
) -> Result<(), postgres::Error> {
    db.exec(
        "INSERT INTO policies (hash, policy_id, version, json, stored_at, used_at)
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (hash) DO UPDATE SET used_at = $5",
        &[&hash, &id, &version, &json, &at],
    )?;
    Ok(())
}

/// The policy kept under `hash`, as JSON.
pub(super) fn by_hash(db: &mut Db, hash: &str) -> Result<Option<String>, postgres::Error> {
    Ok(db
        .opt("SELECT json FROM policies WHERE hash = $1", &[&hash])?
        .map(|r| r.get(0)))
}

/// The policy stored last (the latest server start's), as JSON.
pub(super) fn latest_policy(db: &mut Db) -> Result<Option<String>, postgres::Error> {
    Ok(db
        .opt(
            "SELECT json FROM policies ORDER BY used_at DESC, n DESC LIMIT 1",
            &[],
        )?
        .map(|r| r.get(0)))
}

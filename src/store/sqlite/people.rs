//! Reading people out of SQLite for the operator: unsubscribe links per contact and granted
//! purpose (streamed, for a mailing tool), everything kept about one person with the exact
//! purpose texts of the policies kept by hash (an access request), and the check that a
//! secret is the one the stored `contact_key`s were made with.

use super::{policies, read_err};
use crate::digest::sha256_hex;
use crate::policy::Policy;
use crate::store::keys::unsubscribe_url;
use crate::store::{
    AccessContact, AccessEvent, Attribution, ConsentStatus, EraseTarget, Keys, LinkRow, StoreError,
};
use rusqlite::{Connection, OptionalExtension};
use std::collections::{BTreeMap, HashMap};

/// Streams one [`LinkRow`] per contact still on the list and purpose it grants now (only
/// `purpose` when given), in contact order.
pub(super) fn links<E: From<StoreError>>(
    conn: &Connection,
    keys: &Keys,
    base: &str,
    purpose: Option<&str>,
    mut each: impl FnMut(LinkRow) -> Result<(), E>,
) -> Result<(), E> {
    let db = |e: rusqlite::Error| E::from(read_err(e));
    let mut stmt = conn
        .prepare(
            "SELECT c.id, c.contact_key, c.email, c.phone_e164, s.purpose
             FROM contacts c JOIN consent_state s ON s.contact_id = c.id
             WHERE s.action = 'grant' AND (c.email_key IS NOT NULL OR c.phone_e164 IS NOT NULL)
               AND (?1 IS NULL OR s.purpose = ?1)
             ORDER BY c.id, s.purpose",
        )
        .map_err(db)?;
    let mut rows = stmt.query([purpose]).map_err(db)?;
    while let Some(r) = rows.next().map_err(db)? {
        let (id, contact_key, purpose): (i64, String, String) = (
            r.get(0).map_err(db)?,
            r.get(1).map_err(db)?,
            r.get(4).map_err(db)?,
        );
        let token = keys.unsubscribe_token(id, &contact_key, &purpose);
        each(LinkRow {
            email: r.get(2).map_err(db)?,
            phone_e164: r.get(3).map_err(db)?,
            unsubscribe_url: unsubscribe_url(base, &token),
            purpose,
        })?;
    }
    Ok(())
}

/// Whether `keys` made the stored `contact_key`s (checked on the first contact that still has
/// an address or phone); `None` when there is no such contact to check against.
pub(super) fn keys_match(conn: &Connection, keys: &Keys) -> rusqlite::Result<Option<bool>> {
    let first: Option<(String, Option<String>, Option<String>)> = conn
        .query_row(
            "SELECT contact_key, email_key, phone_e164 FROM contacts
             WHERE email_key IS NOT NULL OR phone_e164 IS NOT NULL ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(first.and_then(|(stored, email_key, phone)| {
        let dedup = email_key.or_else(|| phone.map(|p| format!("tel:{p}")))?;
        Some(keys.contact_key(&dedup) == stored)
    }))
}

/// Every contact `target` names, with its consent events and the texts shown.
pub(super) fn access(
    conn: &Connection,
    target: &EraseTarget,
    keys: &Keys,
    base: &str,
) -> rusqlite::Result<Vec<AccessContact>> {
    let (filter, arg) = match target {
        EraseTarget::Email { key: Some(key), .. } => ("email_key = ?1", key),
        EraseTarget::Email { key: None, raw } => ("email = ?1", raw),
        EraseTarget::Phone(e164) => ("phone_e164 = ?1", e164),
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT id, contact_key, email, email_display, phone_e164, phone_type, phone_display,
                phone_extension, given_name, family_name, country, locale, created_at, updated_at,
                custom
         FROM contacts WHERE {filter} ORDER BY id"
    ))?;
    let mut found: Vec<AccessContact> = stmt
        .query_map([arg], |r| {
            Ok(AccessContact {
                id: r.get(0)?,
                contact_key: r.get(1)?,
                email: r.get(2)?,
                email_display: r.get(3)?,
                phone_e164: r.get(4)?,
                phone_type: r.get(5)?,
                phone_display: r.get(6)?,
                phone_extension: r.get(7)?,
                given_name: r.get(8)?,
                family_name: r.get(9)?,
                country: r.get(10)?,
                locale: r.get(11)?,
                created_at: r.get(12)?,
                updated_at: r.get(13)?,
                consent: BTreeMap::new(),
                unsubscribe_url: BTreeMap::new(),
                events: Vec::new(),
                custom: super::contacts::custom_of(r.get(14)?)?,
                source: Attribution::default(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut texts = Texts::default();
    for c in &mut found {
        let mut states = conn.prepare_cached(
            "SELECT purpose, action, at FROM consent_state WHERE contact_id = ?1",
        )?;
        let mut rows = states.query([c.id])?;
        while let Some(r) = rows.next()? {
            let purpose: String = r.get(0)?;
            let action: String = r.get(1)?;
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
                    at: r.get(2)?,
                },
            );
        }
        c.events = events(conn, &c.contact_key, &mut texts)?;
        c.source = super::attribution::read(conn, c.id)?;
    }
    Ok(found)
}

/// The events naming `contact_key`, oldest first (a scan of the log: access requests are rare
/// and the log has no index on the key, which keeps every signup's commit small).
fn events(
    conn: &Connection,
    contact_key: &str,
    texts: &mut Texts,
) -> rusqlite::Result<Vec<AccessEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, action, purpose, policy_id, policy_version, policy_hash, text_hash, locale,
                method, received_at, claimed_at, user_agent, hash
         FROM consent_events WHERE contact_key = ?1 ORDER BY seq",
    )?;
    let mut rows = stmt.query([contact_key])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let (action, purpose, policy_hash, locale): (String, String, String, String) =
            (r.get(1)?, r.get(2)?, r.get(5)?, r.get(7)?);
        let text_hash: Option<String> = r.get(6)?;
        // A withdrawal shows no text; a grant the text of its locale in the kept policy.
        let text = match text_hash {
            Some(_) => texts.get(conn, &policy_hash, &purpose, &locale)?,
            None => None,
        };
        let text_verified = text
            .as_deref()
            .zip(text_hash.as_deref())
            .map(|(t, h)| sha256_hex(t) == h);
        out.push(AccessEvent {
            seq: r.get(0)?,
            action,
            purpose,
            policy_id: r.get(3)?,
            policy_version: r.get(4)?,
            policy_hash,
            text,
            text_hash,
            text_verified,
            locale,
            method: r.get(8)?,
            received_at: r.get(9)?,
            claimed_at: r.get(10)?,
            user_agent: r.get(11)?,
            hash: r.get(12)?,
        });
    }
    Ok(out)
}

/// The kept policies read so far, by hash (`None`: not kept, or no longer readable).
#[derive(Default)]
struct Texts(HashMap<String, Option<Policy>>);

impl Texts {
    fn get(
        &mut self,
        conn: &Connection,
        hash: &str,
        purpose: &str,
        locale: &str,
    ) -> rusqlite::Result<Option<String>> {
        if !self.0.contains_key(hash) {
            let policy = policies::by_hash(conn, hash)?.and_then(|j| Policy::from_json(&j).ok());
            self.0.insert(hash.to_owned(), policy);
        }
        Ok(self
            .0
            .get(hash)
            .and_then(Option::as_ref)
            .and_then(|p| p.purpose(purpose))
            .map(|p| p.text_for(locale).to_owned()))
    }
}

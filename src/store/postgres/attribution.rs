//! Where each contact came from, on PostgreSQL: the first source it was seen with and the
//! latest, one `attribution` row each, written in the transaction of the signup that brought it;
//! the same rules as the SQLite backend's `attribution` module (not consent evidence, never in the
//! chain, deleted by erasure).

use super::db::Db;
use crate::source::Source;
use crate::store::{Attribution, Touch};
use postgres::GenericClient;

/// Records `source` (already cleaned by validation) as contact `id`'s latest touch, and as its
/// first when it has none yet. A signup without a source changes nothing.
pub(super) fn record(
    db: &mut Db,
    id: i64,
    source: Option<&Source>,
    at: &str,
) -> Result<(), postgres::Error> {
    let Some(s) = source else { return Ok(()) };
    let values: [&(dyn postgres::types::ToSql + Sync); 9] = [
        &id,
        &s.path,
        &s.utm_source,
        &s.utm_medium,
        &s.utm_campaign,
        &s.utm_term,
        &s.utm_content,
        &s.form_id,
        &at,
    ];
    db.exec(
        "INSERT INTO attribution (contact_id, touch, path, utm_source, utm_medium, utm_campaign,
            utm_term, utm_content, form_id, at)
         VALUES ($1, 'first', $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (contact_id, touch) DO NOTHING",
        &values,
    )?;
    db.exec(
        "INSERT INTO attribution (contact_id, touch, path, utm_source, utm_medium, utm_campaign,
            utm_term, utm_content, form_id, at)
         VALUES ($1, 'last', $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (contact_id, touch) DO UPDATE SET path = EXCLUDED.path,
            utm_source = EXCLUDED.utm_source, utm_medium = EXCLUDED.utm_medium,
            utm_campaign = EXCLUDED.utm_campaign, utm_term = EXCLUDED.utm_term,
            utm_content = EXCLUDED.utm_content, form_id = EXCLUDED.form_id, at = EXCLUDED.at",
        &values,
    )?;
    Ok(())
}

/// Contact `id`'s first and latest touch (empty when it never came with a source); on any
/// client, so the export's read-only snapshot can ask too.
pub(super) fn read(
    client: &mut impl GenericClient,
    id: i64,
) -> Result<Attribution, postgres::Error> {
    let mut found = Attribution::default();
    for r in client.query(
        "SELECT touch, path, utm_source, utm_medium, utm_campaign, utm_term, utm_content,
                form_id, at
         FROM attribution WHERE contact_id = $1",
        &[&id],
    )? {
        let touch = Touch {
            source: Source {
                path: r.get(1),
                utm_source: r.get(2),
                utm_medium: r.get(3),
                utm_campaign: r.get(4),
                utm_term: r.get(5),
                utm_content: r.get(6),
                form_id: r.get(7),
            },
            at: r.get(8),
        };
        match r.get::<_, &str>(0) {
            "first" => found.first = Some(touch),
            _ => found.last = Some(touch),
        }
    }
    Ok(found)
}

/// Erasure: contact `id`'s attribution is gone with the rest of its data.
pub(super) fn forget(db: &mut Db, id: i64) -> Result<(), postgres::Error> {
    db.exec("DELETE FROM attribution WHERE contact_id = $1", &[&id])?;
    Ok(())
}

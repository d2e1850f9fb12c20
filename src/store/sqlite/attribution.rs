//! Where each contact came from (migration 5): the first source it was seen with and the latest,
//! one row each in `attribution`, written in the transaction of the signup that brought it.
//! Attribution, not consent evidence: nothing here enters the hash-chained consent log, and
//! erasure deletes the rows ([`forget`]).

use crate::source::Source;
use crate::store::{Attribution, Touch};
use rusqlite::{params, Connection, OptionalExtension};

/// Records `source` (already cleaned by validation) as contact `id`'s latest touch, and as its
/// first when it has none yet. A signup without a source changes nothing.
pub(super) fn record(
    conn: &Connection,
    id: i64,
    source: Option<&Source>,
    at: &str,
) -> rusqlite::Result<()> {
    let Some(s) = source else { return Ok(()) };
    for (touch, verb) in [("first", "INSERT OR IGNORE"), ("last", "INSERT OR REPLACE")] {
        conn.prepare_cached(&format!(
            "{verb} INTO attribution (contact_id, touch, path, utm_source, utm_medium,
                utm_campaign, utm_term, utm_content, form_id, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        ))?
        .execute(params![
            id,
            touch,
            s.path,
            s.utm_source,
            s.utm_medium,
            s.utm_campaign,
            s.utm_term,
            s.utm_content,
            s.form_id,
            at
        ])?;
    }
    Ok(())
}

/// Contact `id`'s first and latest touch (empty when it never came with a source).
pub(super) fn read(conn: &Connection, id: i64) -> rusqlite::Result<Attribution> {
    let mut stmt = conn.prepare_cached(
        "SELECT path, utm_source, utm_medium, utm_campaign, utm_term, utm_content, form_id, at
         FROM attribution WHERE contact_id = ?1 AND touch = ?2",
    )?;
    let mut touch = |which: &str| {
        stmt.query_row(params![id, which], |r| {
            Ok(Touch {
                source: Source {
                    path: r.get(0)?,
                    utm_source: r.get(1)?,
                    utm_medium: r.get(2)?,
                    utm_campaign: r.get(3)?,
                    utm_term: r.get(4)?,
                    utm_content: r.get(5)?,
                    form_id: r.get(6)?,
                },
                at: r.get(7)?,
            })
        })
        .optional()
    };
    Ok(Attribution {
        first: touch("first")?,
        last: touch("last")?,
    })
}

/// Erasure: contact `id`'s attribution is gone with the rest of its data.
pub(super) fn forget(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM attribution WHERE contact_id = ?1")?
        .execute([id])?;
    Ok(())
}

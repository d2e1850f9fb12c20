//! `migrate`'s target side: copies every row a source store streams ([`crate::store::copy`])
//! into an empty PostgreSQL store in one transaction holding the chain lock (ids, sequence
//! numbers and hashes as they are), moves the chain head and the id sequences past them, and
//! then proves the copy: every chain link, the same head, the same counts.

use super::chain::{head, lock_head, store_head};
use super::db::Db;
use super::{read, Postgres};
use crate::store::copy::{Cell, Kind, MigrateReport, Sink, Table, TABLES};
use crate::store::{ChainCheck, ChainHead, Stats, StoreError};
use postgres::types::ToSql;
use std::collections::HashMap;

/// A source's rows, table by table: it calls the sink with each row of each table in order.
pub(crate) type Source<'a> = &'a mut dyn FnMut(Sink<'_>) -> Result<(), StoreError>;

/// Copies `source` (whose counts are `stats` and chain head `source_head`) into the empty
/// store at `url`, then proves it.
pub(crate) fn load(
    url: &str,
    source: Source<'_>,
    stats: Stats,
    source_head: &ChainHead,
) -> Result<MigrateReport, StoreError> {
    let target = Postgres::open(url)?;
    let mut db = target.db.into_inner();
    let err = |e: postgres::Error| StoreError(format!("cannot copy into PostgreSQL: {e}"));
    let already = read::stats(&mut db).map_err(err)?;
    if already.contacts > 0 || already.events > 0 || already.idempotency > 0 {
        return Err(StoreError(format!(
            "store.target_not_empty: the target already holds {} contacts and {} events; \
             migrate copies into an empty database only",
            already.contacts, already.events
        )));
    }
    db.batch("BEGIN").map_err(err)?;
    let mut counts: Vec<(&'static str, u64)> = TABLES.iter().map(|t| (t.name, 0)).collect();
    let copied = (|| {
        lock_head(&mut db).map_err(err)?;
        let mut statements = HashMap::new();
        source(&mut |table, cells| {
            let stmt = match statements.get(table.name) {
                Some(s) => s,
                None => {
                    let s = db.client.prepare(&insert_sql(table)).map_err(err)?;
                    statements.entry(table.name).or_insert(s)
                }
            };
            let values = typed(table, cells)?;
            let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| &**v).collect();
            db.client.execute(stmt, &params).map_err(err)?;
            if let Some(c) = counts.iter_mut().find(|(n, _)| *n == table.name) {
                c.1 += 1;
            }
            Ok(())
        })?;
        let last = head(&mut db).map_err(err)?;
        store_head(&mut db, &last).map_err(err)?;
        db.batch(
            "SELECT setval(pg_get_serial_sequence('contacts', 'id'), coalesce(max(id), 0) + 1, false)
               FROM contacts;
             SELECT setval(pg_get_serial_sequence('outbox', 'id'), coalesce(max(id), 0) + 1, false)
               FROM outbox;",
        )
        .map_err(err)?;
        Ok::<_, StoreError>(())
    })();
    match copied {
        Ok(()) => db.batch("COMMIT").map_err(err)?,
        Err(e) => {
            let _ = db.batch("ROLLBACK");
            return Err(e);
        }
    }
    prove(&mut db, counts, stats, source_head)
}

/// Checks the copy: chain intact with the source's head, and the source's counts.
fn prove(
    db: &mut Db,
    rows: Vec<(&'static str, u64)>,
    stats: Stats,
    source_head: &ChainHead,
) -> Result<MigrateReport, StoreError> {
    let err = |e: postgres::Error| StoreError(format!("cannot check the copy: {e}"));
    let (events, head) = match super::chain::verify(db).map_err(err)? {
        ChainCheck::Intact { events, head } => (events, head),
        ChainCheck::Broken { seq, reason } => {
            return Err(StoreError(format!(
                "the copy's consent log is broken at event {seq}: {reason}"
            )))
        }
    };
    if head != source_head.hash {
        return Err(StoreError(format!(
            "the copy's chain head {head} is not the source's {}",
            source_head.hash
        )));
    }
    let copied = read::stats(db).map_err(err)?;
    if copied != stats {
        return Err(StoreError(format!(
            "the copy's counts {copied:?} differ from the source's {stats:?}"
        )));
    }
    Ok(MigrateReport {
        rows,
        stats: copied,
        events,
        head,
    })
}

/// `INSERT INTO table (columns) VALUES ($1, …)`; the settings table takes the source's values.
fn insert_sql(table: &Table) -> String {
    let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    let conflict = match table.name {
        "meta" => " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        "policies" => " ON CONFLICT (hash) DO NOTHING",
        "webhook_endpoints" => " ON CONFLICT (url) DO NOTHING",
        _ => "",
    };
    format!(
        "INSERT INTO {} ({}) VALUES ({}){conflict}",
        table.name,
        columns.join(", "),
        marks.join(", ")
    )
}

/// The row's cells as the column kinds say.
fn typed(table: &Table, cells: Vec<Cell>) -> Result<Vec<Box<dyn ToSql + Sync>>, StoreError> {
    if cells.len() != table.columns.len() {
        return Err(StoreError(format!(
            "{}: a row of the wrong width",
            table.name
        )));
    }
    let mut out: Vec<Box<dyn ToSql + Sync>> = Vec::with_capacity(cells.len());
    for ((column, kind), cell) in table.columns.iter().zip(cells) {
        let bad = || {
            StoreError(format!(
                "{}.{column}: a value of the wrong type",
                table.name
            ))
        };
        out.push(match (kind, cell) {
            (Kind::Text, Cell::Null) => Box::new(None::<String>),
            (Kind::Int, Cell::Null) => Box::new(None::<i64>),
            (Kind::Bool, Cell::Null) => Box::new(None::<bool>),
            (Kind::Text, Cell::Text(t)) => Box::new(t),
            (Kind::Int, Cell::Int(n)) => Box::new(n),
            (Kind::Bool, Cell::Int(n)) => Box::new(n != 0),
            (Kind::Text, Cell::Int(n)) => Box::new(n.to_string()),
            _ => return Err(bad()),
        });
    }
    Ok(out)
}

//! Streams a table of the SQLite file out as backend-neutral rows, for `migrate` (in one read
//! transaction, so the copy is one consistent state of the file).
#![cfg_attr(not(feature = "postgres"), allow(dead_code))]

use super::read_err;
use crate::store::copy::{Cell, Table};
use crate::store::StoreError;
use rusqlite::types::ValueRef;
use rusqlite::Connection;

/// Calls `each` with every row of `table`, in its order.
pub(super) fn rows(
    conn: &Connection,
    table: &Table,
    mut each: impl FnMut(Vec<Cell>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {}",
        columns.join(", "),
        table.name,
        table.order
    );
    let mut stmt = conn.prepare(&sql).map_err(read_err)?;
    let mut rows = stmt.query([]).map_err(read_err)?;
    while let Some(r) = rows.next().map_err(read_err)? {
        let mut cells = Vec::with_capacity(columns.len());
        for i in 0..columns.len() {
            cells.push(match r.get_ref(i).map_err(read_err)? {
                ValueRef::Null => Cell::Null,
                ValueRef::Integer(n) => Cell::Int(n),
                ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Real(f) => Cell::Text(f.to_string()),
                ValueRef::Blob(b) => Cell::Text(String::from_utf8_lossy(b).into_owned()),
            });
        }
        each(cells)?;
    }
    Ok(())
}

//! One PostgreSQL connection with its prepared statements cached by SQL text (the writer runs
//! the same few statements for every job: parsed once per connection), and the mapping of the
//! client's errors onto the store's: a lost connection, a server shutting down, a deadlock or a
//! serialization failure is `Unavailable` (503, retry), anything else `Internal`.

use crate::store::{StoreError, WriteError};
use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};
use std::collections::HashMap;

/// Parameters of one statement.
pub(super) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// A connection and its statement cache.
pub(super) struct Db {
    pub(super) client: Client,
    cache: HashMap<&'static str, Statement>,
}

impl Db {
    /// Connects to `url` and sets the session up: acknowledged commits are flushed to the
    /// server's WAL (`synchronous_commit = on`, whatever the server's default), times in UTC.
    pub(super) fn connect(url: &str) -> Result<Db, postgres::Error> {
        let mut config: postgres::Config = url.parse()?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(5));
        }
        let mut client = config.connect(NoTls)?;
        client.batch_execute("SET synchronous_commit = on; SET TIME ZONE 'UTC';")?;
        Ok(Db {
            client,
            cache: HashMap::new(),
        })
    }

    fn stmt(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        if let Some(s) = self.cache.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql)?;
        self.cache.insert(sql, s.clone());
        Ok(s)
    }

    /// Runs a statement; rows changed.
    pub(super) fn exec(
        &mut self,
        sql: &'static str,
        p: Params<'_>,
    ) -> Result<u64, postgres::Error> {
        let s = self.stmt(sql)?;
        self.client.execute(&s, p)
    }

    /// At most one row.
    pub(super) fn opt(
        &mut self,
        sql: &'static str,
        p: Params<'_>,
    ) -> Result<Option<Row>, postgres::Error> {
        let s = self.stmt(sql)?;
        self.client.query_opt(&s, p)
    }

    /// Exactly one row.
    pub(super) fn one(&mut self, sql: &'static str, p: Params<'_>) -> Result<Row, postgres::Error> {
        let s = self.stmt(sql)?;
        self.client.query_one(&s, p)
    }

    /// Every row.
    pub(super) fn all(
        &mut self,
        sql: &'static str,
        p: Params<'_>,
    ) -> Result<Vec<Row>, postgres::Error> {
        let s = self.stmt(sql)?;
        self.client.query(&s, p)
    }

    /// Runs SQL text without parameters (transaction control, DDL).
    pub(super) fn batch(&mut self, sql: &str) -> Result<(), postgres::Error> {
        self.client.batch_execute(sql)
    }

    /// Whether the connection is gone (the server restarted, the network dropped it).
    pub(super) fn is_closed(&self) -> bool {
        self.client.is_closed()
    }
}

/// Whether an error says "try again later" rather than "this request is wrong".
pub(super) fn transient(e: &postgres::Error) -> bool {
    match e.code() {
        // 08: connection, 53: resources, 57: operator intervention (shutdown), 40: rollback
        // (serialization failure, deadlock), 55P03: lock not available.
        Some(code) => {
            let c = code.code();
            c.starts_with("08")
                || c.starts_with("53")
                || c.starts_with("57")
                || c.starts_with("40")
                || c == "55P03"
        }
        // No SQLSTATE: an I/O error or a closed connection.
        None => true,
    }
}

/// Whether `e` is a unique-key violation (two replicas inserting the same person at once).
pub(super) fn unique_violation(e: &postgres::Error) -> bool {
    e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION)
}

/// How an `Internal` error from a unique-key violation begins (the writer tries such a job again).
pub(super) const RACED: &str = "unique key race: ";

impl From<postgres::Error> for WriteError {
    fn from(e: postgres::Error) -> Self {
        if unique_violation(&e) {
            WriteError::Internal(format!("{RACED}{e}"))
        } else if transient(&e) {
            WriteError::Unavailable(e.to_string())
        } else {
            WriteError::Internal(e.to_string())
        }
    }
}

/// A read that failed after the store was opened (export, chain check, stats).
pub(super) fn read_err(e: postgres::Error) -> StoreError {
    StoreError(format!("cannot read the database: {e}"))
}

/// The URL without its password, for messages.
pub(super) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..s + 3], &userinfo[..colon], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

//! PostgreSQL for the tests: the throwaway cluster `scripts/pg-cluster.sh` starts (its URL in
//! `SG_TEST_PG_URL`, exported by `scripts/test.sh`) and a fresh database per test, so tests
//! never see each other's rows. Without the URL a test fails when `SG_REQUIRE_PG=1` (CI) and
//! otherwise runs its SQLite half only, saying so.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// The cluster's URL, or `None` (with a printed line) when it is not given and not required.
pub(crate) fn cluster_url() -> Option<String> {
    match std::env::var("SG_TEST_PG_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("SG_REQUIRE_PG").as_deref() != Ok("1"),
                "SG_REQUIRE_PG=1 but SG_TEST_PG_URL is not set: start a cluster with \
                 `bash scripts/pg-cluster.sh start` and export SG_TEST_PG_URL=<the URL it prints>"
            );
            eprintln!(
                "skipping the PostgreSQL half: SG_TEST_PG_URL is not set \
                 (bash scripts/pg-cluster.sh start prints one)"
            );
            None
        }
    }
}

/// A new, empty database on the cluster for the test `tag`; its URL.
pub(crate) fn fresh_database(tag: &str) -> Option<String> {
    let admin = cluster_url()?;
    let name = format!(
        "sg_{}_{}_{}",
        tag.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut client = postgres::Client::connect(&admin, postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot reach the test cluster at {admin}: {e}"));
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let base = admin.split('?').next().unwrap_or(&admin);
    let cut = base.rfind('/').expect("a URL with a database name");
    Some(format!("{}/{name}", &base[..cut]))
}

/// A client on the database at `url` (to look inside, or to break things on purpose).
pub(crate) fn client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

/// One number from a query.
pub(crate) fn count(url: &str, sql: &str) -> i64 {
    client(url).query_one(sql, &[]).unwrap().get(0)
}

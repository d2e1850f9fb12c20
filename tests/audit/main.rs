//! `audit` on CSV files the tests write, with errors placed at known rows.
//!
//! One test binary: the helpers below, then the file as a whole (`list`), each cell's verdict
//! (`verdicts`) and each row's status (`reachability`).
//!
//! Run: `cargo test --features cli --test audit`.
#![cfg(feature = "cli")]

use signup_guard::audit::{audit, Options, Report};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod list;
mod reachability;
mod verdicts;

/// A scratch directory, removed when the test ends.
struct TmpDir(PathBuf);

impl std::ops::Deref for TmpDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TmpDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tmp_dir(test: &str) -> TmpDir {
    let dir = std::env::temp_dir().join(format!("sg-audit-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TmpDir(dir)
}

fn sg(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_signup-guard"))
        .current_dir(dir)
        .arg("audit")
        .args(args)
        .output()
        .unwrap()
}

fn read_csv(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).unwrap()
}

/// A list with one kind of row per `i % 10`, so every count is known in advance.
fn known_list(n: usize) -> String {
    let mut s = String::from("ID,Nama,Surel,No. HP,Negara\n");
    for i in 0..n {
        let row = match i % 10 {
            0..=2 => format!("{i},Ani,ani{i}@tokobudi.co.id,,ID"),
            // Fixed: spaces around, domain in capitals.
            3 => format!("{i},Budi,\" Budi{i}@TokoBudi.CO.ID \",,ID"),
            // Fixed: a national phone number (the lowercase country code alone is no fix).
            4 => format!(
                "{i},Citra,citra{i}@tokobudi.co.id,0812-3456-{:04},id",
                i % 10_000
            ),
            5 => format!("{i},Dewi,dewi{i}.tokobudi.co.id,,ID"),
            // Reachable by email: an unknown country only flags the row for review.
            6 => format!("{i},Eka,eka{i}@tokobudi.co.id,,XX"),
            // Two errors in one row, neither in a contact cell: still ok, to review.
            7 => format!("{i},www.promo-murah.com,fajar{i}@tokobudi.co.id,,XX"),
            // The same person as row i-8 (kind 0), typed in capitals.
            8 => format!("{i},ANI,ANI{}@TOKOBUDI.CO.ID,,ID", i - 8),
            // No email and no phone: not a contact.
            _ => format!("{i},Gita,,,ID"),
        };
        s.push_str(&row);
        s.push('\n');
    }
    s
}

/// Runs the binary on `csv` (written as `in.csv`) with `args`; returns the exit code, the output
/// rows (header first) and the report.
fn run_audit(dir: &Path, csv: &str, args: &[&str]) -> (Option<i32>, Vec<Vec<String>>, Report) {
    std::fs::write(dir.join("in.csv"), csv).unwrap();
    let mut all = vec!["in.csv", "--out", "out.csv", "--report", "report.json"];
    all.extend_from_slice(args);
    let run = sg(dir, &all);
    assert_ne!(run.status.code(), Some(2), "{run:?}");
    let rows = read_csv(&std::fs::read(dir.join("out.csv")).unwrap(), b',');
    let report = serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    (run.status.code(), rows, report)
}

/// The sg_ cells of data row `i` (1-based, as in `rows`) by column name.
fn cell<'a>(rows: &'a [Vec<String>], i: usize, name: &str) -> &'a str {
    &rows[i][column(rows, name)]
}

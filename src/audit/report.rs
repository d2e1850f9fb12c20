//! The audit's findings: counted row by row, then shown as a summary and written as JSON.
//!
//! Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.

use super::row::Outcome;
use super::status::Status;
use crate::issue::{Code, Field};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How many entries the "top" lists keep.
pub const TOP: usize = 10;
/// Distinct typo pairs remembered (a bound on memory for pathological files).
const MAX_TYPO_PAIRS: usize = 10_000;

/// Counts kept while rows are written.
#[derive(Debug, Default)]
pub struct Tally {
    /// Rows per status: ok, fixed, invalid, duplicate, suppressed, no_consent.
    pub status: [u64; 6],
    /// Rows that repeat an earlier contact, whatever their status.
    pub repeats: u64,
    /// Rows flagged for review.
    pub review: u64,
    /// Consent cells read as given, refused, unknown.
    pub consent: [u64; 3],
    /// Rows whose country was a name, read as its code.
    pub country_names: u64,
    /// Rows per issue (field, code).
    pub issues: HashMap<(Field, Code), u64>,
    /// Rows offered a suggestion.
    pub suggestions: u64,
    /// Typo fixes offered, by (domain typed, domain suggested).
    pub typos: HashMap<(String, String), u64>,
    /// Rows with undecodable bytes (`--lossy`).
    pub undecodable_rows: u64,
    /// Rows with more fields than the header.
    pub ragged_rows: u64,
}

impl Tally {
    /// Counts one row.
    pub fn add(&mut self, status: Status, row: &Outcome, repeat: bool) {
        self.status[status as usize] += 1;
        self.repeats += u64::from(repeat);
        self.review += u64::from(row.review);
        self.country_names += u64::from(row.country_named);
        if let Some(c) = row.consent {
            self.consent[c as usize] += 1;
        }
        for &(field, code) in &row.issues {
            *self.issues.entry((field, code)).or_insert(0) += 1;
        }
        if row.suggestion.is_some() {
            self.suggestions += 1;
        }
        if let Some(pair) = &row.typo {
            if let Some(n) = self.typos.get_mut(pair) {
                *n += 1;
            } else if self.typos.len() < MAX_TYPO_PAIRS {
                self.typos.insert(pair.clone(), 1);
            }
        }
    }
}

/// Which column was read as which field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnUse {
    /// The field.
    pub field: Field,
    /// The header cell.
    pub header: String,
    /// 1-based column number.
    pub column: usize,
}

/// Rows per status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Reachable as typed.
    pub ok: u64,
    /// Reachable once normalized.
    pub fixed: u64,
    /// No usable email and no usable phone.
    pub invalid: u64,
    /// Repeats of an earlier row.
    pub duplicate: u64,
    /// On the suppression list.
    pub suppressed: u64,
    /// Unsubscribed or not opted in.
    pub no_consent: u64,
}

/// Shares of all rows (0 to 1, four decimals); `valid` is ok + fixed (safe to contact).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Shares {
    /// ok + fixed.
    pub valid: f64,
    /// Reachable as typed.
    pub ok: f64,
    /// Reachable once normalized.
    pub fixed: f64,
    /// No usable email and no usable phone.
    pub invalid: f64,
    /// Repeats of an earlier row.
    pub duplicate: f64,
    /// On the suppression list.
    pub suppressed: f64,
    /// Unsubscribed or not opted in.
    pub no_consent: f64,
}

/// What the consent column said (`sg_consent`), in rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentCounts {
    /// Subscribed or opted in (`yes`).
    pub given: u64,
    /// Unsubscribed or not opted in (`no`).
    pub refused: u64,
    /// A value not recognized (`unknown`; the row is flagged for review).
    pub unknown: u64,
}

/// The suppression list read (`--suppress`); the rows it matched are `counts.suppressed`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppressionList {
    /// Distinct email addresses on it.
    pub emails: u64,
    /// Distinct phone numbers on it.
    pub phones: u64,
    /// Lines that were not a valid email address or phone number (not used).
    pub unreadable_lines: u64,
}

/// How many rows had one issue (`email.tld_unknown`, `family_name:name.url`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueCount {
    /// The issue as written in `sg_issues`.
    pub issue: String,
    /// Error or warning.
    pub severity: crate::Severity,
    /// Rows with it.
    pub rows: u64,
}

/// One kind of typo fix offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Typo {
    /// The domain as typed.
    pub from: String,
    /// The domain suggested.
    pub to: String,
    /// Rows offered this fix.
    pub rows: u64,
}

/// Suggestions offered (`sg_suggestion`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestions {
    /// Rows with a suggestion.
    pub offered: u64,
    /// The most frequent domain fixes.
    pub top: Vec<Typo>,
}

/// One group of rows with the same contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// The row kept (the first occurrence).
    pub first_row: u64,
    /// Rows in the group, the first included.
    pub rows: u64,
}

/// Duplicate rows and groups.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicates {
    /// Rows marked duplicate.
    pub rows: u64,
    /// Groups (contacts that occur more than once).
    pub groups: u64,
    /// The largest groups.
    pub largest: Vec<Group>,
}

/// The report (`--report` JSON); its `Display` is the stderr summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The file audited.
    pub file: String,
    /// Data rows (the header not counted).
    pub rows: u64,
    /// The field delimiter.
    pub delimiter: String,
    /// Whether the file began with a UTF-8 byte-order mark.
    pub bom: bool,
    /// Columns read, in form order.
    pub columns: Vec<ColumnUse>,
    /// Rows per status.
    pub counts: Counts,
    /// Shares per status.
    pub shares: Shares,
    /// Reachable rows with a cell that needs a human (`sg_review` = `yes`).
    pub review: u64,
    /// The consent column, read.
    pub consent: ConsentCounts,
    /// Rows whose country was written as a name and read as its code.
    pub country_names: u64,
    /// The suppression list.
    pub suppression: SuppressionList,
    /// Every issue seen, most frequent first.
    pub issues: Vec<IssueCount>,
    /// Typo suggestions.
    pub suggestions: Suggestions,
    /// Duplicates.
    pub duplicates: Duplicates,
    /// Rows whose undecodable bytes were replaced (`--lossy`).
    pub undecodable_rows: u64,
    /// Rows with more fields than the header (the extra cells are kept after the sg_ columns).
    pub ragged_rows: u64,
    /// Wall time.
    pub seconds: f64,
    /// Rows per second.
    pub rows_per_second: f64,
}

fn share(n: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        (n as f64 / total as f64 * 10_000.0).round() / 10_000.0
    }
}

impl Report {
    /// Fills counts, shares and the top lists from a tally.
    pub fn fill(&mut self, tally: Tally, groups: u64, largest: Vec<(u64, u64)>) {
        let [ok, fixed, invalid, duplicate, suppressed, no_consent] = tally.status;
        let rows = tally.status.iter().sum();
        self.rows = rows;
        self.counts = Counts {
            ok,
            fixed,
            invalid,
            duplicate,
            suppressed,
            no_consent,
        };
        self.shares = Shares {
            valid: share(ok + fixed, rows),
            ok: share(ok, rows),
            fixed: share(fixed, rows),
            invalid: share(invalid, rows),
            duplicate: share(duplicate, rows),
            suppressed: share(suppressed, rows),
            no_consent: share(no_consent, rows),
        };
        self.review = tally.review;
        let [given, refused, unknown] = tally.consent;
        self.consent = ConsentCounts {
            given,
            refused,
            unknown,
        };
        self.country_names = tally.country_names;
        let mut issues: Vec<IssueCount> = tally
            .issues
            .into_iter()
            .map(|((field, code), rows)| IssueCount {
                issue: super::row::issue_label(field, code),
                severity: code.severity(),
                rows,
            })
            .collect();
        issues.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.issue.cmp(&b.issue)));
        self.issues = issues;
        let mut typos: Vec<Typo> = tally
            .typos
            .into_iter()
            .map(|((from, to), rows)| Typo { from, to, rows })
            .collect();
        typos.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.from.cmp(&b.from)));
        typos.truncate(TOP);
        self.suggestions = Suggestions {
            offered: tally.suggestions,
            top: typos,
        };
        self.duplicates = Duplicates {
            rows: tally.repeats,
            groups,
            largest: largest
                .into_iter()
                .map(|(first_row, rows)| Group { first_row, rows })
                .collect(),
        };
        self.undecodable_rows = tally.undecodable_rows;
        self.ragged_rows = tally.ragged_rows;
    }

    /// Whether every row is `ok` or `fixed` and none is flagged for review (exit status 0).
    pub fn all_clean(&self) -> bool {
        let c = &self.counts;
        c.ok + c.fixed == self.rows && self.review == 0
    }
}

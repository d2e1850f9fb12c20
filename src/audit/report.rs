//! The audit's findings: counted row by row, then shown as a summary and written as JSON.
//!
//! Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.

use super::consent::Consent;
use super::row::Outcome;
use crate::issue::{Code, Field};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// How many entries the "top" lists keep.
pub const TOP: usize = 10;
/// Distinct typo pairs remembered (a bound on memory for pathological files).
const MAX_TYPO_PAIRS: usize = 10_000;

/// A row's status in the cleaned file (`sg_status`): `ok` and `fixed` are safe to contact.
///
/// The first that applies wins: `invalid` (no usable email and no usable phone), `suppressed`,
/// `no_consent`, `duplicate`, `fixed`, `ok`. The columns `sg_duplicate_of`, `sg_consent` and
/// `sg_review` keep what a higher status hides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Reachable, as typed.
    Ok,
    /// Reachable once normalized (`sg_email`, `sg_phone_e164` or `sg_country` shows the fix).
    Fixed,
    /// No usable email and no usable phone: this row cannot be contacted.
    Invalid,
    /// Reachable, but an earlier row has the same email (or, without email, the same phone).
    Duplicate,
    /// Reachable, but its email or phone is on the `--suppress` list.
    Suppressed,
    /// Reachable, but the consent column says unsubscribed or not opted in.
    NoConsent,
}

impl Status {
    /// The `sg_status` cell.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Fixed => "fixed",
            Status::Invalid => "invalid",
            Status::Duplicate => "duplicate",
            Status::Suppressed => "suppressed",
            Status::NoConsent => "no_consent",
        }
    }

    /// The status of a checked row, `duplicate` when an earlier row has its contact key.
    pub(crate) fn of(row: &Outcome, duplicate: bool) -> Status {
        if !row.reachable {
            Status::Invalid
        } else if row.suppressed {
            Status::Suppressed
        } else if row.consent == Some(Consent::Refused) {
            Status::NoConsent
        } else if duplicate {
            Status::Duplicate
        } else if row.fixed {
            Status::Fixed
        } else {
            Status::Ok
        }
    }
}

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

/// `1 row`, `2 rows`.
fn counted(n: u64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let delim = match self.delimiter.as_str() {
            "\t" => "tab".to_owned(),
            d => format!("'{d}'"),
        };
        writeln!(
            f,
            "{}: {} row{}, delimiter {delim}{}",
            self.file,
            self.rows,
            if self.rows == 1 { "" } else { "s" },
            if self.bom { ", UTF-8 with BOM" } else { "" }
        )?;
        let cols: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("{}={:?}", c.field.as_str(), c.header))
            .collect();
        writeln!(f, "  columns    {}", cols.join(", "))?;
        let c = &self.counts;
        let s = &self.shares;
        for (name, n, share) in [
            ("ok", c.ok, s.ok),
            ("fixed", c.fixed, s.fixed),
            ("invalid", c.invalid, s.invalid),
            ("duplicate", c.duplicate, s.duplicate),
            ("suppressed", c.suppressed, s.suppressed),
            ("no_consent", c.no_consent, s.no_consent),
        ] {
            writeln!(f, "  {name:<10} {n:>9}  {:>6}", pct(share))?;
        }
        writeln!(
            f,
            "  review     {:>9}  reachable rows with a cell to look at (sg_review)",
            self.review
        )?;
        let consent = &self.consent;
        if consent.given + consent.refused + consent.unknown > 0 {
            writeln!(
                f,
                "  consent    yes {}, no {}, unrecognized {}",
                consent.given, consent.refused, consent.unknown
            )?;
        }
        if self.country_names > 0 {
            writeln!(
                f,
                "  countries  {} written as names, read as codes",
                self.country_names
            )?;
        }
        let list = &self.suppression;
        if list.emails + list.phones + list.unreadable_lines > 0 {
            writeln!(
                f,
                "  suppression list: {}, {}, {} unreadable; {} matched",
                counted(list.emails, "email"),
                counted(list.phones, "phone"),
                counted(list.unreadable_lines, "line"),
                counted(c.suppressed, "row")
            )?;
        }
        if !self.issues.is_empty() {
            writeln!(f, "  top issues")?;
            for i in self.issues.iter().take(TOP) {
                writeln!(f, "    {:>9}  {}", i.rows, i.issue)?;
            }
        }
        if self.suggestions.offered > 0 {
            let top: Vec<String> = self
                .suggestions
                .top
                .iter()
                .take(5)
                .map(|t| format!("{} → {} ({})", t.from, t.to, t.rows))
                .collect();
            writeln!(
                f,
                "  suggestions {} offered: {}",
                self.suggestions.offered,
                top.join(", ")
            )?;
        }
        if self.duplicates.groups > 0 {
            let top: Vec<String> = self
                .duplicates
                .largest
                .iter()
                .take(5)
                .map(|g| format!("row {} ×{}", g.first_row, g.rows))
                .collect();
            writeln!(
                f,
                "  duplicates {} rows in {} group{}; largest: {}",
                self.duplicates.rows,
                self.duplicates.groups,
                if self.duplicates.groups == 1 { "" } else { "s" },
                top.join(", ")
            )?;
        }
        if self.undecodable_rows > 0 {
            writeln!(
                f,
                "  {} rows had undecodable bytes (replaced by U+FFFD)",
                self.undecodable_rows
            )?;
        }
        if self.ragged_rows > 0 {
            writeln!(
                f,
                "  {} rows have more cells than the header (kept after the sg_ columns)",
                self.ragged_rows
            )?;
        }
        write!(
            f,
            "  {:.2} s, {:.0} rows/s",
            self.seconds, self.rows_per_second
        )
    }
}

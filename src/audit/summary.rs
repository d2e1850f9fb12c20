//! The summary printed on stderr: the report's [`Display`](std::fmt::Display).

use super::report::{Report, TOP};
use std::fmt;

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

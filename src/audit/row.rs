//! One row: the core's field rules on each mapped cell, nothing else.
//!
//! Each present cell goes through the same parser the form, the CLI `check` and the browser use
//! (`check::email`, `check_phone` with the row's country or the default as region,
//! `check::name`, `check::country`: the policy's limits included), so an audit gives the verdicts
//! the form and the browser give.
//! Two audit-only readings follow the core's: a country cell the core refuses is looked up as a
//! name ([`country_names`](super::country_names)), and the consent cell is read
//! ([`consent`](super::consent)). What one cell comes to, and the worker's memo of the cells
//! that repeat (names, countries, consent), are [`cell`](super::cell)'s.
//!
//! Empty cells are absent, not errors. A row is *reachable* when its email or its phone is usable
//! (parsed without an error); one that is not gets `input.required` when both cells are empty
//! (on the email column, or the phone column when there is no email column). Errors elsewhere
//! (a name, a country, the other contact cell) never make a row unreachable: they are listed and
//! flag the row for review. A row is *fixed* when its usable email or phone, normalized, differs
//! from the cell as typed, or its country was written as a name (the `sg_email`,
//! `sg_phone_e164` and `sg_country` columns carry the fix; a name's collapsed spaces or a country
//! code's letter case are not reported as fixes).

use super::cell::{Cell, CountryCell, Memo, Table};
use super::consent::{self, Consent};
use super::input::{decode, Decoded};
use super::suppress::Suppression;
use super::{columns::Columns, AuditError};
use crate::check;
use crate::hygiene::is_trimmable;
use crate::issue::{Code, Field};
use crate::policy::Policy;
use crate::Country;
use csv::ByteRecord;
use sha2::{Digest, Sha256};
use std::rc::Rc;

/// A dedup key: the first 128 bits of SHA-256 of the core's key (collisions are not a concern at
/// 2^-64 for 2^32 rows), so the dedup table holds 16 bytes per contact, not the address.
pub(super) type Key = u128;

/// The dedup key of a core key (an email's [`Email::key`](crate::Email::key) or a phone's E.164).
pub(super) fn key_of(s: &str) -> Key {
    let digest = Sha256::digest(s.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    u128::from_le_bytes(b)
}

/// What the rules say about one row, before deduplication.
#[derive(Debug, Default)]
pub struct Outcome {
    /// A usable email or phone: the row can be contacted (otherwise its status is `invalid`).
    pub reachable: bool,
    /// The usable email or phone, normalized, differs from its cell, or the country was a name.
    pub fixed: bool,
    /// Reachable, but some cell has an error or the consent value is not recognized.
    pub review: bool,
    /// The stored email, when the email is usable.
    pub email: Option<String>,
    /// E.164, when the phone is usable.
    pub phone: Option<String>,
    /// Dedup key of the usable email.
    pub email_key: Option<Key>,
    /// Dedup key of the usable phone.
    pub phone_key: Option<Key>,
    /// The country cell's ISO code (typed as a code or as a name).
    pub country: Option<Country>,
    /// The country cell was a name, read as its code.
    pub country_named: bool,
    /// The consent cell, read; `None` without a consent column or with an empty cell.
    pub consent: Option<Consent>,
    /// The email or the phone is on the suppression list.
    pub suppressed: bool,
    /// Every issue, in form order.
    pub issues: Vec<(Field, Code)>,
    /// The first suggested replacement (a typo fix).
    pub suggestion: Option<String>,
    /// The typo as (domain typed, domain suggested), for the report.
    pub typo: Option<(String, String)>,
    /// With `--lossy`, the record with undecodable bytes replaced by U+FFFD.
    pub replaced: Option<ByteRecord>,
}

/// Everything a worker needs to check rows.
#[derive(Debug, Clone)]
pub(super) struct Rules<'a> {
    /// Which column holds which field.
    pub columns: &'a Columns,
    /// Phone types and name limits.
    pub policy: &'a Policy,
    /// The phone region when a row has no (valid) country.
    pub default_country: Option<Country>,
    /// Replace undecodable bytes instead of stopping.
    pub lossy: bool,
    /// Header names, for error messages.
    pub headers: &'a [String],
    /// Contacts that must not be contacted (`--suppress`).
    pub suppress: &'a Suppression,
    /// The columns of the policy's custom fields, with their ids.
    pub custom: &'a [(usize, String)],
}

fn present(cell: Option<(&str, bool)>) -> Option<(&str, bool)> {
    cell.filter(|(v, _)| !v.trim_matches(is_trimmable).is_empty())
}

fn domain(address: &str) -> &str {
    address.rsplit_once('@').map_or("", |(_, d)| d)
}

/// Checks one record against the rules.
pub(super) fn check(
    record: &ByteRecord,
    rules: &Rules<'_>,
    memo: &mut Memo,
) -> Result<Outcome, AuditError> {
    let decoded = decode(record, rules.lossy, rules.headers)?;
    let cell = |col: Option<usize>| present(col.and_then(|c| decoded.cell(c)));
    let cols = rules.columns;
    let mut out = Outcome::default();

    let country = cell(cols.country).map(|(raw, touched)| {
        if touched {
            Rc::new(CountryCell {
                cell: Cell::undecodable(Field::Country),
                ..CountryCell::default()
            })
        } else {
            memo.country.get_or(raw, || CountryCell::of(raw))
        }
    });
    out.country = country.as_ref().and_then(|c| c.code);
    out.country_named = country.as_ref().is_some_and(|c| c.named);
    let region = out.country.or(rules.default_country);

    let email = cell(cols.email).map(|(raw, touched)| {
        if touched {
            return Cell::undecodable(Field::Email);
        }
        let checked = check::email(raw, rules.policy);
        let result = Cell::of(&checked, raw, |e| e.stored());
        if let Some(e) = checked.value.filter(|_| !result.error) {
            out.email_key = Some(key_of(e.key()));
            out.email = Some(e.stored().to_owned());
        }
        if let Some(s) = &result.suggestion {
            let typed = domain(raw.trim_matches(is_trimmable)).to_lowercase();
            out.typo = Some((typed, domain(s).to_owned()));
        }
        result
    });
    let phone = cell(cols.phone).map(|(raw, touched)| {
        if touched {
            return Cell::undecodable(Field::Phone);
        }
        let checked = check::phone(raw, rules.policy, region);
        let result = Cell::of(&checked, raw, |p| p.e164());
        if let Some(p) = checked.value.filter(|_| !result.error) {
            out.phone_key = Some(key_of(p.e164()));
            out.phone = Some(p.e164().to_owned());
        }
        result
    });
    let name = |table: &mut Table<Cell>, col, field: Field| {
        cell(col).map(|(raw, touched)| {
            if touched {
                Rc::new(Cell::undecodable(field))
            } else {
                table.get_or(raw, || {
                    let checked = check::name(raw, field, rules.policy);
                    Cell::of(&checked, raw, |n| n.as_str())
                })
            }
        })
    };
    let given = name(&mut memo.given, cols.given_name, Field::GivenName);
    let family = name(&mut memo.family, cols.family_name, Field::FamilyName);

    out.consent = cell(cols.consent).map(|(raw, touched)| {
        if touched {
            Consent::Unknown
        } else {
            *memo
                .consent
                .get_or(raw, || consent::read(cols.consent_polarity, raw))
        }
    });

    if email.is_none() && phone.is_none() && (cols.email.is_some() || cols.phone.is_some()) {
        let field = if cols.email.is_some() {
            Field::Email
        } else {
            Field::Phone
        };
        out.issues.push((field, Code::InputRequired));
    }
    let cells = [
        email.as_ref(),
        phone.as_ref(),
        given.as_deref(),
        family.as_deref(),
        country.as_ref().map(|c| &c.cell),
    ];
    let usable = |c: &Option<Cell>| c.as_ref().is_some_and(|c| !c.error);
    out.reachable = usable(&email) || usable(&phone);
    out.fixed = [&email, &phone]
        .into_iter()
        .flatten()
        .any(|c| c.changed && !c.error)
        || out.country_named;
    let mut error = false;
    for c in cells.into_iter().flatten() {
        error |= c.error;
        out.issues.extend_from_slice(&c.issues);
        if out.suggestion.is_none() {
            out.suggestion.clone_from(&c.suggestion);
        }
    }
    let (custom_error, custom) =
        super::custom_cols::check_row(rules.custom, rules.policy, |c| cell(Some(c)));
    error |= custom_error;
    out.issues.extend(custom);
    out.review = out.reachable && (error || out.consent == Some(Consent::Unknown));
    out.suppressed = rules.suppress.matches(out.email_key, out.phone_key);
    if let Decoded::Lossy(fields) = &decoded {
        out.replaced = Some(fields.iter().map(|(s, _)| s.as_str()).collect());
    }
    Ok(out)
}

/// The `sg_issues` cell: codes joined by `;`, each prefixed with `field:` when the code's family
/// is not the field's own (`family_name:name.url`, `phone:input.control_character`).
pub(super) fn issue_list(issues: &[(Field, Code)]) -> String {
    let mut s = String::new();
    for (i, (field, code)) in issues.iter().enumerate() {
        if i > 0 {
            s.push(';');
        }
        s.push_str(&issue_label(*field, *code));
    }
    s
}

/// One issue as `sg_issues` and the report name it.
pub(super) fn issue_label(field: Field, code: Code) -> String {
    let code = code.as_str();
    let family = code.split_once('.').map_or(code, |(f, _)| f);
    if family == field.as_str() {
        code.to_owned()
    } else {
        format!("{}:{code}", field.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_labels_name_the_field_when_the_code_is_not_its_own() {
        let issues = [
            (Field::Email, Code::EmailTldUnknown),
            (Field::FamilyName, Code::NameUrl),
            (Field::Phone, Code::InputControlCharacter),
        ];
        assert_eq!(
            issue_list(&issues),
            "email.tld_unknown;family_name:name.url;phone:input.control_character"
        );
    }
}

//! A suppression list (`--suppress FILE`): contacts a mailing tool says must not be contacted.
//!
//! One email address or phone number per line, as bounce and unsubscribe exports give them:
//! blank lines and lines starting with `#` are skipped, a header line (`email`, `phone`…) is
//! tolerated, and a line that is a CSV row counts by its first field. Each value goes through the
//! core's parser into the same dedup key the audit compares rows by (emails by
//! [`Email::key`](crate::Email::key), so case and spacing do not matter; phones by E.164, national
//! numbers read in the default country). A row whose email or phone key is on the list gets status
//! `suppressed`. Lines that are not a valid address or number are counted, not fatal (an address
//! the core refuses can match no row: rows are compared by the keys of usable addresses only).
//!
//! ```
//! use signup_guard::audit::suppress::Suppression;
//! let list = "email\n# bounced in March\n ANI@TokoBudi.co.id \n0812-3456-7890\nnot an address\n";
//! let s = Suppression::read(list.as_bytes(), signup_guard::Country::from_code("ID")).unwrap();
//! assert_eq!((s.emails(), s.phones(), s.unreadable_lines()), (1, 1, 1));
//! ```

use super::columns::fold;
use super::row::{key_of, Key};
use super::AuditError;
use crate::fields::{email, phone};
use crate::Country;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};

/// Header words tolerated as the first line.
const HEADERS: &[&str] = &[
    "email",
    "e-mail",
    "email address",
    "phone",
    "phone number",
    "mobile",
    "msisdn",
    "surel",
    "no hp",
    "البريد الإلكتروني",
    "الهاتف",
    "ایمیل",
    "تلفن",
    "موبایل",
];

/// The dedup keys of a suppression list.
#[derive(Debug, Clone, Default)]
pub struct Suppression {
    emails: HashSet<Key>,
    phones: HashSet<Key>,
    unreadable: u64,
    first_unreadable: Option<u64>,
}

impl Suppression {
    /// Reads a list; national phone numbers are read in `default_country`.
    pub fn read<R: Read>(input: R, default_country: Option<Country>) -> Result<Self, AuditError> {
        let mut list = Suppression::default();
        let mut first = true;
        for (i, line) in BufReader::new(input).lines().enumerate() {
            let line = line.map_err(|e| AuditError::Read(format!("the suppression list: {e}")))?;
            let line = line.trim_start_matches('\u{FEFF}');
            let value = line
                .split([',', ';', '\t'])
                .next()
                .unwrap_or_default()
                .trim()
                .trim_matches('"')
                .trim();
            if value.is_empty() || value.starts_with('#') {
                continue;
            }
            let header = first && HEADERS.iter().any(|h| fold(h) == fold(value));
            first = false;
            if !header && !list.add(value, default_country) {
                list.unreadable += 1;
                list.first_unreadable.get_or_insert(i as u64 + 1);
            }
        }
        Ok(list)
    }

    /// Adds one value; false when it is not a valid email address or phone number.
    fn add(&mut self, value: &str, default_country: Option<Country>) -> bool {
        if value.contains('@') {
            let Some(e) = email::parse(value).value else {
                return false;
            };
            self.emails.insert(key_of(e.key()));
        } else {
            let Some(p) = phone::parse(value, default_country).value else {
                return false;
            };
            self.phones.insert(key_of(p.e164()));
        }
        true
    }

    /// Whether a row with these dedup keys is on the list.
    pub fn matches(&self, email: Option<Key>, phone: Option<Key>) -> bool {
        email.is_some_and(|k| self.emails.contains(&k))
            || phone.is_some_and(|k| self.phones.contains(&k))
    }

    /// Distinct email addresses on the list.
    pub fn emails(&self) -> u64 {
        self.emails.len() as u64
    }

    /// Distinct phone numbers on the list.
    pub fn phones(&self) -> u64 {
        self.phones.len() as u64
    }

    /// Lines that were not a valid email address or phone number.
    pub fn unreadable_lines(&self) -> u64 {
        self.unreadable
    }

    /// The 1-based line number of the first unreadable line.
    pub fn first_unreadable_line(&self) -> Option<u64> {
        self.first_unreadable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_audits_and_csv_rows_count_by_their_first_field() {
        let list = "\u{FEFF}Email Address,reason\n\"Budi@Gmail.com\",bounce\n+62 812 3456 7890\n\n";
        let s = Suppression::read(list.as_bytes(), None).unwrap();
        let budi = email::parse("budi@gmail.com").value.unwrap();
        let phone = phone::parse("0812-3456-7890", Country::from_code("ID"))
            .value
            .unwrap();
        assert!(s.matches(Some(key_of(budi.key())), None));
        assert!(s.matches(None, Some(key_of(phone.e164()))));
        assert!(!s.matches(None, None));
        assert_eq!(s.unreadable_lines(), 0, "header skipped");
    }

    #[test]
    fn national_numbers_need_a_default_country() {
        let s = Suppression::read("0812-3456-7890\n".as_bytes(), None).unwrap();
        assert_eq!((s.phones(), s.unreadable_lines()), (0, 1));
        assert_eq!(s.first_unreadable_line(), Some(1));
    }
}

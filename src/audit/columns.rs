//! Which CSV column holds which field: given by `--columns`, or found by header name.
//!
//! Header names are compared after folding: NFKC, lowercase, Arabic letter variants unified
//! (`ي`/`ى` → `ی`, `ك` → `ک`, `ة` → `ه`, hamza forms of alef → `ا`), and everything that is not a
//! letter or digit dropped, so `"E-mail"`, `"e_mail"` and `"E MAIL"` all read `email`, and
//! `"No. HP"` reads `nohp`. A header equal to a known name wins; otherwise a header containing a
//! strong word (`email`, `phone`, `ایمیل`…) is taken. The first matching column wins. A consent
//! column (`Subscribed`, `Unsubscribed`, `Berlangganan`, `لغو اشتراک`…) is found the same way and
//! carries its [`Polarity`] (see [`consent`](super::consent)).
//!
//! ```
//! use signup_guard::audit::columns::Columns;
//! let cols = Columns::detect(&["Nama", "Alamat Email", "No. HP", "Negara"]);
//! assert_eq!((cols.email, cols.phone, cols.given_name, cols.country), (Some(1), Some(2), Some(0), Some(3)));
//! ```

use super::consent::{self, Polarity};
use super::header_names::*;
use crate::issue::Field;
use crate::unicode::services;

/// Folds a header name for comparison (see the module doc).
pub fn fold(header: &str) -> String {
    services()
        .nfkc(header)
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            let c = match c {
                'ي' | 'ى' => 'ی',
                'ك' => 'ک',
                'ة' => 'ه',
                'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
                other => other,
            };
            let keep = c.is_alphanumeric() && !unicode_normalization::char::is_combining_mark(c);
            keep.then_some(c)
        })
        .collect()
}

/// The 0-based column of each field, where the file has one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    /// Email address column.
    pub email: Option<usize>,
    /// Phone number column.
    pub phone: Option<usize>,
    /// Given name column (or the whole name).
    pub given_name: Option<usize>,
    /// Family name column.
    pub family_name: Option<usize>,
    /// Country column (ISO 3166-1 alpha-2 or a name), the default region of the row's phone.
    pub country: Option<usize>,
    /// Consent column (`Subscribed`, `Unsubscribed`, `opt_in`…).
    pub consent: Option<usize>,
    /// What the consent column asks: "in?" or "out?".
    pub consent_polarity: Polarity,
}

impl Columns {
    /// Finds the columns from the header names.
    pub fn detect<S: AsRef<str>>(headers: &[S]) -> Columns {
        let folded: Vec<String> = headers.iter().map(|h| fold(h.as_ref())).collect();
        let exact = |names: &[&str]| {
            let names: Vec<String> = names.iter().map(|n| fold(n)).collect();
            folded
                .iter()
                .position(|h| !h.is_empty() && names.contains(h))
        };
        let containing = |words: &[&str], taken: &[Option<usize>]| {
            let words: Vec<String> = words.iter().map(|w| fold(w)).collect();
            folded.iter().enumerate().position(|(i, h)| {
                !taken.contains(&Some(i)) && words.iter().any(|w| h.contains(w.as_str()))
            })
        };
        let mut cols = Columns {
            email: exact(EMAIL),
            phone: exact(PHONE),
            given_name: exact(GIVEN).or_else(|| exact(FULL)),
            family_name: exact(FAMILY),
            country: exact(COUNTRY),
            ..Columns::default()
        };
        if cols.email.is_none() {
            cols.email = containing(EMAIL_WORDS, &[cols.phone]);
        }
        if cols.phone.is_none() {
            cols.phone = containing(PHONE_WORDS, &[cols.email]);
        }
        let taken = [
            cols.email,
            cols.phone,
            cols.given_name,
            cols.family_name,
            cols.country,
        ];
        let free = |i: &usize| !taken.contains(&Some(*i));
        let named = || headers.iter().map(AsRef::as_ref).enumerate();
        let found = named()
            .filter(|(i, _)| free(i))
            .find_map(|(i, h)| consent::polarity(h).map(|p| (i, p)))
            .or_else(|| {
                named()
                    .filter(|(i, _)| free(i))
                    .find_map(|(i, h)| consent::polarity_by_word(h).map(|p| (i, p)))
            });
        if let Some((col, polarity)) = found {
            cols.consent = Some(col);
            cols.consent_polarity = polarity;
        }
        cols
    }

    /// Applies a `--columns` spec (`email=E-mail,phone=Mobile,country=3`) over `headers`: each
    /// value names a header (exactly, else folded) or a 1-based column number; an empty value
    /// (`phone=`) leaves that field unchecked. `consent=H` takes the polarity from the header
    /// (opt-in unless it reads like `Unsubscribed`); `unsubscribed=H` (or `opt_out=H`) says opt-out.
    pub fn apply_spec<S: AsRef<str>>(&mut self, spec: &str, headers: &[S]) -> Result<(), String> {
        for part in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let Some((key, value)) = part.split_once('=') else {
                return Err(format!(
                    "--columns: {part:?} should be FIELD=HEADER (e.g. email=E-mail)"
                ));
            };
            let value = value.trim();
            let key = key.trim().to_ascii_lowercase().replace('-', "_");
            let polarity = match key.as_str() {
                "consent" | "opt_in" | "subscribed" => Some(None),
                "unsubscribed" | "opt_out" => Some(Some(Polarity::OptOut)),
                _ => None,
            };
            let slot = match key.as_str() {
                "email" => &mut self.email,
                "phone" => &mut self.phone,
                "given_name" | "first_name" | "name" => &mut self.given_name,
                "family_name" | "last_name" => &mut self.family_name,
                "country" => &mut self.country,
                "consent" | "opt_in" | "subscribed" | "unsubscribed" | "opt_out" => {
                    &mut self.consent
                }
                other => {
                    return Err(format!(
                        "--columns: unknown field {other:?} (email, phone, given_name, \
                         family_name, country, consent, unsubscribed)"
                    ))
                }
            };
            if value.is_empty() {
                // `phone=` leaves a column the header would have matched unchecked.
                *slot = None;
                continue;
            }
            let position = headers
                .iter()
                .position(|h| h.as_ref().trim() == value)
                .or_else(|| {
                    let f = fold(value);
                    headers
                        .iter()
                        .position(|h| !f.is_empty() && fold(h.as_ref()) == f)
                })
                .or_else(|| {
                    value
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=headers.len()).contains(n))
                        .map(|n| n - 1)
                });
            let Some(position) = position else {
                let names: Vec<&str> = headers.iter().map(AsRef::as_ref).collect();
                return Err(format!(
                    "--columns: no column {value:?}; the header has {}",
                    names.join(" | ")
                ));
            };
            *slot = Some(position);
            if let Some(given) = polarity {
                self.consent_polarity = given.unwrap_or_else(|| {
                    headers
                        .get(position)
                        .and_then(|h| consent::polarity(h.as_ref()))
                        .or_else(|| {
                            headers
                                .get(position)
                                .and_then(|h| consent::polarity_by_word(h.as_ref()))
                        })
                        .unwrap_or_default()
                });
            }
        }
        Ok(())
    }

    /// The mapped fields with their columns, in form order.
    pub fn used(&self) -> Vec<(Field, usize)> {
        [
            (Field::Email, self.email),
            (Field::Phone, self.phone),
            (Field::GivenName, self.given_name),
            (Field::FamilyName, self.family_name),
            (Field::Country, self.country),
            (Field::Consent, self.consent),
        ]
        .into_iter()
        .filter_map(|(f, c)| c.map(|c| (f, c)))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_export_headers() {
        let c = Columns::detect(&[
            "Contact ID",
            "First Name",
            "Last Name",
            "Email Address",
            "Mobile",
            "Country",
        ]);
        assert_eq!(c.given_name, Some(1));
        assert_eq!(c.family_name, Some(2));
        assert_eq!(c.email, Some(3));
        assert_eq!(c.phone, Some(4));
        assert_eq!(c.country, Some(5));
    }

    #[test]
    fn arabic_and_persian_headers_with_letter_variants() {
        // Arabic kaf/yeh typed in a Persian header, and the Arabic "email" with and without hamza.
        let c = Columns::detect(&["الاسم", "البريد الالكتروني", "جوال", "الدولة"]);
        assert_eq!(
            (c.given_name, c.email, c.phone, c.country),
            (Some(0), Some(1), Some(2), Some(3))
        );
        let c = Columns::detect(&["نام", "نام خانوادگی", "ايميل", "شماره موبایل", "كشور"]);
        assert_eq!(
            (c.given_name, c.family_name, c.email, c.phone, c.country),
            (Some(0), Some(1), Some(2), Some(3), Some(4))
        );
    }

    #[test]
    fn a_header_containing_a_strong_word_is_taken_when_none_matches_exactly() {
        let c = Columns::detect(&["id", "Customer E-Mail (primary)", "Phone 1"]);
        assert_eq!((c.email, c.phone), (Some(1), Some(2)));
    }

    #[test]
    fn spec_by_name_and_by_number_and_refusal_names_the_header() {
        let headers = ["a", "Kontak", "HP pribadi"];
        let mut c = Columns::default();
        c.apply_spec("email=kontak, phone=3", &headers).unwrap();
        assert_eq!((c.email, c.phone), (Some(1), Some(2)));
        let err = c.apply_spec("email=Surel", &headers).unwrap_err();
        assert!(err.contains("a | Kontak | HP pribadi"), "{err}");
        assert!(c.apply_spec("fax=a", &headers).is_err());
        c.apply_spec("phone=", &headers).unwrap();
        assert_eq!((c.email, c.phone), (Some(1), None));
    }

    #[test]
    fn consent_columns_are_found_with_their_polarity_or_named() {
        let c = Columns::detect(&["Email", "Name", "Unsubscribed"]);
        assert_eq!((c.consent, c.consent_polarity), (Some(2), Polarity::OptOut));
        let c = Columns::detect(&["Email", "Opt-in date", "Berlangganan"]);
        assert_eq!((c.consent, c.consent_polarity), (Some(2), Polarity::OptIn));
        let c = Columns::detect(&["ایمیل", "لغو اشتراک"]);
        assert_eq!((c.consent, c.consent_polarity), (Some(1), Polarity::OptOut));
        assert_eq!(Columns::detect(&["Email", "Consent date"]).consent, None);

        let headers = ["Email", "Status", "Blocked"];
        let mut c = Columns::detect(&headers);
        c.apply_spec("consent=Status", &headers).unwrap();
        assert_eq!((c.consent, c.consent_polarity), (Some(1), Polarity::OptIn));
        c.apply_spec("unsubscribed=Blocked", &headers).unwrap();
        assert_eq!((c.consent, c.consent_polarity), (Some(2), Polarity::OptOut));
    }
}

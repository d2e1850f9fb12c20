//! The consent column of a CRM export: does this person want to be contacted?
//!
//! A column is a consent column by its header (folded as in [`columns`](super::columns)), in
//! English, Indonesian, Arabic or Persian, and the header sets its polarity: `Subscribed`,
//! `opt_in`, `Accepts Email Marketing`, `Berlangganan`, `موافقة`, `رضایت` ask "is the person in?";
//! `Unsubscribed`, `Email Opt Out`, `Berhenti berlangganan`, `إلغاء الاشتراك`, `لغو اشتراک` ask "is
//! the person out?". A yes/no value (`yes`, `true`, `1`, `y`, `ya`, `نعم`, `بله`… and their
//! negatives) is read through the polarity, so `Unsubscribed=yes` is a refusal; a value that names
//! a state (`unsubscribed`, `opted out`, `berlangganan`, `مشترک`…) means that state in any column.
//! Anything else is [`Consent::Unknown`]: the row is left alone and the value counted.
//!
//! ```
//! use signup_guard::audit::consent::{polarity, read, Consent, Polarity};
//! assert_eq!(polarity("Unsubscribed"), Some(Polarity::OptOut));
//! assert_eq!(read(Polarity::OptOut, "Yes"), Consent::Refused);
//! assert_eq!(read(Polarity::OptIn, "tidak"), Consent::Refused);
//! assert_eq!(read(Polarity::OptIn, "opted out"), Consent::Refused);
//! assert_eq!(read(Polarity::OptIn, "ya"), Consent::Given);
//! ```

use super::columns::fold;
use std::sync::OnceLock;

/// What a consent column asks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Polarity {
    /// "Is the person subscribed / opted in?" (`Subscribed`, `opt_in`, `consent`).
    #[default]
    OptIn,
    /// "Has the person unsubscribed / opted out?" (`Unsubscribed`, `Email Opt Out`).
    OptOut,
}

/// A consent cell, read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    /// The person is subscribed or opted in.
    Given,
    /// The person unsubscribed or is not opted in (the row gets status `no_consent`).
    Refused,
    /// A value the audit does not recognize (the row is flagged for review).
    Unknown,
}

impl Consent {
    /// The `sg_consent` cell: `yes`, `no` or `unknown`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Consent::Given => "yes",
            Consent::Refused => "no",
            Consent::Unknown => "unknown",
        }
    }
}

/// Headers that ask "is the person in?" (compared folded).
const OPT_IN: &[&str] = &[
    "subscribed",
    "subscribe",
    "subscriber",
    "subscription",
    "email subscription",
    "newsletter",
    "opt in",
    "opted in",
    "email opt in",
    "marketing opt in",
    "consent",
    "email consent",
    "marketing consent",
    "email marketing consent",
    "gdpr consent",
    "marketing",
    "email marketing",
    "accepts marketing",
    "accepts email marketing",
    "berlangganan",
    "langganan",
    "status langganan",
    "persetujuan",
    "persetujuan email",
    "setuju",
    "اشتراك",
    "الاشتراك",
    "مشترك",
    "موافقة",
    "الموافقة",
    "اشتراک",
    "مشترک",
    "رضایت",
    "موافقت",
];
/// Headers that ask "is the person out?" (compared folded).
const OPT_OUT: &[&str] = &[
    "unsubscribed",
    "unsubscribe",
    "unsubscribed from all email",
    "opted out",
    "opt out",
    "email opt out",
    "has opted out of email",
    "do not email",
    "do not contact",
    "berhenti berlangganan",
    "batal berlangganan",
    "tidak berlangganan",
    "إلغاء الاشتراك",
    "ألغى الاشتراك",
    "عدم الاشتراك",
    "لغو اشتراک",
    "لغو عضویت",
    "انصراف",
];
/// Words that make a header a consent column when no header matches exactly, opt-out first.
const OPT_OUT_WORDS: &[&str] = &[
    "unsubscri",
    "optout",
    "optedout",
    "donotemail",
    "berhentiberlangganan",
    "إلغاء الاشتراك",
    "لغو اشتراک",
];
const OPT_IN_WORDS: &[&str] = &[
    "optin",
    "optedin",
    "consent",
    "persetujuan",
    "موافقة",
    "رضایت",
];
/// A header with one of these is about the consent (when, where from), not the consent itself.
const NOT_CONSENT_WORDS: &[&str] = &[
    "date",
    "time",
    "tanggal",
    "waktu",
    "تاريخ",
    "تاریخ",
    "زمان",
    "source",
    "sumber",
    "method",
    "text",
    "version",
];

/// Values that say yes (read through the column's polarity).
const YES: &[&str] = &[
    "yes", "y", "true", "t", "1", "on", "x", "checked", "ya", "iya", "benar", "نعم", "بله", "بلی",
    "آره",
];
/// Values that say no (read through the column's polarity).
const NO: &[&str] = &[
    "no",
    "n",
    "false",
    "f",
    "0",
    "off",
    "unchecked",
    "tidak",
    "tdk",
    "bukan",
    "gak",
    "enggak",
    "nggak",
    "لا",
    "خیر",
    "نه",
];
/// Values that name the state "in", whatever the column.
const IN: &[&str] = &[
    "subscribed",
    "opted in",
    "opt in",
    "granted",
    "consented",
    "agreed",
    "accepted",
    "berlangganan",
    "sudah berlangganan",
    "setuju",
    "مشترك",
    "موافق",
    "مشترک",
];
/// Values that name the state "out", whatever the column.
const OUT: &[&str] = &[
    "unsubscribed",
    "not subscribed",
    "non subscribed",
    "opted out",
    "opt out",
    "declined",
    "refused",
    "withdrawn",
    "revoked",
    "denied",
    "berhenti berlangganan",
    "tidak berlangganan",
    "batal berlangganan",
    "tidak setuju",
    "menolak",
    "غير مشترك",
    "إلغاء الاشتراك",
    "ألغى الاشتراك",
    "ملغى",
    "مرفوض",
    "رفض",
    "غير موافق",
    "لغو اشتراک",
    "لغو شده",
    "عدم اشتراک",
    "مخالف",
];

fn has(list: &[&str], folded: &str) -> bool {
    list.iter().any(|w| fold(w) == folded)
}

/// The polarity of a header that names a consent column exactly.
pub fn polarity(header: &str) -> Option<Polarity> {
    let h = fold(header);
    if h.is_empty() {
        None
    } else if has(OPT_OUT, &h) {
        Some(Polarity::OptOut)
    } else if has(OPT_IN, &h) {
        Some(Polarity::OptIn)
    } else {
        None
    }
}

/// The polarity of a header that contains a consent word (`Customer opted out?`), unless it is
/// about the consent rather than the consent itself (`Consent date`, `Opt-in source`).
pub fn polarity_by_word(header: &str) -> Option<Polarity> {
    let h = fold(header);
    let contains = |words: &[&str]| words.iter().any(|w| h.contains(fold(w).as_str()));
    if h.is_empty() || contains(NOT_CONSENT_WORDS) {
        None
    } else if contains(OPT_OUT_WORDS) {
        Some(Polarity::OptOut)
    } else if contains(OPT_IN_WORDS) {
        Some(Polarity::OptIn)
    } else {
        None
    }
}

/// The value lists OUT, IN, YES and NO, folded once.
fn value_words() -> &'static [Vec<String>; 4] {
    static WORDS: OnceLock<[Vec<String>; 4]> = OnceLock::new();
    WORDS.get_or_init(|| [OUT, IN, YES, NO].map(|list| list.iter().map(|w| fold(w)).collect()))
}

/// Reads one consent cell (not empty) of a column with `polarity`.
pub fn read(polarity: Polarity, value: &str) -> Consent {
    let v = fold(value);
    let (yes, no) = match polarity {
        Polarity::OptIn => (Consent::Given, Consent::Refused),
        Polarity::OptOut => (Consent::Refused, Consent::Given),
    };
    let [out, r#in, y, n] = value_words();
    if out.contains(&v) {
        Consent::Refused
    } else if r#in.contains(&v) {
        Consent::Given
    } else if y.contains(&v) {
        yes
    } else if n.contains(&v) {
        no
    } else {
        Consent::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_set_the_polarity_in_four_languages() {
        for (header, expect) in [
            ("Subscribed", Polarity::OptIn),
            ("opt_in", Polarity::OptIn),
            ("Opt-In", Polarity::OptIn),
            ("Accepts Email Marketing", Polarity::OptIn),
            ("Berlangganan", Polarity::OptIn),
            ("مشترك", Polarity::OptIn),
            ("رضایت", Polarity::OptIn),
            ("Unsubscribed", Polarity::OptOut),
            ("Email Opt Out", Polarity::OptOut),
            ("Berhenti Berlangganan", Polarity::OptOut),
            ("إلغاء الاشتراك", Polarity::OptOut),
            ("الغاء الاشتراك", Polarity::OptOut),
            ("لغو اشتراك", Polarity::OptOut),
        ] {
            assert_eq!(polarity(header), Some(expect), "{header}");
        }
        assert_eq!(polarity("Email"), None);
        assert_eq!(
            polarity_by_word("Customer opted out?"),
            Some(Polarity::OptOut)
        );
        assert_eq!(polarity_by_word("Consent date"), None, "about the consent");
        assert_eq!(polarity_by_word("Opt-in source"), None);
        assert_eq!(polarity_by_word("Subscription plan"), None, "not consent");
    }

    #[test]
    fn values_read_through_the_polarity_unless_they_name_a_state() {
        use Consent::*;
        for (p, value, expect) in [
            (Polarity::OptIn, "no", Refused),
            (Polarity::OptIn, "FALSE", Refused),
            (Polarity::OptIn, "0", Refused),
            (Polarity::OptIn, "Tidak", Refused),
            (Polarity::OptIn, "لا", Refused),
            (Polarity::OptIn, "خیر", Refused),
            (Polarity::OptIn, "yes", Given),
            (Polarity::OptIn, "بله", Given),
            (Polarity::OptOut, "yes", Refused),
            (Polarity::OptOut, "true", Refused),
            (Polarity::OptOut, "no", Given),
            (Polarity::OptOut, "subscribed", Given),
            (Polarity::OptIn, "Unsubscribed", Refused),
            (Polarity::OptIn, "opted-out", Refused),
            (Polarity::OptIn, "لغو اشتراک", Refused),
            (Polarity::OptIn, "maybe", Unknown),
            (Polarity::OptIn, "pending", Unknown),
        ] {
            assert_eq!(read(p, value), expect, "{p:?} {value}");
        }
    }
}

//! The verdict: the answer to a submission, the same in Rust, JS and HTTP.

use crate::custom::CustomValue;
use crate::fields::phone::PhoneType;
use crate::issue::{Code, Field, Issue};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether a submission may be stored, the normalized contact when it may, and every issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// True when no issue is an error.
    pub ok: bool,
    /// The normalized values, present exactly when `ok`.
    pub contact: Option<Contact>,
    /// Every error and warning, in form order.
    pub issues: Vec<Issue>,
}

impl Verdict {
    /// A refusal of the whole submission with one code (malformed input, unknown key…), rendered.
    pub fn refuse(code: Code, param: Option<(&str, String)>, locale: &str) -> Verdict {
        let mut issue = Issue::new(Field::Submission, code);
        if let Some((k, v)) = param {
            issue = issue.with_param(k, v);
        }
        issue.render(locale);
        Verdict {
            ok: false,
            contact: None,
            issues: vec![issue],
        }
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.is_error())
    }
}

/// A contact built only by validation: the stored forms of every given field.
///
/// ```
/// use signup_guard::Contact;
/// let phone_only = Contact { phone_e164: Some("+6281234567890".into()), ..Contact::default() };
/// assert_eq!(phone_only.dedup_key().as_deref(), Some("tel:+6281234567890"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Stored form: local part as typed (NFKC), domain as lowercase A-labels.
    pub email: Option<String>,
    /// Display form: domain as U-labels.
    pub email_display: Option<String>,
    /// Deduplication key.
    pub email_key: Option<String>,
    /// E.164 for storage.
    pub phone_e164: Option<String>,
    /// The number's type.
    pub phone_type: Option<PhoneType>,
    /// International format for display.
    pub phone_display: Option<String>,
    /// Extension, kept apart from the number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_extension: Option<String>,
    /// Given name, NFC with inner spaces collapsed.
    pub given_name: Option<String>,
    /// Family name, likewise.
    pub family_name: Option<String>,
    /// ISO 3166-1 alpha-2, uppercase.
    pub country: Option<String>,
    /// The shipped locale the messages and consent texts were chosen for.
    pub locale: String,
    /// Purposes granted and accepted, in policy order.
    pub consent: Vec<String>,
    /// The policy's custom fields that have a value, normalized (empty ones are left out).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, CustomValue>,
    /// Where the signup came from, cleaned (`crate::source`); absent when nothing was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<crate::source::Source>,
}

impl Contact {
    /// The key one person is stored under: the email's dedup key, else `tel:` + E.164; `None`
    /// when the contact has neither (a policy that requires no email and no phone).
    pub fn dedup_key(&self) -> Option<String> {
        self.email_key
            .clone()
            .or_else(|| self.phone_e164.as_ref().map(|p| format!("tel:{p}")))
    }
}

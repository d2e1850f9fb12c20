//! The policy: which fields a form requires, which phone types it accepts, and the consent
//! purposes with the exact text shown for each locale. One JSON file; the browser fetches it and
//! the server loads it, and both hash purpose texts the same way ([`Policy::text_hash`]).
//!
//! ```
//! use signup_guard::Policy;
//! let p = Policy::from_json(r#"{"id":"news","version":"1",
//!   "purposes":[{"id":"newsletter","channel":"email","text":{"en":"Email me the newsletter."}}]}"#).unwrap();
//! assert_eq!(p.purposes[0].id, "newsletter");
//! let err = Policy::from_json(r#"{"id":"news","version":"1","colour":"red"}"#).unwrap_err();
//! assert_eq!(err.path, "colour");
//! ```

use crate::fields::country::Country;
use crate::fields::phone::PhoneType;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A whole policy file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Stable identifier, echoed in consent receipts.
    pub id: String,
    /// Version; a new text means a new version.
    pub version: String,
    /// Who collects the data (shown beside the consent boxes).
    #[serde(default)]
    pub controller: Controller,
    /// Region assumed for phone numbers when the submission has no country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_country: Option<Country>,
    /// Per-field rules.
    #[serde(default)]
    pub fields: Fields,
    /// Consent purposes, each a separate unticked checkbox.
    #[serde(default)]
    pub purposes: Vec<Purpose>,
    /// How long contacts are kept, in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
    /// How a signup's address is confirmed before its consent counts; absent: at once (the
    /// form's answer is the proof), `"email"`: double opt-in through a mailed link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm: Option<Confirm>,
    /// Days a confirmation link works; a contact still unconfirmed then is erased (default 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm_within_days: Option<u32>,
}

/// How a signup is confirmed (double opt-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confirm {
    /// A mail with a link; the grants count only once the person opens it and confirms.
    Email,
}

/// Days a confirmation link works when the policy does not say.
pub const CONFIRM_WITHIN_DAYS: u32 = 7;

/// The data controller, as shown to the person.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Controller {
    /// Legal or trading name.
    #[serde(default)]
    pub name: String,
    /// Contact for privacy requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// Link to the privacy notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_url: Option<String>,
}

/// Rules for each field of the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    /// The email address (required by default).
    #[serde(default = "FieldRule::required")]
    pub email: FieldRule,
    /// The phone number (optional by default).
    #[serde(default)]
    pub phone: PhoneRule,
    /// The given name (optional by default).
    #[serde(default)]
    pub given_name: FieldRule,
    /// The family name (optional by default).
    #[serde(default)]
    pub family_name: FieldRule,
    /// The country (optional by default).
    #[serde(default)]
    pub country: FieldRule,
}

impl Default for Fields {
    fn default() -> Self {
        Fields {
            email: FieldRule::required(),
            phone: PhoneRule::default(),
            given_name: FieldRule::default(),
            family_name: FieldRule::default(),
            country: FieldRule::default(),
        }
    }
}

/// Whether a text field is required, and its length limit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRule {
    /// An empty or missing value is an error.
    #[serde(default)]
    pub required: bool,
    /// Longest value in characters (names default to 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_chars: Option<usize>,
}

impl FieldRule {
    fn required() -> Self {
        FieldRule {
            required: true,
            max_chars: None,
        }
    }
}

/// Rules for the phone field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneRule {
    /// An empty or missing number is an error.
    #[serde(default)]
    pub required: bool,
    /// Accepted number types; empty or absent accepts every valid type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<PhoneType>,
}

/// The channel a purpose contacts the person through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Needs a valid email address.
    Email,
    /// Needs a valid mobile number.
    Sms,
    /// Needs a valid phone number of an accepted type.
    Phone,
}

impl Channel {
    /// The wire name (`"sms"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Phone => "phone",
        }
    }
}

/// One consent purpose: one checkbox, one text per locale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// Stable identifier (`"newsletter"`).
    pub id: String,
    /// How the person will be contacted.
    pub channel: Channel,
    /// Whether the form cannot be sent without it (use sparingly: consent must be free).
    #[serde(default)]
    pub required: bool,
    /// The exact text shown, by locale; `en` is mandatory and the fallback.
    pub text: BTreeMap<String, String>,
    /// A short name for messages ("Monthly newsletter"), by locale; optional: messages quote the
    /// text shown when there is none, never the id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub label: BTreeMap<String, String>,
}

impl Purpose {
    /// The text shown for `locale` (the exact tag, then its primary language, then English).
    pub fn text_for(&self, locale: &str) -> &str {
        pick(&self.text, locale).unwrap_or("")
    }

    /// The name messages use for this purpose in `locale`: its label, else the text shown.
    pub fn label_for(&self, locale: &str) -> &str {
        pick(&self.label, locale).unwrap_or_else(|| self.text_for(locale))
    }
}

/// The entry of `by_locale` for `locale`: the exact tag, its primary language, the negotiated
/// catalogue locale, then English.
fn pick<'a>(by_locale: &'a BTreeMap<String, String>, locale: &str) -> Option<&'a str> {
    let primary = locale.split(['-', '_']).next().unwrap_or(locale);
    by_locale
        .get(locale)
        .or_else(|| by_locale.get(primary))
        .or_else(|| by_locale.get(crate::locale::negotiate(locale)))
        .or_else(|| by_locale.get("en"))
        .map(String::as_str)
}

/// A policy file that cannot be used, with the JSON path of the fault (`"purposes[1].text.en"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// Where the fault is (`"."` for the whole document).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid policy at {}: {}", self.path, self.message)
    }
}

impl std::error::Error for PolicyError {}

/// Lowercase hex SHA-256 of a text's UTF-8 bytes: how every face hashes a consent text (it lives
/// in [`crate::digest`], re-exported here where the text hashes are defined).
pub use crate::digest::sha256_hex;

impl Default for Policy {
    /// Right for a plain signup form: email required, everything else optional, no purposes.
    fn default() -> Self {
        Policy {
            id: "default".into(),
            version: "1".into(),
            controller: Controller::default(),
            default_country: None,
            fields: Fields::default(),
            purposes: Vec::new(),
            retention_days: None,
            confirm: None,
            confirm_within_days: None,
        }
    }
}

impl Policy {
    /// Parses and checks a policy file; the error names the path of the first fault.
    pub fn from_json(json: &str) -> Result<Policy, PolicyError> {
        #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
        let policy = Self::parse_small(json)?;
        #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
        let policy = Self::parse(json)?;
        policy.check()?;
        Ok(policy)
    }

    /// The file's shape; natively a fault names its path (`fields.phone.types[0]`).
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    fn parse(json: &str) -> Result<Policy, PolicyError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(de).map_err(|e| PolicyError {
            path: e.path().to_string(),
            message: e.into_inner().to_string(),
        })
    }

    /// The file's shape; the browser build names no path (the server, which loads the policy
    /// first, does), which keeps `serde_path_to_error` and `serde_json` out of every page.
    #[cfg(any(all(target_arch = "wasm32", target_os = "unknown"), test))]
    #[cfg_attr(
        not(all(target_arch = "wasm32", target_os = "unknown")),
        allow(dead_code)
    )]
    pub(crate) fn parse_small(json: &str) -> Result<Policy, PolicyError> {
        crate::json::read_policy(json).map_err(|e| PolicyError {
            path: ".".into(),
            message: e.to_string(),
        })
    }

    fn check(&self) -> Result<(), PolicyError> {
        let fault = |path: String, message: &str| {
            Err(PolicyError {
                path,
                message: message.to_owned(),
            })
        };
        if self.id.trim().is_empty() {
            return fault("id".into(), "must not be empty");
        }
        if self.version.trim().is_empty() {
            return fault("version".into(), "must not be empty");
        }
        if self.confirms_by_email() && !self.fields.email.required {
            return fault(
                "confirm".into(),
                "\"email\" needs fields.email.required: a signup without an address cannot be confirmed",
            );
        }
        if let Some(days) = self.confirm_within_days {
            if !(1..=90).contains(&days) {
                return fault("confirm_within_days".into(), "must be 1 to 90 days");
            }
            if self.confirm.is_none() {
                return fault(
                    "confirm_within_days".into(),
                    "needs \"confirm\": \"email\" (nothing is confirmed without it)",
                );
            }
        }
        for (name, rule) in [
            ("email", &self.fields.email),
            ("given_name", &self.fields.given_name),
            ("family_name", &self.fields.family_name),
            ("country", &self.fields.country),
        ] {
            if rule.max_chars == Some(0) {
                return fault(format!("fields.{name}.max_chars"), "must be at least 1");
            }
        }
        for (i, p) in self.purposes.iter().enumerate() {
            if p.id.trim().is_empty()
                || p.id
                    .chars()
                    .any(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            {
                return fault(
                    format!("purposes[{i}].id"),
                    "must be letters, digits, '_' or '-'",
                );
            }
            if self.purposes[..i].iter().any(|q| q.id == p.id) {
                return fault(
                    format!("purposes[{i}].id"),
                    &format!("duplicate purpose id \"{}\"", p.id),
                );
            }
            match p.text.get("en") {
                Some(t) if !t.trim().is_empty() => {}
                _ => {
                    return fault(
                        format!("purposes[{i}].text.en"),
                        "every purpose needs an English text",
                    )
                }
            }
            if let Some((locale, _)) = p.text.iter().find(|(_, t)| t.trim().is_empty()) {
                return fault(format!("purposes[{i}].text.{locale}"), "must not be empty");
            }
        }
        Ok(())
    }

    /// Whether signups wait for the address to be confirmed by a mailed link (double opt-in).
    pub fn confirms_by_email(&self) -> bool {
        self.confirm == Some(Confirm::Email)
    }

    /// Days a confirmation link works (and an unconfirmed contact is kept).
    pub fn confirm_days(&self) -> u32 {
        self.confirm_within_days.unwrap_or(CONFIRM_WITHIN_DAYS)
    }

    /// The purpose with this id.
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id == id)
    }

    /// SHA-256 (hex) of the text shown for `purpose` in `locale`: what a receipt must carry.
    pub fn text_hash(&self, purpose: &str, locale: &str) -> Option<String> {
        self.purpose(purpose)
            .map(|p| sha256_hex(p.text_for(locale)))
    }

    /// SHA-256 (hex) of this policy's canonical JSON, recorded with every consent event.
    pub fn hash(&self) -> String {
        // serde_json writes struct fields in declaration order and BTreeMaps sorted: stable.
        #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
        let text = serde_json::to_string(self);
        #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
        let text = crate::json::to_string(self); // the same bytes (tested in src/json/tests.rs)
        sha256_hex(&text.unwrap_or_default())
    }
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;

//! The submission: what a form sends. Every field is optional on the wire; the policy says which
//! are required. Unknown keys are refused (this also refuses duplicate keys).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a signup form sends (DESIGN §2).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// The email address as typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The phone number as typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Given name (or the only name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// BCP 47 tag of the page's language; picks the messages and the consent texts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// What the person agreed to, and proof of the texts shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<ConsentClaim>,
}

/// The consent part of a submission: purposes granted and SHA-256 of each text shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentClaim {
    /// The policy the form was rendered from.
    #[serde(default)]
    pub policy_id: String,
    /// Its version.
    #[serde(default)]
    pub policy_version: String,
    /// Purpose ids the person ticked; anything absent is refused.
    #[serde(default)]
    pub granted: Vec<String>,
    /// Purpose id → lowercase hex SHA-256 of the text shown.
    #[serde(default)]
    pub shown: BTreeMap<String, String>,
    /// When the browser says the boxes were ticked (recorded as claimed, never trusted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_at: Option<String>,
}

impl Submission {
    /// Parses one Submission JSON document, refusing unknown keys and wrong types.
    pub fn from_json(json: &str) -> Result<Submission, serde_json::Error> {
        serde_json::from_str(json)
    }
}

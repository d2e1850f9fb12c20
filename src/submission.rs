//! The submission: what a form sends. Every field is optional on the wire; the policy says which
//! are required. Unknown keys are refused (this also refuses duplicate keys).

use crate::custom::CustomValue;
use crate::issue::Code;
use crate::verdict::Verdict;
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
    /// The values of the fields the policy defines, by id (`{"company": "Acme"}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, CustomValue>,
    /// Where the signup came from (page path, UTM parameters, form id): attribution only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<crate::source::Source>,
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

/// Why a Submission JSON document was refused; every face answers it with the same code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmissionError {
    /// A key the format does not have (`submission.unknown_field`).
    UnknownField(String),
    /// A lone surrogate escape or undecodable bytes (`input.invalid_text`), as JavaScript or a
    /// broken encoder produce them.
    InvalidText,
    /// Not one JSON object of the Submission shape (`submission.malformed`), with the detail.
    Malformed(String),
}

impl SubmissionError {
    /// The stable code of this refusal.
    pub fn code(&self) -> Code {
        match self {
            SubmissionError::UnknownField(_) => Code::SubmissionUnknownField,
            SubmissionError::InvalidText => Code::InputInvalidText,
            SubmissionError::Malformed(_) => Code::SubmissionMalformed,
        }
    }

    /// The refusal as a verdict with its message rendered for `locale`.
    pub fn verdict(&self, locale: &str) -> Verdict {
        let param = match self {
            SubmissionError::UnknownField(key) => Some(("key", key.clone())),
            SubmissionError::InvalidText => None,
            SubmissionError::Malformed(detail) => Some(("detail", detail.clone())),
        };
        Verdict::refuse(self.code(), param, locale)
    }
}

impl std::fmt::Display for SubmissionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SubmissionError::UnknownField(key) => write!(f, "unknown field {key:?}"),
            SubmissionError::InvalidText => f.write_str("text that is not valid Unicode"),
            SubmissionError::Malformed(detail) => write!(f, "malformed submission: {detail}"),
        }
    }
}

impl std::error::Error for SubmissionError {}

fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// The refusal a parser's error text stands for: the same words from `serde_json` natively and
/// from the browser build's own reader (`crate::json`), so every face answers the same code.
fn classify(msg: String) -> SubmissionError {
    if let Some((key, _)) = msg
        .strip_prefix("unknown field `")
        .and_then(|m| m.split_once('`'))
    {
        return SubmissionError::UnknownField(clip(key, 64));
    }
    let lower = msg.to_ascii_lowercase();
    if ["unicode", "utf-8", "surrogate", "hex escape"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return SubmissionError::InvalidText;
    }
    SubmissionError::Malformed(clip(&msg, 200))
}

impl Submission {
    /// The document's shape, through `serde_json`.
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    fn parse(body: &[u8]) -> Result<Submission, SubmissionError> {
        serde_json::from_slice(body).map_err(|e| classify(e.to_string()))
    }

    /// The document's shape, through the browser build's own JSON reader.
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    fn parse(body: &[u8]) -> Result<Submission, SubmissionError> {
        let text = std::str::from_utf8(body).map_err(|_| SubmissionError::InvalidText)?;
        crate::json::read_submission(text).map_err(|e| classify(e.to_string()))
    }

    /// [`Submission::from_json`] through the browser build's reader, for the tests that compare.
    #[cfg(test)]
    pub(crate) fn from_json_small(json: &str) -> Result<Submission, SubmissionError> {
        if json.bytes().find(|b| !b.is_ascii_whitespace()) != Some(b'{') {
            return Err(SubmissionError::Malformed(
                "a JSON object is expected".into(),
            ));
        }
        crate::json::read_submission(json).map_err(|e| classify(e.to_string()))
    }

    /// Parses one Submission JSON document: exactly one object, no unknown or duplicate keys,
    /// no wrong types. The error's detail is bounded, so it never echoes a whole hostile body.
    pub fn from_json(json: &str) -> Result<Submission, SubmissionError> {
        Submission::from_json_bytes(json.as_bytes())
    }

    /// [`Submission::from_json`] over raw bytes (an HTTP body that may not even be UTF-8).
    pub fn from_json_bytes(body: &[u8]) -> Result<Submission, SubmissionError> {
        // serde's derive would also read a struct from an array (`["a@b.example"]`): only objects.
        if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(SubmissionError::Malformed(
                "a JSON object is expected".into(),
            ));
        }
        Submission::parse(body)
    }
}

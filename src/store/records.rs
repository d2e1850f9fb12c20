//! What the operator's commands read out of the store beside the export: each contact's
//! unsubscribe links for a mailing tool, everything kept about one person (an access request),
//! what the retention purge erases and why, the proof that a backup copy is sound, and where a
//! contact came from (its first and latest source).

use super::{ConsentStatus, Stats};
use serde::Serialize;
use std::collections::BTreeMap;

/// How long contacts are kept: the policy's `retention_days` since the last activity, and a
/// grace period for a contact with no purpose granted any more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Days since the contact last signed up (or confirmed) after which it is erased; `None`
    /// keeps active contacts without limit.
    pub retention_days: Option<u32>,
    /// Days a contact with no purpose granted is kept after its last change.
    pub grace_days: u32,
}

/// The grace period when none is configured: a month after the last withdrawal.
pub const DEFAULT_GRACE_DAYS: u32 = 30;

/// Why the purge erases a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PurgeReason {
    /// No purpose has been granted for longer than the grace period.
    NoConsent,
    /// The last activity is older than `retention_days`.
    RetentionExpired,
}

impl PurgeReason {
    /// The stable name printed and logged.
    pub const fn as_str(self) -> &'static str {
        match self {
            PurgeReason::NoConsent => "no_consent",
            PurgeReason::RetentionExpired => "retention_expired",
        }
    }
}

/// One contact the purge erased (or, in a dry run, would erase).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Purged {
    /// The contact's row id.
    pub contact_id: i64,
    /// Its address (before erasure).
    pub email: Option<String>,
    /// Its phone in E.164 (before erasure).
    pub phone_e164: Option<String>,
    /// Why.
    pub reason: PurgeReason,
    /// The moment the period started: the last activity, or the last consent change.
    pub since: String,
    /// Purposes still granted, withdrawn by the erasure (method `retention`).
    pub granted: Vec<String>,
}

/// One unsubscribe link: a contact and a purpose it has granted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkRow {
    /// Stored address.
    pub email: Option<String>,
    /// Phone in E.164.
    pub phone_e164: Option<String>,
    /// The purpose the link withdraws.
    pub purpose: String,
    /// `BASE/v1/unsubscribe?token=…`, for `List-Unsubscribe` and the message footer.
    pub unsubscribe_url: String,
}

/// Everything kept about one person: what `signup-guard access` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessContact {
    /// Row id.
    pub id: i64,
    /// The key the consent log names the person by.
    pub contact_key: String,
    /// Stored address.
    pub email: Option<String>,
    /// Address for display.
    pub email_display: Option<String>,
    /// Phone in E.164.
    pub phone_e164: Option<String>,
    /// The phone's line type.
    pub phone_type: Option<String>,
    /// Phone as typed, formatted.
    pub phone_display: Option<String>,
    /// Phone extension.
    pub phone_extension: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// Locale of the texts shown.
    pub locale: String,
    /// First stored.
    pub created_at: String,
    /// Last changed.
    pub updated_at: String,
    /// Each purpose's current state.
    pub consent: BTreeMap<String, ConsentStatus>,
    /// An unsubscribe link per purpose granted now.
    pub unsubscribe_url: BTreeMap<String, String>,
    /// Every consent event naming the person, oldest first.
    pub events: Vec<AccessEvent>,
    /// The values of the policy's custom fields, by id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, crate::custom::CustomValue>,
    /// Where the person came from (attribution, not consent evidence).
    pub source: Attribution,
}

/// One consent event with the text that was shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessEvent {
    /// Position in the log.
    pub seq: i64,
    /// `grant` or `withdraw`.
    pub action: String,
    /// Purpose id.
    pub purpose: String,
    /// Policy in force.
    pub policy_id: String,
    /// Its version.
    pub policy_version: String,
    /// SHA-256 of the policy in force.
    pub policy_hash: String,
    /// The exact purpose text shown (grants), from the policy kept under `policy_hash`;
    /// `None` when that policy was never stored (a database older than the policies table).
    pub text: Option<String>,
    /// SHA-256 of the text shown, as recorded.
    pub text_hash: Option<String>,
    /// Whether `text` hashes to `text_hash` (`None` when either is missing).
    pub text_verified: Option<bool>,
    /// Locale of the text.
    pub locale: String,
    /// `api`, `web_form`, `unsubscribe_link`, `erasure`, `retention`.
    pub method: String,
    /// Server time.
    pub received_at: String,
    /// The client's claimed time.
    pub claimed_at: Option<String>,
    /// User-Agent, truncated.
    pub user_agent: Option<String>,
    /// The event's hash in the chain.
    pub hash: String,
}

/// What a backup copy was proven to hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    /// Row counts of the copy.
    pub stats: Stats,
    /// Events in the copy's chain, every link checked.
    pub events: u64,
    /// The copy's chain head, also found at the same place in the live database.
    pub head: String,
    /// Size of the copy in bytes.
    pub bytes: u64,
}

/// Where a contact came from: the first source it signed up with and the latest (either absent
/// when no signup of it carried one). Attribution, not consent evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Attribution {
    /// The first signup's source: first-touch attribution.
    pub first: Option<Touch>,
    /// The latest signup's source: last-touch attribution.
    pub last: Option<Touch>,
}

/// One signup's source, as cleaned by validation, and when the server received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Touch {
    /// Path, UTM parameters, form id.
    #[serde(flatten)]
    pub source: crate::source::Source,
    /// Server time of the signup (RFC 3339).
    pub at: String,
}

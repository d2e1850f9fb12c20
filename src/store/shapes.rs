//! What the store's operations take and give back, whatever the backend: claimed outbox rows and
//! their outcome, whom an erasure names and what it did, export rows with each purpose's state,
//! and row counts.

use std::collections::BTreeMap;

/// One outbox row claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    /// Row id.
    pub id: i64,
    /// What it is (`mail`).
    pub kind: String,
    /// The contact it is about, if any.
    pub contact_id: Option<i64>,
    /// What to send, as JSON (for a mail: the template, locale, link, expiry, purposes).
    pub payload: String,
    /// Attempts so far, this one included.
    pub attempts: u32,
    /// When it was queued (RFC 3339).
    pub created_at: String,
}

/// What became of a claimed outbox row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxOutcome {
    /// Handed over (the relay accepted it) at this time.
    Sent {
        /// When.
        at: String,
    },
    /// Not now (relay down, a temporary refusal): try again at `at`.
    Retry {
        /// The next attempt's time.
        at: String,
        /// Why, for the operator.
        error: String,
    },
    /// Never (a permanent refusal, too many attempts, the contact erased).
    Dead {
        /// When it was given up.
        at: String,
        /// Why, for the operator.
        error: String,
    },
}

/// Whom an erasure request names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EraseTarget {
    /// Contacts whose email dedup key is this (or whose stored address is exactly this).
    Email {
        /// The dedup key of the address as the core computes it, if it parses.
        key: Option<String>,
        /// The address as given.
        raw: String,
    },
    /// Contacts with this E.164 number.
    Phone(String),
}

impl EraseTarget {
    /// The contacts signed up with the address `raw` (matched by its dedup key, as signups are;
    /// an address the parser refuses matches only as stored).
    pub fn email(raw: &str) -> EraseTarget {
        let raw = raw.trim();
        EraseTarget::Email {
            key: crate::fields::email::parse(raw)
                .value
                .map(|e| e.key().to_owned()),
            raw: raw.to_owned(),
        }
    }

    /// The contacts with the number `raw` in E.164 form (`+628123456789`); `None` when it is not.
    pub fn phone(raw: &str) -> Option<EraseTarget> {
        crate::fields::phone::parse(raw.trim(), None)
            .value
            .map(|p| EraseTarget::Phone(p.e164().to_owned()))
    }
}

/// What one erasure did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erased {
    /// Contact rows blanked.
    pub contacts: usize,
    /// Withdrawal events appended (one per purpose still granted).
    pub events: usize,
    /// Stored `Idempotency-Key` answers deleted.
    pub idempotency: usize,
}

/// One exported contact with each purpose's current state.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExportRow {
    /// Stored address.
    pub email: Option<String>,
    /// Address for display.
    pub email_display: Option<String>,
    /// Phone in E.164.
    pub phone_e164: Option<String>,
    /// The phone's line type.
    pub phone_type: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// Locale of the texts shown.
    pub locale: String,
    /// First stored (server time, RFC 3339).
    pub created_at: String,
    /// Last changed (server time, RFC 3339).
    pub updated_at: String,
    /// Each purpose's state, by purpose id.
    pub consent: BTreeMap<String, ConsentStatus>,
    /// An unsubscribe link per purpose granted now ([`Store::export_with_links`] only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unsubscribe_url: Option<BTreeMap<String, String>>,
    /// Where the contact came from: first and latest source.
    pub source: crate::store::Attribution,
    /// The values of the policy's custom fields, by id (left out when there are none).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, crate::custom::CustomValue>,
}

/// A purpose's current state: the last event's action and time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConsentStatus {
    /// `granted`, `withdrawn`, or `pending` (asked on a form, waiting for the address to be
    /// confirmed: not in force).
    pub status: &'static str,
    /// When it last changed.
    pub at: String,
}

/// How many rows each part of the store holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Contacts, erased ones included.
    pub contacts: u64,
    /// Erased contacts (no address and no phone left).
    pub erased: u64,
    /// Consent events.
    pub events: u64,
    /// Stored `Idempotency-Key` answers.
    pub idempotency: u64,
}

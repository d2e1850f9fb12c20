//! A row's status: one value per row, by a fixed precedence, so one column filters the list.
//!
//! `invalid` means the row cannot be contacted (no usable email and no usable phone); the other
//! non-`ok` statuses say why a reachable row must not be contacted as it is. Rows that are `ok`
//! or `fixed` are the ones safe to contact.
//!
//! ```
//! use signup_guard::audit::Status;
//! assert_eq!(Status::NoConsent.as_str(), "no_consent");
//! ```

use super::consent::Consent;
use super::row::Outcome;
use serde::{Deserialize, Serialize};

/// A row's status in the cleaned file (`sg_status`): `ok` and `fixed` are safe to contact.
///
/// The first that applies wins: `invalid` (no usable email and no usable phone), `suppressed`,
/// `no_consent`, `duplicate`, `fixed`, `ok`. The columns `sg_duplicate_of`, `sg_consent` and
/// `sg_review` keep what a higher status hides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Reachable, as typed.
    Ok,
    /// Reachable once normalized (`sg_email`, `sg_phone_e164` or `sg_country` shows the fix).
    Fixed,
    /// No usable email and no usable phone: this row cannot be contacted.
    Invalid,
    /// Reachable, but an earlier row has the same email (or, without email, the same phone).
    Duplicate,
    /// Reachable, but its email or phone is on the `--suppress` list.
    Suppressed,
    /// Reachable, but the consent column says unsubscribed or not opted in.
    NoConsent,
}

impl Status {
    /// The `sg_status` cell.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Fixed => "fixed",
            Status::Invalid => "invalid",
            Status::Duplicate => "duplicate",
            Status::Suppressed => "suppressed",
            Status::NoConsent => "no_consent",
        }
    }

    /// The status of a checked row, `duplicate` when an earlier row has its contact key.
    pub(crate) fn of(row: &Outcome, duplicate: bool) -> Status {
        if !row.reachable {
            Status::Invalid
        } else if row.suppressed {
            Status::Suppressed
        } else if row.consent == Some(Consent::Refused) {
            Status::NoConsent
        } else if duplicate {
            Status::Duplicate
        } else if row.fixed {
            Status::Fixed
        } else {
            Status::Ok
        }
    }
}

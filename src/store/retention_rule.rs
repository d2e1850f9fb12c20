//! The retention rule, backend-neutral: who goes at a given time and why. A contact goes when
//! its last activity is older than the policy's `retention_days` (`retention_expired`), or when
//! it has no purpose granted and nothing changed for longer than the grace period
//! (`no_consent`). Each backend reads a [`Candidate`] per contact and erases what [`Cutoffs::judge`]
//! returns.

use super::{PurgeReason, Purged, Retention};
use crate::clock::format_ms;

/// One day in milliseconds (the daily sweep's period too).
pub(crate) const DAY_MS: u64 = 86_400_000;

/// What the judge reads of a contact that still names someone.
pub(crate) struct Candidate {
    pub(crate) contact_id: i64,
    pub(crate) email: Option<String>,
    pub(crate) phone_e164: Option<String>,
    /// Last signup, re-signup or confirmation (RFC 3339).
    pub(crate) updated: String,
    /// The purposes granted now, space-separated (`None`: none).
    pub(crate) granted: Option<String>,
    /// The latest change of any purpose's state.
    pub(crate) changed: Option<String>,
}

/// The two cut-offs at one moment (RFC 3339; stored times compare as text in this form).
pub(crate) struct Cutoffs {
    expired: Option<String>,
    grace: String,
}

impl Cutoffs {
    /// The cut-offs of `rule` at `now_ms`.
    pub(crate) fn at(rule: Retention, now_ms: u64) -> Cutoffs {
        let ago = |days: u32| format_ms(now_ms.saturating_sub(u64::from(days) * DAY_MS));
        Cutoffs {
            expired: rule.retention_days.map(ago),
            grace: ago(rule.grace_days),
        }
    }

    /// Whether `c` goes, and why.
    pub(crate) fn judge(&self, c: Candidate) -> Option<Purged> {
        let mut granted: Vec<String> = c
            .granted
            .unwrap_or_default()
            .split(' ')
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        granted.sort();
        let updated = c.updated;
        let (reason, since) = if self.expired.as_ref().is_some_and(|cut| &updated < cut) {
            (PurgeReason::RetentionExpired, updated)
        } else {
            let since = c.changed.filter(|t| t > &updated).unwrap_or(updated);
            if !granted.is_empty() || since >= self.grace {
                return None;
            }
            (PurgeReason::NoConsent, since)
        };
        Some(Purged {
            contact_id: c.contact_id,
            email: c.email,
            phone_e164: c.phone_e164,
            reason,
            since,
            granted,
        })
    }
}

//! The retention rule, backend-neutral: who goes at a given time and why. A contact goes when
//! its last activity is older than the policy's `retention_days` (`retention_expired`), or when
//! it has no purpose granted and nothing changed for longer than the grace period
//! (`no_consent`). Each backend reads a [`Candidate`] per contact and erases what [`Cutoffs::judge`]
//! returns, and runs the purge in the daily sweep ([`spawn_sweep`]).

use super::{PurgeReason, Purged, Retention, WriteError};
use crate::clock::{format_ms, Clock};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

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

    /// A contact updated at or after this time is kept whatever its purposes: both rules need
    /// its last activity before their cut-off (the grace period counts from the later of that
    /// activity and its last change of consent). The backends scan only contacts updated
    /// earlier, so a sweep of a list of recent signups reads one column, not their consent.
    pub(crate) fn updated_before(&self) -> &str {
        match &self.expired {
            Some(expired) if expired > &self.grace => expired,
            _ => &self.grace,
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

/// Runs `purge` (erase what the rule says must go at the given time, in milliseconds) on a
/// thread of its own when started and then once a day by `clock`, looking every `tick`, until
/// `stop` is set. A failure is logged and tried again at the next tick.
pub(crate) fn spawn_sweep(
    mut purge: impl FnMut(u64) -> Result<Vec<Purged>, WriteError> + Send + 'static,
    clock: Clock,
    tick: Duration,
    stop: Arc<AtomicBool>,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("signup-guard-retention".into())
        .spawn(move || {
            let mut due = 0;
            while !stop.load(Ordering::Relaxed) {
                let now = clock.unix_ms();
                if now >= due {
                    match purge(now) {
                        Ok(gone) => {
                            due = now + DAY_MS;
                            if !gone.is_empty() {
                                let n = gone.len();
                                crate::log::info("retention_purge", &format!("{n} erased"));
                            }
                        }
                        Err(e) => crate::log::error("retention_purge_failed", &format!("{e:?}")),
                    }
                }
                std::thread::sleep(tick);
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The backends scan only contacts updated before `updated_before`: no contact the judge
    /// would purge may be left out, under either rule, with or without `retention_days`.
    #[test]
    fn the_scan_bound_never_leaves_out_a_contact_that_goes() {
        let now = 1_000 * DAY_MS;
        let day = |d: u64| format_ms(now - d * DAY_MS);
        for retention_days in [None, Some(10), Some(30), Some(400)] {
            for grace_days in [0, 10, 30] {
                let cut = Cutoffs::at(
                    Retention {
                        retention_days,
                        grace_days,
                    },
                    now,
                );
                for updated in [0, 5, 9, 10, 11, 29, 30, 31, 399, 401] {
                    for changed in [None, Some(0), Some(5), Some(updated)] {
                        for granted in [None, Some("newsletter".to_owned())] {
                            let c = Candidate {
                                contact_id: 1,
                                email: None,
                                phone_e164: None,
                                updated: day(updated),
                                granted,
                                changed: changed.map(day),
                            };
                            let goes = cut.judge(c).is_some();
                            let scanned = day(updated).as_str() < cut.updated_before();
                            assert!(
                                !goes || scanned,
                                "{retention_days:?}/{grace_days}: updated {updated} days ago"
                            );
                        }
                    }
                }
            }
        }
        // And the bound does skip: a contact updated today is never read.
        let cut = Cutoffs::at(
            Retention {
                retention_days: Some(30),
                grace_days: 10,
            },
            now,
        );
        assert!(day(0).as_str() >= cut.updated_before());
    }
}

//! Protection against bots and forged requests: which origins may call the API from a browser
//! (the CORS layer and the refusal of foreign POSTs both ask [`origin_allowed`]), the honeypot and
//! minimum-fill-time checks (both answered with the same neutral `submission.rejected`), and the
//! set of `Idempotency-Key`s in flight. The rate limit is in `limit`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// Whether a cross-origin request from `origin` may be answered with CORS headers: it is in the
/// allow-list, or it is this server's own origin (same host as the `Host` header).
pub(crate) fn origin_allowed(origin: &str, host: Option<&str>, allow: &[String]) -> bool {
    if allow
        .iter()
        .any(|a| a == "*" || a.eq_ignore_ascii_case(origin))
    {
        return true;
    }
    let bare = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    matches!((bare, host), (Some(b), Some(h)) if b.eq_ignore_ascii_case(h))
}

/// What a form or client says about how it was filled, for the bot checks.
#[derive(Debug, Default, Clone)]
pub(crate) struct BotSignals {
    /// The honeypot field's value (`sg_hp`): people never see it, bots fill it.
    pub honeypot: Option<String>,
    /// The signed render stamp (`sg_t`).
    pub stamp: Option<String>,
    /// Whether the stamp is mandatory (form posts) or only checked when sent (JSON).
    pub stamp_required: bool,
}

/// What the bot checks make of a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BotCheck {
    /// Store it.
    Pass,
    /// No stamp where one is required, or one too fresh or too old: likely a person whose
    /// browser filled the form (autofill) or who kept it open for a day. Answer with the filled
    /// form and a fresh stamp, never a dead end.
    TooSoon,
    /// The honeypot is filled or the stamp is forged: a bot. The same neutral answer as ever.
    Reject,
}

/// Whether a submission passes the honeypot and the minimum fill time. A bot learns nothing
/// about which check it failed: every refusal is the same `submission.rejected`.
pub(crate) fn bot_check(
    signals: &BotSignals,
    keys: &super::tokens::Keys,
    min_fill_ms: u64,
    now_ms: u64,
) -> BotCheck {
    if signals.honeypot.as_deref().is_some_and(|v| !v.is_empty()) {
        return BotCheck::Reject;
    }
    if min_fill_ms == 0 {
        return BotCheck::Pass;
    }
    let Some(stamp) = signals.stamp.as_deref().filter(|s| !s.is_empty()) else {
        return if signals.stamp_required {
            BotCheck::TooSoon
        } else {
            BotCheck::Pass
        };
    };
    match keys.check_form_stamp(stamp) {
        // From the future, too fast, or older than a day: not a form being filled now.
        Some(rendered)
            if now_ms >= rendered.saturating_add(min_fill_ms)
                && now_ms - rendered <= 24 * 3_600_000 =>
        {
            BotCheck::Pass
        }
        Some(_) => BotCheck::TooSoon,
        None => BotCheck::Reject,
    }
}

/// The `Idempotency-Key`s whose first request is still being processed.
#[derive(Debug, Default, Clone)]
pub(crate) struct InFlight(Arc<Mutex<HashSet<String>>>);

/// Removes its key from the in-flight set when dropped (also when the request is cancelled).
#[derive(Debug)]
pub(crate) struct InFlightGuard {
    set: InFlight,
    key: String,
}

impl InFlight {
    /// Marks `key` in flight, or `None` when it already is (answer 409).
    pub(crate) fn claim(&self, key: &str) -> Option<InFlightGuard> {
        let mut set = self.0.lock().unwrap_or_else(|p| p.into_inner());
        set.insert(key.to_owned()).then(|| InFlightGuard {
            set: self.clone(),
            key: key.to_owned(),
        })
    }
}

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        let mut set = self.set.0.lock().unwrap_or_else(|p| p.into_inner());
        set.remove(&self.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_origin_and_listed_origins_are_allowed() {
        let allow = vec!["https://shop.example".to_owned()];
        assert!(origin_allowed("https://shop.example", None, &allow));
        assert!(origin_allowed(
            "http://127.0.0.1:8080",
            Some("127.0.0.1:8080"),
            &allow
        ));
        assert!(!origin_allowed(
            "https://evil.example",
            Some("127.0.0.1:8080"),
            &allow
        ));
    }

    #[test]
    fn a_filled_honeypot_or_forged_stamp_is_a_bot_a_fast_or_missing_stamp_a_retry() {
        let keys = super::super::tokens::Keys::new(vec![7; 32]);
        let stamp = keys.form_stamp(1_000_000);
        let sig = |hp: &str, st: Option<&str>| BotSignals {
            honeypot: Some(hp.into()),
            stamp: st.map(str::to_owned),
            stamp_required: true,
        };
        let check = |hp, st, now| bot_check(&sig(hp, st), &keys, 1500, now);
        assert_eq!(check("", Some(&stamp), 1_002_000), BotCheck::Pass);
        assert_eq!(check("x", Some(&stamp), 1_002_000), BotCheck::Reject);
        assert_eq!(check("", Some(&stamp), 1_000_500), BotCheck::TooSoon);
        assert_eq!(check("", Some("1000000.00"), 1_002_000), BotCheck::Reject);
        assert_eq!(check("", None, 1_002_000), BotCheck::TooSoon);
        assert_eq!(
            check("", Some(&stamp), 1_000_000 + 25 * 3_600_000),
            BotCheck::TooSoon
        );
    }
}

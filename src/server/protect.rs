//! Protection against bots and floods: a per-client rate limit (token bucket, `N` per minute,
//! 0 = off), the CORS allow-list, the honeypot and minimum-fill-time checks (both answered with
//! the same neutral `submission.rejected`), and the set of `Idempotency-Key`s in flight.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Clients remembered before idle ones are forgotten.
const MAX_TRACKED: usize = 100_000;

/// A token bucket per client address: `per_minute` requests, refilled continuously.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` requests per client per minute; 0 turns it off.
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `client`'s bucket; `Err(seconds)` says when to retry.
    pub fn check(&self, client: IpAddr) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let rate = capacity / 60.0;
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_TRACKED {
            // A full bucket is the same as no entry: forget clients that have refilled.
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < capacity
            });
        }
        let (tokens, at) = buckets.entry(mask(client)).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(capacity);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

/// IPv6 clients are limited per /64 (one subscriber's network), IPv4 per address.
fn mask(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
    }
}

/// Whether a cross-origin request from `origin` may be answered with CORS headers: it is in the
/// allow-list, or it is this server's own origin (same host as the `Host` header).
pub fn origin_allowed(origin: &str, host: Option<&str>, allow: &[String]) -> bool {
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
pub struct BotSignals {
    /// The honeypot field's value (`sg_hp`): people never see it, bots fill it.
    pub honeypot: Option<String>,
    /// The signed render stamp (`sg_t`).
    pub stamp: Option<String>,
    /// Whether the stamp is mandatory (form posts) or only checked when sent (JSON).
    pub stamp_required: bool,
}

/// Whether a submission passes the honeypot and the minimum fill time. Every failure is the
/// same answer, so a bot learns nothing about which check it failed.
pub fn passes_bot_checks(
    signals: &BotSignals,
    keys: &super::tokens::Keys,
    min_fill_ms: u64,
    now_ms: u64,
) -> bool {
    if signals.honeypot.as_deref().is_some_and(|v| !v.is_empty()) {
        return false;
    }
    if min_fill_ms == 0 {
        return true;
    }
    match signals.stamp.as_deref().filter(|s| !s.is_empty()) {
        None => !signals.stamp_required,
        Some(stamp) => match keys.check_form_stamp(stamp) {
            // Too fast, or from the future, or older than a day: not a person filling a form now.
            Some(rendered) => {
                now_ms >= rendered.saturating_add(min_fill_ms)
                    && now_ms - rendered <= 24 * 3_600_000
            }
            None => false,
        },
    }
}

/// The `Idempotency-Key`s whose first request is still being processed.
#[derive(Debug, Default, Clone)]
pub struct InFlight(Arc<Mutex<HashSet<String>>>);

/// Removes its key from the in-flight set when dropped (also when the request is cancelled).
#[derive(Debug)]
pub struct InFlightGuard {
    set: InFlight,
    key: String,
}

impl InFlight {
    /// Marks `key` in flight, or `None` when it already is (answer 409).
    pub fn claim(&self, key: &str) -> Option<InFlightGuard> {
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
    fn bucket_allows_the_burst_then_refuses_and_zero_is_off() {
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let limiter = RateLimiter::new(3);
        assert!((0..3).all(|_| limiter.check(ip).is_ok()));
        let retry = limiter.check(ip).unwrap_err();
        assert!((1..=20).contains(&retry), "{retry}");
        assert!(limiter.check("192.0.2.2".parse().unwrap()).is_ok());
        let off = RateLimiter::new(0);
        assert!((0..10_000).all(|_| off.check(ip).is_ok()));
    }

    #[test]
    fn ipv6_clients_share_their_slash_64() {
        let limiter = RateLimiter::new(1);
        assert!(limiter.check("2001:db8::1".parse().unwrap()).is_ok());
        assert!(limiter.check("2001:db8::2".parse().unwrap()).is_err());
    }

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
    fn honeypot_and_fast_or_forged_stamps_fail_alike() {
        let keys = super::super::tokens::Keys::new(vec![7; 32]);
        let stamp = keys.form_stamp(1_000_000);
        let sig = |hp: &str, st: Option<&str>| BotSignals {
            honeypot: Some(hp.into()),
            stamp: st.map(str::to_owned),
            stamp_required: true,
        };
        assert!(passes_bot_checks(
            &sig("", Some(&stamp)),
            &keys,
            1500,
            1_002_000
        ));
        assert!(!passes_bot_checks(
            &sig("x", Some(&stamp)),
            &keys,
            1500,
            1_002_000
        ));
        assert!(!passes_bot_checks(
            &sig("", Some(&stamp)),
            &keys,
            1500,
            1_000_500
        ));
        assert!(!passes_bot_checks(
            &sig("", Some("1000000.00")),
            &keys,
            1500,
            1_002_000
        ));
        assert!(!passes_bot_checks(&sig("", None), &keys, 1500, 1_002_000));
    }
}

//! The per-client rate limit on POSTs: `governor`'s GCRA, keyed by client address, `N` a minute
//! with a burst of `N` (0 turns it off). IPv6 clients are counted per /64 (one subscriber's
//! network). The client is the peer address, or, with `--trust-proxy` only, the last
//! `X-Forwarded-For` entry (the one the operator's own proxy appended; earlier ones are the
//! client's word). Over the limit: `429` with `submission.rate_limited` and `Retry-After`.
//! The same limiter, per hour, counts the signups of a client that may send a confirmation
//! mail (double opt-in): past it they are stored but mail nothing.
//!
//! `POST /v1/unsubscribe` has its own allowance, [`UNSUBSCRIBE_FACTOR`] times larger: RFC 8058
//! one-click posts come from a mail provider's few servers, many at once after a campaign, and
//! an unsubscribe refused with `429` may never be retried. Signups do not eat into it, nor it
//! into theirs.
//!
//! `POST /v1/validate` has its own allowance too, [`VALIDATE_FACTOR`] times larger: it stores
//! nothing, and the drop-in asks it on every submit and as each custom field is left, so a
//! visitor's checks never use up the signups of the people behind the same address.

use super::error::ApiError;
use super::extract::accept_language;
use super::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Extensions, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;

/// How many times the per-client rate `POST /v1/unsubscribe` may reach.
pub(crate) const UNSUBSCRIBE_FACTOR: u32 = 20;

/// How many times the per-client rate `POST /v1/validate` may reach.
pub(crate) const VALIDATE_FACTOR: u32 = 10;

/// Clients remembered before those whose allowance has refilled are forgotten.
const MAX_TRACKED: usize = 100_000;

/// The limiter of a service (`None` when the limit is off).
#[derive(Debug)]
pub(crate) struct Limiter(Option<DefaultKeyedRateLimiter<IpAddr>>);

impl Limiter {
    /// `per_minute` requests per client; 0 turns the limit off.
    pub(crate) fn new(per_minute: u32) -> Limiter {
        Limiter(NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n))))
    }

    /// `per_hour` per client, in a burst or spread out (double opt-in mails); 0: no limit.
    pub(crate) fn per_hour(per_hour: u32) -> Limiter {
        Limiter(NonZeroU32::new(per_hour).map(|n| RateLimiter::keyed(Quota::per_hour(n))))
    }

    /// Takes one request from `client`'s allowance; `Err(seconds)` says when to retry.
    pub(crate) fn check(&self, client: IpAddr) -> Result<(), u64> {
        let Some(limiter) = &self.0 else {
            return Ok(());
        };
        if limiter.len() >= MAX_TRACKED {
            limiter.retain_recent();
        }
        limiter.check_key(&mask(client)).map_err(|not_until| {
            let wait = not_until.wait_time_from(limiter.clock().now());
            wait.as_secs_f64().ceil().max(1.0) as u64
        })
    }
}

/// IPv6 clients are limited per /64, IPv4 per address.
fn mask(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
    }
}

/// The client address of `req` for the limit.
fn client(req: &Request, trust_proxy: bool) -> IpAddr {
    client_ip(req.extensions(), req.headers(), trust_proxy)
}

/// The client address of a request from its extensions (the peer) and headers.
pub(crate) fn client_ip(ext: &Extensions, headers: &HeaderMap, trust_proxy: bool) -> IpAddr {
    let peer = ext.get::<ConnectInfo<SocketAddr>>();
    let peer = peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    let forwarded = trust_proxy.then(|| {
        let values = headers.get_all("x-forwarded-for").iter();
        let entries = values
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','));
        entries.last()?.trim().parse::<IpAddr>().ok()
    });
    forwarded.flatten().unwrap_or(peer)
}

/// The layer: POSTs over the limit are refused; other methods pass.
pub(crate) async fn rate_limit(State(s): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() == Method::POST {
        let limiter = match req.uri().path() {
            "/v1/unsubscribe" => &s.0.unsubscribe_limiter,
            "/v1/validate" => &s.0.validate_limiter,
            _ => &s.0.limiter,
        };
        if let Err(retry) = limiter.check(client(&req, s.config().trust_proxy)) {
            return ApiError::RateLimited(retry).respond(accept_language(req.headers()));
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_burst_passes_then_refuses_and_zero_is_off() {
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let limiter = Limiter::new(3);
        assert!((0..3).all(|_| limiter.check(ip).is_ok()));
        let retry = limiter.check(ip).unwrap_err();
        assert!((1..=20).contains(&retry), "{retry}");
        assert!(limiter.check("192.0.2.2".parse().unwrap()).is_ok());
        let off = Limiter::new(0);
        assert!((0..10_000).all(|_| off.check(ip).is_ok()));
    }

    #[test]
    fn ipv6_clients_share_their_slash_64() {
        let limiter = Limiter::new(1);
        assert!(limiter.check("2001:db8::1".parse().unwrap()).is_ok());
        assert!(limiter.check("2001:db8::2".parse().unwrap()).is_err());
    }
}

//! Keys derived from the server secret with HMAC-SHA256: the `contact_key` that names a person in
//! the consent log without their address, and unsubscribe tokens (one per contact and purpose).
//! The server adds its signed form-render stamp over the same secret (`server::tokens`).
//!
//! The secret comes from `SIGNUP_GUARD_SECRET` or is generated on first run and kept in the
//! store ([`super::Store::secret`]), so links sent last year still work after a restart.
//!
//! ```
//! use signup_guard::store::Keys;
//! let keys = Keys::new(b"0123456789abcdef".to_vec());
//! let token = keys.unsubscribe_token(7, &keys.contact_key("jane@example.org"), "newsletter");
//! assert!(token.starts_with("7.newsletter."));
//! ```

use crate::digest::hex;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// Hex characters kept from an unsubscribe or stamp MAC (128 bits).
pub(crate) const SHORT_MAC: usize = 32;

/// The server secret and what is derived from it.
#[derive(Clone)]
pub struct Keys {
    /// HMAC-SHA256 keyed once with the secret; each MAC starts from a clone, which skips
    /// hashing the key pads again.
    keyed: HmacSha256,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|p| u8::from_str_radix(p, 16).ok()))
        .collect()
}

/// The unsubscribe link for `token` under the service's public `base` (`https://x.example`;
/// an empty base gives the path alone, as the signup answer does).
pub fn unsubscribe_url(base: &str, token: &str) -> String {
    const PATH: &str = "/v1/unsubscribe?token=";
    let base = base.trim_end_matches('/');
    let mut url = String::with_capacity(base.len() + PATH.len() + token.len());
    url.push_str(base);
    url.push_str(PATH);
    url.push_str(token);
    url
}

impl Keys {
    /// Keys over `secret` (at least 16 bytes is sensible; the generated one has 32).
    pub fn new(secret: Vec<u8>) -> Keys {
        // HMAC accepts keys of any length, so this cannot fail.
        let keyed = HmacSha256::new_from_slice(&secret).unwrap_or_else(|_| unreachable!());
        Keys { keyed }
    }

    /// HMAC-SHA256 under the secret of `domain` and `parts`, each part after a NUL separator.
    pub(crate) fn mac(&self, domain: &str, parts: &[&str]) -> HmacSha256 {
        let mut mac = self.keyed.clone();
        mac.update(domain.as_bytes());
        for p in parts {
            mac.update(&[0]);
            mac.update(p.as_bytes());
        }
        mac
    }

    /// HMAC-SHA256 of a dedup key (email key, or `tel:` + E.164): how events name a person.
    pub fn contact_key(&self, dedup_key: &str) -> String {
        hex(&self.mac("contact", &[dedup_key]).finalize().into_bytes())
    }

    /// The unsubscribe token for one contact and purpose: `ID.PURPOSE.MAC`.
    pub fn unsubscribe_token(&self, contact_id: i64, contact_key: &str, purpose: &str) -> String {
        let mac = hex(&self
            .mac("unsubscribe", &[contact_key, purpose])
            .finalize()
            .into_bytes());
        let mac = mac.get(..SHORT_MAC).unwrap_or(&mac);
        let mut token = String::with_capacity(24 + purpose.len() + mac.len());
        super::canonical::push_int(&mut token, contact_id);
        token.push('.');
        token.push_str(purpose);
        token.push('.');
        token.push_str(mac);
        token
    }

    /// Splits a token into (contact id, purpose, MAC) without checking the MAC.
    pub fn parse_unsubscribe(token: &str) -> Option<(i64, &str, &str)> {
        let mut parts = token.trim().splitn(3, '.');
        let id = parts.next()?.parse().ok()?;
        let purpose = parts.next()?;
        let mac = parts.next()?;
        let valid_purpose = !purpose.is_empty()
            && purpose.len() <= 64
            && purpose
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        (valid_purpose && mac.len() == SHORT_MAC).then_some((id, purpose, mac))
    }

    /// The confirmation token of a double opt-in mail: `ID.EXPIRES_MS.MAC`, the MAC over the
    /// contact's key and the expiry, so the link cannot be stretched nor moved to someone else.
    pub fn confirm_token(&self, contact_id: i64, contact_key: &str, expires_ms: u64) -> String {
        let expires = expires_ms.to_string();
        let mac = hex(&self
            .mac("confirm", &[contact_key, &expires])
            .finalize()
            .into_bytes());
        let mac = mac.get(..SHORT_MAC).unwrap_or(&mac);
        format!("{contact_id}.{expires}.{mac}")
    }

    /// Splits a confirmation token into (contact id, expiry in ms, MAC) without checking it.
    pub fn parse_confirm(token: &str) -> Option<(i64, u64, &str)> {
        let mut parts = token.trim().splitn(3, '.');
        let id = parts.next()?.parse().ok()?;
        let expires = parts.next()?.parse().ok()?;
        let mac = parts.next()?;
        (mac.len() == SHORT_MAC).then_some((id, expires, mac))
    }

    /// Whether `mac` is right for this contact and expiry (constant-time comparison).
    pub fn check_confirm(&self, contact_key: &str, expires_ms: u64, mac: &str) -> bool {
        let Some(bytes) = unhex(mac) else {
            return false;
        };
        self.mac("confirm", &[contact_key, &expires_ms.to_string()])
            .verify_truncated_left(&bytes)
            .is_ok()
    }

    /// Whether `mac` is right for this contact and purpose (constant-time comparison).
    pub fn check_unsubscribe(&self, contact_key: &str, purpose: &str, mac: &str) -> bool {
        let Some(bytes) = unhex(mac) else {
            return false;
        };
        self.mac("unsubscribe", &[contact_key, purpose])
            .verify_truncated_left(&bytes)
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsubscribe_token_round_trips_and_refuses_another_purpose() {
        let keys = Keys::new(b"0123456789abcdef".to_vec());
        let ck = keys.contact_key("jane@example.org");
        let token = keys.unsubscribe_token(7, &ck, "newsletter");
        let (id, purpose, mac) = Keys::parse_unsubscribe(&token).unwrap();
        assert_eq!((id, purpose), (7, "newsletter"));
        assert!(keys.check_unsubscribe(&ck, purpose, mac));
        assert!(!keys.check_unsubscribe(&ck, "sms_offers", mac));
        let other = Keys::new(b"another secret!!".to_vec());
        assert!(!other.check_unsubscribe(&ck, purpose, mac));
    }

    #[test]
    fn confirm_token_binds_contact_and_expiry() {
        let keys = Keys::new(b"0123456789abcdef".to_vec());
        let ck = keys.contact_key("jane@example.org");
        let token = keys.confirm_token(7, &ck, 1_800_000_000_000);
        let (id, expires, mac) = Keys::parse_confirm(&token).unwrap();
        assert_eq!((id, expires), (7, 1_800_000_000_000));
        assert!(keys.check_confirm(&ck, expires, mac));
        assert!(
            !keys.check_confirm(&ck, expires + 1, mac),
            "a stretched expiry"
        );
        assert!(!keys.check_confirm(&keys.contact_key("joe@example.org"), expires, mac));
        for bad in [
            "",
            "7",
            "7.x.00",
            "7.1.zz",
            "a.1.0123456789abcdef0123456789abcdef",
        ] {
            assert!(Keys::parse_confirm(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn garbled_tokens_are_refused_not_panicking() {
        for bad in [
            "",
            "x",
            "1.",
            "1.n.",
            "1.n.zz",
            "١.n.00",
            "1.a b.0123456789abcdef0123456789abcdef",
        ] {
            assert!(Keys::parse_unsubscribe(bad).is_none(), "{bad}");
        }
    }
}

//! The Standard Webhooks signature: `v1,` + base64 of HMAC-SHA256 under the secret's key over
//! `{webhook-id}.{webhook-timestamp}.{body}`; with two secrets (a rotation), two signatures
//! separated by a space, so a receiver holding either one verifies.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The `webhook-signature` header for `body` sent as message `id` at `timestamp` (Unix seconds).
pub(crate) fn signature(keys: &[Vec<u8>], id: &str, timestamp: u64, body: &str) -> String {
    let timestamp = timestamp.to_string();
    let mut out = String::new();
    for key in keys {
        // HMAC accepts a key of any length; `new_from_slice` cannot fail for it.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
            continue;
        };
        for part in [id, ".", &timestamp, ".", body] {
            mac.update(part.as_bytes());
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str("v1,");
        base64::engine::general_purpose::STANDARD
            .encode_string(mac.finalize().into_bytes(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::webhooks::secret_key;

    /// The example of the Standard Webhooks reference libraries' tests (secret, id, timestamp,
    /// body and the signature they expect).
    #[test]
    fn the_reference_example_signs_as_the_libraries_expect() {
        let key = secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let sig = signature(
            std::slice::from_ref(&key),
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        let two = signature(&[key.clone(), key], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1, "{}");
        assert_eq!(two.split(' ').count(), 2, "{two}");
        assert!(two.split(' ').all(|s| s.starts_with("v1,")), "{two}");
    }
}

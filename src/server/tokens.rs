//! The signed form-render stamp that measures how long a form took to fill: `MILLIS.MAC` in the
//! form's hidden `sg_t` field, an HMAC under the same server secret as the store's
//! [`Keys`] (which also make `contact_key`s and unsubscribe tokens).

use crate::digest::hex;
use crate::store::keys::{unhex, SHORT_MAC};
pub use crate::store::Keys;
use hmac::Mac;

impl Keys {
    /// A signed render stamp `MILLIS.MAC` for the form's hidden `sg_t` field.
    pub fn form_stamp(&self, unix_ms: u64) -> String {
        let ms = unix_ms.to_string();
        let mac = hex(&self.mac("form", &[&ms]).finalize().into_bytes());
        format!("{ms}.{}", mac.get(..SHORT_MAC).unwrap_or(&mac))
    }

    /// The render time of a genuine stamp, or `None` for a forged or garbled one.
    pub fn check_form_stamp(&self, stamp: &str) -> Option<u64> {
        let (ms, mac) = stamp.trim().split_once('.')?;
        let bytes = unhex(mac).filter(|b| b.len() * 2 == SHORT_MAC)?;
        self.mac("form", &[ms]).verify_truncated_left(&bytes).ok()?;
        ms.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbled_stamps_are_refused_not_panicking() {
        let keys = Keys::new(vec![1; 32]);
        let stamp = keys.form_stamp(1_700_000_000_000);
        assert_eq!(keys.check_form_stamp(&stamp), Some(1_700_000_000_000));
        assert_eq!(keys.check_form_stamp("1700000000001.00"), None);
        assert_eq!(keys.check_form_stamp(&stamp.replace("17", "18")), None);
        assert_eq!(keys.check_form_stamp("é.é"), None);
    }
}

//! The consent log's hash chain: each event is hashed over its canonical JSON form (RFC 8785
//! style: keys sorted, no white space, integers and strings only), which includes the previous
//! event's hash, so editing, removing or reordering any event breaks every later link.
//!
//! Any tool can recompute a hash: take the event's fields except `hash`, write them as JSON with
//! keys in code-point order and no spaces, and take the lowercase hex SHA-256 of the UTF-8 bytes.

use crate::policy::sha256_hex;

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an event records: a grant when a form with a ticked box was stored, a withdrawal when
/// the person used an unsubscribe link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The person ticked the box for the purpose.
    Grant,
    /// The person withdrew consent for the purpose.
    Withdraw,
}

impl Action {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Grant => "grant",
            Action::Withdraw => "withdraw",
        }
    }
}

/// One consent event, as stored in `consent_events` (every column except `hash`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Position in the log, from 1.
    pub seq: i64,
    /// HMAC-SHA256(server secret, dedup key): names the person without their address.
    pub contact_key: String,
    /// `grant` or `withdraw`.
    pub action: String,
    /// The purpose id.
    pub purpose: String,
    /// The policy in force.
    pub policy_id: String,
    /// Its version.
    pub policy_version: String,
    /// SHA-256 of the whole policy file in force.
    pub policy_hash: String,
    /// SHA-256 of the purpose text shown (grants only).
    pub text_hash: Option<String>,
    /// Whether the box was ticked before the person acted: always false here, by construction.
    pub rendered_checked: bool,
    /// Whether the form could not be sent without this box.
    pub required_to_submit: bool,
    /// Locale of the text shown.
    pub locale: String,
    /// How it happened: `api`, `web_form`, `unsubscribe_link`.
    pub method: String,
    /// The server's clock (RFC 3339, UTC): the record.
    pub received_at: String,
    /// The client's own timestamp, recorded as claimed, never trusted.
    pub claimed_at: Option<String>,
    /// The browser's User-Agent, truncated.
    pub user_agent: Option<String>,
    /// The previous event's hash ([`GENESIS`] for the first).
    pub prev_hash: String,
}

/// A JSON scalar in the canonical form.
enum Canon<'a> {
    Str(&'a str),
    OptStr(Option<&'a str>),
    Bool(bool),
    Int(i64),
}

impl Event {
    /// The canonical JSON the hash is taken over (keys sorted, no white space).
    pub fn canonical(&self) -> String {
        let mut fields: [(&str, Canon); 16] = [
            ("seq", Canon::Int(self.seq)),
            ("contact_key", Canon::Str(&self.contact_key)),
            ("action", Canon::Str(&self.action)),
            ("purpose", Canon::Str(&self.purpose)),
            ("policy_id", Canon::Str(&self.policy_id)),
            ("policy_version", Canon::Str(&self.policy_version)),
            ("policy_hash", Canon::Str(&self.policy_hash)),
            ("text_hash", Canon::OptStr(self.text_hash.as_deref())),
            ("rendered_checked", Canon::Bool(self.rendered_checked)),
            ("required_to_submit", Canon::Bool(self.required_to_submit)),
            ("locale", Canon::Str(&self.locale)),
            ("method", Canon::Str(&self.method)),
            ("received_at", Canon::Str(&self.received_at)),
            ("claimed_at", Canon::OptStr(self.claimed_at.as_deref())),
            ("user_agent", Canon::OptStr(self.user_agent.as_deref())),
            ("prev_hash", Canon::Str(&self.prev_hash)),
        ];
        // Keys are ASCII, so byte order equals RFC 8785's UTF-16 code-unit order.
        fields.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut out = String::with_capacity(512);
        out.push('{');
        for (i, (key, value)) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_str(&mut out, key);
            out.push(':');
            match value {
                Canon::Str(s) | Canon::OptStr(Some(s)) => push_str(&mut out, s),
                Canon::OptStr(None) => out.push_str("null"),
                Canon::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Canon::Int(n) => out.push_str(&n.to_string()),
            }
        }
        out.push('}');
        out
    }

    /// The event's hash: lowercase hex SHA-256 of [`Event::canonical`].
    pub fn hash(&self) -> String {
        sha256_hex(&self.canonical())
    }
}

/// Appends `s` as a JSON string with RFC 8785 escaping (`"`, `\`, and control characters only;
/// `\b \t \n \f \r` short forms, otherwise `\u00xx` in lowercase hex).
fn push_str(out: &mut String, s: &str) {
    use std::fmt::Write;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> Event {
        Event {
            seq: 1,
            contact_key: "ck".into(),
            action: "grant".into(),
            purpose: "newsletter".into(),
            policy_id: "acme".into(),
            policy_version: "3".into(),
            policy_hash: "ph".into(),
            text_hash: Some("th".into()),
            rendered_checked: false,
            required_to_submit: false,
            locale: "fa".into(),
            method: "web_form".into(),
            received_at: "2026-11-23T10:00:00.000Z".into(),
            claimed_at: None,
            user_agent: Some("Mozilla \"x\"\n".into()),
            prev_hash: GENESIS.into(),
        }
    }

    #[test]
    fn canonical_form_sorts_keys_and_escapes_like_rfc8785() {
        let c = event().canonical();
        assert!(
            c.starts_with(
                r#"{"action":"grant","claimed_at":null,"contact_key":"ck","locale":"fa""#
            ),
            "{c}"
        );
        assert!(c.contains(r#""user_agent":"Mozilla \"x\"\n""#), "{c}");
        assert!(
            c.contains(r#""rendered_checked":false,"required_to_submit":false,"seq":1"#),
            "{c}"
        );
        // Any JSON parser reads it back to the same values.
        let v: serde_json::Value = serde_json::from_str(&c).unwrap();
        assert_eq!(v["prev_hash"], GENESIS);
    }

    #[test]
    fn any_field_change_changes_the_hash() {
        let a = event();
        let mut b = event();
        b.purpose = "sms_offers".into();
        assert_ne!(a.hash(), b.hash());
        let mut c = event();
        c.prev_hash = "1".repeat(64);
        assert_ne!(a.hash(), c.hash());
    }
}

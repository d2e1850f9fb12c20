//! The consent log's hash chain: each event is hashed over its canonical JSON form (RFC 8785
//! style: keys sorted, no white space, integers and strings only), which includes the previous
//! event's hash, so editing, removing or reordering any event breaks every later link.
//!
//! Any tool can recompute a hash: take the event's fields except `hash`, write them as JSON with
//! keys in code-point order and no spaces, and take the lowercase hex SHA-256 of the UTF-8 bytes.
//! The crate's chain verifier does it for every backend: each streams its events through it, in
//! `seq` order.

use super::EventMeta;
use crate::digest::sha256_hex;

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

/// The last event of the log: where the next one links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    /// Its sequence number (0 for an empty log).
    pub seq: i64,
    /// Its hash ([`GENESIS`] for an empty log).
    pub hash: String,
}

impl Default for ChainHead {
    fn default() -> Self {
        ChainHead {
            seq: 0,
            hash: GENESIS.to_owned(),
        }
    }
}

/// The outcome of checking the consent log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainCheck {
    /// Every link holds: the number of events and the head hash.
    Intact {
        /// Events checked.
        events: u64,
        /// The last event's hash (keep it elsewhere to detect truncation).
        head: String,
    },
    /// The first broken link: its `seq` and what is wrong.
    Broken {
        /// The event's sequence number.
        seq: i64,
        /// What does not hold.
        reason: String,
    },
}

/// Checks events fed in `seq` order: each is the next number, links to the previous hash, and
/// hashes to what is stored.
pub(crate) struct Verifier {
    prev: String,
    expected_seq: i64,
    events: u64,
}

impl Verifier {
    /// A verifier at the start of the log.
    pub(crate) fn new() -> Verifier {
        Verifier {
            prev: GENESIS.to_owned(),
            expected_seq: 1,
            events: 0,
        }
    }

    /// Checks the next event and its stored hash; `Err` with the first broken link.
    pub(crate) fn check(&mut self, e: &Event, stored: String) -> Result<(), ChainCheck> {
        let broken = |reason: &str| ChainCheck::Broken {
            seq: e.seq,
            reason: reason.to_owned(),
        };
        if e.seq != self.expected_seq {
            let expected = self.expected_seq;
            return Err(broken(&format!(
                "expected event {expected}: events are missing"
            )));
        }
        if e.prev_hash != self.prev {
            return Err(broken("prev_hash does not match the previous event's hash"));
        }
        if e.hash() != stored {
            return Err(broken(
                "contents do not match its hash (the row was edited)",
            ));
        }
        self.prev = stored;
        self.expected_seq += 1;
        self.events += 1;
        Ok(())
    }

    /// The verdict once every event has been checked.
    pub(crate) fn finish(self) -> ChainCheck {
        ChainCheck::Intact {
            events: self.events,
            head: self.prev,
        }
    }
}

/// A JSON scalar in the canonical form.
enum Canon<'a> {
    Str(&'a str),
    OptStr(Option<&'a str>),
    Bool(bool),
    Int(i64),
}

impl Event {
    /// An event of `action` on `purpose` for `contact_key` in the context `meta`; `seq` and
    /// `prev_hash` are set when it is appended at the head.
    pub(crate) fn new(meta: &EventMeta, contact_key: &str, action: Action, purpose: &str) -> Event {
        Event {
            seq: 0,
            contact_key: contact_key.to_owned(),
            action: action.as_str().to_owned(),
            purpose: purpose.to_owned(),
            policy_id: meta.policy_id.clone(),
            policy_version: meta.policy_version.clone(),
            policy_hash: meta.policy_hash.clone(),
            text_hash: None,
            rendered_checked: false,
            required_to_submit: false,
            locale: meta.locale.clone(),
            method: meta.method.to_owned(),
            received_at: meta.received_at.clone(),
            claimed_at: meta.claimed_at.clone(),
            user_agent: meta.user_agent.clone(),
            prev_hash: String::new(),
        }
    }

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
    fn the_verifier_names_the_first_broken_link() {
        let first = event();
        let mut second = event();
        second.seq = 2;
        second.prev_hash = first.hash();
        let mut v = Verifier::new();
        assert_eq!(v.check(&first, first.hash()), Ok(()));
        assert_eq!(v.check(&second, second.hash()), Ok(()));
        assert_eq!(
            v.finish(),
            ChainCheck::Intact {
                events: 2,
                head: second.hash()
            }
        );
        let mut v = Verifier::new();
        assert_eq!(v.check(&first, first.hash()), Ok(()));
        let edited = Event {
            purpose: "sms_offers".into(),
            ..second.clone()
        };
        assert!(matches!(
            v.check(&edited, second.hash()),
            Err(ChainCheck::Broken { seq: 2, .. })
        ));
        let mut v = Verifier::new();
        assert!(matches!(
            v.check(&second, second.hash()),
            Err(ChainCheck::Broken { seq: 2, .. })
        ));
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

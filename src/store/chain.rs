//! The consent log's hash chain: each event is hashed over its canonical JSON form (RFC 8785
//! style: keys sorted, no white space, integers and strings only), which includes the previous
//! event's hash, so editing, removing or reordering any event breaks every later link.
//!
//! Any tool can recompute a hash: take the event's fields except `hash`, write them as JSON with
//! keys in code-point order and no spaces, and take the lowercase hex SHA-256 of the UTF-8 bytes.
//! The crate's chain verifier does it for every backend: each streams its events through it, in
//! `seq` order.

use super::EventMeta;
use sha2::{Digest, Sha256};

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

/// An event's fields, borrowed: what the writer hashes and stores without copying the
/// request's strings. [`Event`] is the owned form read back from the log.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventRef<'a> {
    pub(crate) seq: i64,
    pub(crate) contact_key: &'a str,
    pub(crate) action: &'a str,
    pub(crate) purpose: &'a str,
    pub(crate) policy_id: &'a str,
    pub(crate) policy_version: &'a str,
    pub(crate) policy_hash: &'a str,
    pub(crate) text_hash: Option<&'a str>,
    pub(crate) rendered_checked: bool,
    pub(crate) required_to_submit: bool,
    pub(crate) locale: &'a str,
    pub(crate) method: &'a str,
    pub(crate) received_at: &'a str,
    pub(crate) claimed_at: Option<&'a str>,
    pub(crate) user_agent: Option<&'a str>,
    pub(crate) prev_hash: &'a str,
}

impl<'a> EventRef<'a> {
    /// An event of `action` on `purpose` for `contact_key` in the context `meta`; `seq` and
    /// `prev_hash` are set when it is appended at the head.
    pub(crate) fn new(
        meta: &'a EventMeta,
        contact_key: &'a str,
        action: Action,
        purpose: &'a str,
    ) -> EventRef<'a> {
        EventRef {
            seq: 0,
            contact_key,
            action: action.as_str(),
            purpose,
            policy_id: &meta.policy_id,
            policy_version: &meta.policy_version,
            policy_hash: &meta.policy_hash,
            text_hash: None,
            rendered_checked: false,
            required_to_submit: false,
            locale: &meta.locale,
            method: meta.method,
            received_at: &meta.received_at,
            claimed_at: meta.claimed_at.as_deref(),
            user_agent: meta.user_agent.as_deref(),
            prev_hash: "",
        }
    }

    /// The fields in canonical order: keys sorted by code point (they are ASCII, so byte order
    /// equals RFC 8785's UTF-16 code-unit order; a test checks the order).
    fn fields(&self) -> [(&'static str, Canon<'a>); 16] {
        [
            ("action", Canon::Str(self.action)),
            ("claimed_at", Canon::OptStr(self.claimed_at)),
            ("contact_key", Canon::Str(self.contact_key)),
            ("locale", Canon::Str(self.locale)),
            ("method", Canon::Str(self.method)),
            ("policy_hash", Canon::Str(self.policy_hash)),
            ("policy_id", Canon::Str(self.policy_id)),
            ("policy_version", Canon::Str(self.policy_version)),
            ("prev_hash", Canon::Str(self.prev_hash)),
            ("purpose", Canon::Str(self.purpose)),
            ("received_at", Canon::Str(self.received_at)),
            ("rendered_checked", Canon::Bool(self.rendered_checked)),
            ("required_to_submit", Canon::Bool(self.required_to_submit)),
            ("seq", Canon::Int(self.seq)),
            ("text_hash", Canon::OptStr(self.text_hash)),
            ("user_agent", Canon::OptStr(self.user_agent)),
        ]
    }

    /// Writes the canonical JSON to `out` piece by piece (no intermediate string).
    fn write_canonical(&self, out: &mut impl Sink) {
        out.put("{");
        for (i, (key, value)) in self.fields().iter().enumerate() {
            if i > 0 {
                out.put(",\"");
            } else {
                out.put("\"");
            }
            // Keys need no escaping.
            out.put(key);
            out.put("\":");
            match value {
                Canon::Str(s) | Canon::OptStr(Some(s)) => put_json_str(out, s),
                Canon::OptStr(None) => out.put("null"),
                Canon::Bool(b) => out.put(if *b { "true" } else { "false" }),
                Canon::Int(n) => put_int(out, *n),
            }
        }
        out.put("}");
    }

    /// The canonical JSON the hash is taken over (keys sorted, no white space).
    pub(crate) fn canonical(&self) -> String {
        let mut out = String::with_capacity(640);
        self.write_canonical(&mut out);
        out
    }

    /// Lowercase hex SHA-256 of the canonical JSON, fed to the hash as it is written.
    pub(crate) fn hash(&self) -> String {
        let mut sha = Sha256::new();
        self.write_canonical(&mut sha);
        hex_lower(&sha.finalize())
    }
}

/// Where canonical JSON goes: a string, or straight into a hash.
trait Sink {
    fn put(&mut self, s: &str);
}

impl Sink for String {
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
}

impl Sink for Sha256 {
    fn put(&mut self, s: &str) {
        self.update(s.as_bytes());
    }
}

/// Lowercase hex of `bytes`, without the formatting machinery.
pub(crate) fn hex_lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Appends `n` in decimal to `out`, without the formatting machinery.
pub(crate) fn push_int(out: &mut String, n: i64) {
    put_int(out, n);
}

/// Writes `n` in decimal (JSON's integer form).
fn put_int(out: &mut impl Sink, n: i64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        // `rest % 10` is below 10, so the cast keeps it exactly.
        buf[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        out.put("-");
    }
    // Only ASCII digits were written.
    out.put(std::str::from_utf8(&buf[at..]).unwrap_or_default());
}

/// Writes `s` as a JSON string with RFC 8785 escaping (`"`, `\`, and control characters only;
/// `\b \t \n \f \r` short forms, otherwise `\u00xx` in lowercase hex). Runs that need no
/// escaping are copied whole; every byte escaped is ASCII, so each run ends on a char boundary.
fn put_json_str(out: &mut impl Sink, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.put("\"");
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            b'\t' => "\\t",
            b'\n' => "\\n",
            0x0c => "\\f",
            b'\r' => "\\r",
            0..=0x1f => "",
            _ => continue,
        };
        out.put(s.get(start..i).unwrap_or_default());
        if short.is_empty() {
            let code = [
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ];
            out.put(std::str::from_utf8(&code).unwrap_or_default());
        } else {
            out.put(short);
        }
        start = i + 1;
    }
    out.put(s.get(start..).unwrap_or_default());
    out.put("\"");
}

impl Event {
    /// The event's fields, borrowed.
    pub(crate) fn view(&self) -> EventRef<'_> {
        EventRef {
            seq: self.seq,
            contact_key: &self.contact_key,
            action: &self.action,
            purpose: &self.purpose,
            policy_id: &self.policy_id,
            policy_version: &self.policy_version,
            policy_hash: &self.policy_hash,
            text_hash: self.text_hash.as_deref(),
            rendered_checked: self.rendered_checked,
            required_to_submit: self.required_to_submit,
            locale: &self.locale,
            method: &self.method,
            received_at: &self.received_at,
            claimed_at: self.claimed_at.as_deref(),
            user_agent: self.user_agent.as_deref(),
            prev_hash: &self.prev_hash,
        }
    }

    /// The canonical JSON the hash is taken over (keys sorted, no white space).
    pub fn canonical(&self) -> String {
        self.view().canonical()
    }

    /// The event's hash: lowercase hex SHA-256 of [`Event::canonical`].
    pub fn hash(&self) -> String {
        self.view().hash()
    }
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

    /// The canonical form as it was first written (`fmt` and a char loop), kept as the
    /// reference the direct writer must match byte for byte: stored hashes must still verify.
    fn reference_canonical(e: &Event) -> String {
        use std::fmt::Write;
        fn push_str(out: &mut String, s: &str) {
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
        let mut fields: Vec<(&str, Option<String>, bool)> = vec![
            ("seq", Some(e.seq.to_string()), false),
            ("contact_key", Some(e.contact_key.clone()), true),
            ("action", Some(e.action.clone()), true),
            ("purpose", Some(e.purpose.clone()), true),
            ("policy_id", Some(e.policy_id.clone()), true),
            ("policy_version", Some(e.policy_version.clone()), true),
            ("policy_hash", Some(e.policy_hash.clone()), true),
            ("text_hash", e.text_hash.clone(), true),
            (
                "rendered_checked",
                Some(e.rendered_checked.to_string()),
                false,
            ),
            (
                "required_to_submit",
                Some(e.required_to_submit.to_string()),
                false,
            ),
            ("locale", Some(e.locale.clone()), true),
            ("method", Some(e.method.clone()), true),
            ("received_at", Some(e.received_at.clone()), true),
            ("claimed_at", e.claimed_at.clone(), true),
            ("user_agent", e.user_agent.clone(), true),
            ("prev_hash", Some(e.prev_hash.clone()), true),
        ];
        fields.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = String::from("{");
        for (i, (key, value, quoted)) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_str(&mut out, key);
            out.push(':');
            match value {
                None => out.push_str("null"),
                Some(v) if *quoted => push_str(&mut out, v),
                Some(v) => out.push_str(v),
            }
        }
        out.push('}');
        out
    }

    #[test]
    fn the_direct_writer_matches_the_reference_form_byte_for_byte() {
        let awkward = [
            "",
            "plain",
            "Mozilla \"x\"\n",
            "\u{0}\u{1}\u{1f}\u{7f}\u{8}\u{c}\r\t\\",
            "ümlaut ✓ 😀 \u{202e}bidi\u{200b}",
            "end\\",
            "\"",
            "a\u{1}b\u{1e}c",
        ];
        for (n, s) in awkward.iter().enumerate() {
            for seq in [0, 1, 9, 10, 12_345_678_901, -7, i64::MAX, i64::MIN] {
                let mut e = event();
                e.seq = seq;
                e.contact_key = (*s).to_owned();
                e.user_agent = (n % 2 == 0).then(|| (*s).to_owned());
                e.claimed_at = (n % 3 == 0).then(|| (*s).to_owned());
                e.text_hash = (n % 2 == 1).then(|| (*s).to_owned());
                e.locale = s.repeat(3);
                e.rendered_checked = n % 2 == 0;
                e.required_to_submit = n % 3 == 0;
                let reference = reference_canonical(&e);
                assert_eq!(e.canonical(), reference, "{s:?} {seq}");
                assert_eq!(e.hash(), crate::digest::sha256_hex(&reference));
            }
        }
        // A known hash (an independent JSON encoder's sorted, compact output of this event).
        assert_eq!(
            event().hash(),
            "a74fe93db19817230887a261957daac30e6189ef7a8465cbcb88a138453108ad"
        );
    }

    #[test]
    fn canonical_keys_are_in_code_point_order() {
        let e = event();
        let keys: Vec<&str> = e.view().fields().iter().map(|f| f.0).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(keys, sorted);
        assert_eq!(keys.len(), 16);
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

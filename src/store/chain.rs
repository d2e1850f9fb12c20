//! The consent log's hash chain: each event is hashed over its canonical JSON form (RFC 8785
//! style: keys sorted, no white space, integers and strings only), which includes the previous
//! event's hash, so editing, removing or reordering any event breaks every later link.
//!
//! Any tool can recompute a hash: take the event's fields except `hash`, write them as JSON with
//! keys in code-point order and no spaces, and take the lowercase hex SHA-256 of the UTF-8 bytes.
//! The crate's chain verifier does it for every backend: each streams its events through it, in
//! `seq` order.

use super::canonical::{put_int, put_json_str, Sink};
use super::EventMeta;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an event records: a grant when a form with a ticked box was stored (or, under double
/// opt-in, when the address was confirmed), a request when such a form waits for that
/// confirmation, a withdrawal when the person used an unsubscribe link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The person ticked the box on a form whose policy asks for a confirmed address: not in
    /// force until a `grant` (method `double_opt_in`) follows.
    Request,
    /// The person ticked the box for the purpose.
    Grant,
    /// The person withdrew consent for the purpose.
    Withdraw,
}

impl Action {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Request => "request",
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
    /// `request`, `grant` or `withdraw`.
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
    /// How it happened: `api`, `web_form`, `unsubscribe_link`, `double_opt_in`, `erasure`,
    /// `unconfirmed` (a request that lapsed).
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
        crate::digest::hex(&sha.finalize())
    }
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
#[path = "chain_tests.rs"]
mod tests;

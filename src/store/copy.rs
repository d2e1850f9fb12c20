//! What `migrate` copies from one backend to another, backend-neutral: every table with its
//! columns in order and each column's kind, and the [`Cell`] a row travels in. The source
//! backend streams each table's rows in key order; the target inserts them as they are (ids,
//! sequence numbers and hashes untouched), so the chain verifies on the target as it did on
//! the source. Only a build with the `postgres` feature has a target to copy into.
#![cfg_attr(not(feature = "postgres"), allow(dead_code))]

/// One value of a copied row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    /// SQL NULL.
    Null,
    /// An integer (also a SQLite boolean, 0 or 1).
    Int(i64),
    /// Text.
    Text(String),
}

/// Where a source sends each row of each table, in order.
pub(crate) type Sink<'a> = &'a mut dyn FnMut(&Table, Vec<Cell>) -> Result<(), super::StoreError>;

/// How the target stores a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text.
    Text,
    /// A 64-bit integer.
    Int,
    /// A boolean (an integer 0 or 1 in SQLite).
    Bool,
}

/// A table to copy: its name, its columns and their kinds, and the order rows come in.
pub(crate) struct Table {
    pub(crate) name: &'static str,
    pub(crate) columns: &'static [(&'static str, Kind)],
    pub(crate) order: &'static str,
}

use Kind::{Bool, Int, Text};

/// Every table of the store, parents first.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "meta",
        columns: &[("key", Text), ("value", Text)],
        order: "key",
    },
    Table {
        name: "contacts",
        columns: &[
            ("id", Int),
            ("contact_key", Text),
            ("email_key", Text),
            ("email", Text),
            ("email_display", Text),
            ("phone_e164", Text),
            ("phone_type", Text),
            ("phone_display", Text),
            ("phone_extension", Text),
            ("given_name", Text),
            ("family_name", Text),
            ("country", Text),
            ("locale", Text),
            ("created_at", Text),
            ("updated_at", Text),
            ("pending_since", Text),
            ("confirmed_at", Text),
            ("custom", Text),
        ],
        order: "id",
    },
    Table {
        name: "consent_events",
        columns: &[
            ("seq", Int),
            ("contact_key", Text),
            ("action", Text),
            ("purpose", Text),
            ("policy_id", Text),
            ("policy_version", Text),
            ("policy_hash", Text),
            ("text_hash", Text),
            ("rendered_checked", Bool),
            ("required_to_submit", Bool),
            ("locale", Text),
            ("method", Text),
            ("received_at", Text),
            ("claimed_at", Text),
            ("user_agent", Text),
            ("prev_hash", Text),
            ("hash", Text),
        ],
        order: "seq",
    },
    Table {
        name: "consent_state",
        columns: &[
            ("contact_id", Int),
            ("purpose", Text),
            ("action", Text),
            ("seq", Int),
            ("at", Text),
        ],
        order: "contact_id, purpose",
    },
    Table {
        name: "idempotency",
        columns: &[
            ("key", Text),
            ("fingerprint", Text),
            ("status", Int),
            ("body", Text),
            ("created_at", Text),
        ],
        order: "key",
    },
    Table {
        name: "outbox",
        columns: &[
            ("id", Int),
            ("kind", Text),
            ("contact_id", Int),
            ("payload", Text),
            ("created_at", Text),
            ("attempts", Int),
            ("next_attempt_at", Text),
            ("sent_at", Text),
            ("dead_at", Text),
            ("last_error", Text),
            ("endpoint", Text),
            ("event_id", Text),
        ],
        order: "id",
    },
    Table {
        name: "webhook_endpoints",
        columns: &[("url", Text), ("events", Text), ("include", Text)],
        order: "url",
    },
    Table {
        name: "policies",
        columns: &[
            ("hash", Text),
            ("policy_id", Text),
            ("version", Text),
            ("json", Text),
            ("stored_at", Text),
            ("used_at", Text),
        ],
        order: "rowid",
    },
    Table {
        name: "attribution",
        columns: &[
            ("contact_id", Int),
            ("touch", Text),
            ("path", Text),
            ("utm_source", Text),
            ("utm_medium", Text),
            ("utm_campaign", Text),
            ("utm_term", Text),
            ("utm_content", Text),
            ("form_id", Text),
            ("at", Text),
        ],
        order: "contact_id, touch",
    },
];

/// What `migrate` copied and then proved on the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrateReport {
    /// Rows copied, per table, in [`TABLES`] order.
    pub rows: Vec<(&'static str, u64)>,
    /// The target's row counts (equal to the source's).
    pub stats: super::Stats,
    /// Events in the target's chain, every link checked.
    pub events: u64,
    /// The chain head, the same on both sides.
    pub head: String,
}

//! Which webhook events a change makes, which endpoints get each, and what each carries:
//! backend-neutral, so SQLite and PostgreSQL queue the same events with the same bodies (each
//! backend only reads the [`Snapshot`] before and after the change, draws one `webhook-id` per
//! event and writes the outbox rows [`changed`] and [`erased`] give).

use super::{Attribution, WebhookRoute};
use crate::custom::CustomValue;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// What a contact looks like to a webhook at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Snapshot {
    /// The opaque contact key (the only identifier an erasure event carries).
    pub(crate) contact: String,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) given_name: Option<String>,
    pub(crate) family_name: Option<String>,
    pub(crate) country: Option<String>,
    /// The custom field values (`include: custom`).
    pub(crate) custom: BTreeMap<String, CustomValue>,
    /// `pending`, `confirmed`, or `None` without double opt-in.
    pub(crate) confirmation: Option<&'static str>,
    /// Each purpose's state: `granted`, `withdrawn` or `pending`.
    pub(crate) consent: BTreeMap<String, &'static str>,
    /// Where the contact came from (first and latest source).
    pub(crate) source: Attribution,
}

/// The events that turn `before` (`None`: the contact is new) into `after`, in queue order:
/// created / confirmed / updated, then per purpose granted or withdrawn (with the purpose).
fn changes<'a>(
    before: Option<&Snapshot>,
    after: &'a Snapshot,
) -> Vec<(&'static str, Option<&'a str>)> {
    let mut events: Vec<(&'static str, Option<&'a str>)> = Vec::new();
    match before {
        None => events.push(("contact.created", None)),
        Some(b) => {
            if b.confirmation != Some("confirmed") && after.confirmation == Some("confirmed") {
                events.push(("contact.confirmed", None));
            }
            let fields = |s: &Snapshot| {
                (
                    s.email.clone(),
                    s.phone.clone(),
                    s.given_name.clone(),
                    s.family_name.clone(),
                    s.country.clone(),
                    s.custom.clone(),
                    s.source.last.as_ref().map(|t| t.source.clone()),
                )
            };
            if fields(b) != fields(after) {
                events.push(("contact.updated", None));
            }
        }
    }
    for (purpose, &state) in &after.consent {
        let was = before.and_then(|b| b.consent.get(purpose).copied());
        if state == "granted" && was != Some("granted") {
            events.push(("consent.granted", Some(purpose)));
        } else if state == "withdrawn" && was == Some("granted") {
            events.push(("consent.withdrawn", Some(purpose)));
        }
    }
    events
}

/// The `data` of an event about `s` for `route` (with `purpose` for a consent event): the
/// identifiers, confirmation, consent state and source, plus what the endpoint's `include` asks.
fn data(s: &Snapshot, route: &WebhookRoute, purpose: Option<&str>) -> Value {
    let mut d = Map::new();
    d.insert("contact".into(), json!(s.contact));
    d.insert("email".into(), json!(s.email));
    d.insert("phone".into(), json!(s.phone));
    d.insert("confirmation".into(), json!(s.confirmation));
    d.insert("consent".into(), json!(s.consent));
    d.insert("source".into(), json!(s.source));
    if let Some(p) = purpose {
        d.insert("purpose".into(), json!(p));
    }
    if route.include.iter().any(|f| f == "name") {
        d.insert("given_name".into(), json!(s.given_name));
        d.insert("family_name".into(), json!(s.family_name));
    }
    if route.include.iter().any(|f| f == "country") {
        d.insert("country".into(), json!(s.country));
    }
    if route.include.iter().any(|f| f == "custom") {
        d.insert("custom".into(), json!(s.custom));
    }
    Value::Object(d)
}

/// One event's outbox rows: each endpoint that wants it, and the body it gets (the rows of one
/// event share one `webhook-id`, which the backend draws only when there is a row).
pub(crate) type Rows<'r> = Vec<(&'r str, String)>;

/// The rows of event `kind` at `at`: one for each of `routes` whose filter wants it (an empty
/// filter wants every event), its body the Standard Webhooks shape `{"type", "timestamp",
/// "data"}` with `data` for that endpoint.
fn rows<'r>(
    routes: &'r [WebhookRoute],
    kind: &str,
    at: &str,
    data: impl Fn(&WebhookRoute) -> Value,
) -> Rows<'r> {
    let wants = |r: &&WebhookRoute| r.events.is_empty() || r.events.iter().any(|e| e == kind);
    let body = |r: &WebhookRoute| json!({ "type": kind, "timestamp": at, "data": data(r) });
    let rows = routes.iter().filter(wants);
    rows.map(|r| (r.url.as_str(), body(r).to_string()))
        .collect()
}

/// The events that turn `before` (`None`: the contact is new) into `after`, in queue order, each
/// as its rows for `routes`.
pub(crate) fn changed<'r>(
    routes: &'r [WebhookRoute],
    before: Option<&Snapshot>,
    after: &Snapshot,
    at: &str,
) -> Vec<Rows<'r>> {
    let events = changes(before, after).into_iter();
    events
        .map(|(kind, purpose)| rows(routes, kind, at, |r| data(after, r, purpose)))
        .collect()
}

/// The rows of `contact.erased` about `contact_key`: the opaque key and nothing else.
pub(crate) fn erased<'r>(routes: &'r [WebhookRoute], contact_key: &str, at: &str) -> Rows<'r> {
    rows(
        routes,
        "contact.erased",
        at,
        |_| json!({ "contact": contact_key }),
    )
}

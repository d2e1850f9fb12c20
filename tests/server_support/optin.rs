//! Helpers of the double opt-in tests (tests/server_optin.rs): a server under a policy with
//! `"confirm": "email"` mailing through a given relay, a signup, the link of a received mail, the
//! export's purpose states.

use super::{demo_policy, Resp, TestServer};
use signup_guard::clock::Clock;
use signup_guard::server::{Config, MailConfig};
use signup_guard::store::{ConsentStatus, Store};
use signup_guard::{Confirm, Policy};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

pub(crate) const FROM: &str = "Acme <news@acme.example>";
pub(crate) const PUBLIC: &str = "https://verifier.example";
pub(crate) const LIMIT: Duration = Duration::from_secs(30);

pub(crate) fn optin_policy() -> Policy {
    let mut p = demo_policy();
    p.confirm = Some(Confirm::Email);
    p
}

/// A server under the double opt-in policy mailing through `smtp_url`, on `clock`.
pub(crate) fn start(smtp_url: &str, clock: &Clock, tune: impl FnOnce(&mut Config)) -> TestServer {
    TestServer::start(|c| {
        c.policy = optin_policy();
        c.public_url = Some(PUBLIC.into());
        let mut mail = MailConfig::new(smtp_url, FROM);
        mail.retry_base = Duration::from_millis(100);
        c.mail = Some(mail);
        c.clock = clock.clone();
        tune(c);
    })
}

/// A signup for `email` by `name` in `locale`, ticking the newsletter.
pub(crate) fn signup(email: &str, name: &str, locale: &str) -> String {
    let p = optin_policy();
    serde_json::json!({
        "email": email, "given_name": name, "country": "ID", "locale": locale,
        "consent": { "policy_id": p.id, "policy_version": p.version, "granted": ["newsletter"],
                     "shown": { "newsletter": p.text_hash("newsletter", locale).unwrap() } }
    })
    .to_string()
}

/// The confirmation link's path and query, from a received mail's text part.
pub(crate) fn link_of(mail: &serde_json::Value) -> String {
    let text = mail["parts"][0]["text"].as_str().unwrap();
    let at = text.find(PUBLIC).expect("a link to the public origin");
    let link = text[at + PUBLIC.len()..].split_whitespace().next().unwrap();
    assert!(link.starts_with("/v1/confirm?token="), "{link}");
    link.to_owned()
}

pub(crate) fn token_of(link: &str) -> &str {
    link.split("token=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
}

/// Each exported contact's purpose states, by stored address.
pub(crate) fn export(db: &Path) -> BTreeMap<String, BTreeMap<String, ConsentStatus>> {
    let store = Store::open_read(db).unwrap();
    let mut rows = BTreeMap::new();
    store
        .export(|r| {
            rows.insert(r.email.clone().unwrap_or_default(), r.consent);
            Ok::<(), signup_guard::store::StoreError>(())
        })
        .unwrap();
    rows
}

pub(crate) fn status(db: &Path, email: &str) -> Option<&'static str> {
    export(db).get(email)?.get("newsletter").map(|s| s.status)
}

pub(crate) fn post_token(server: &TestServer, token: &str) -> Resp {
    server.request(
        "POST",
        "/v1/confirm?lang=en",
        &[("content-type", "application/x-www-form-urlencoded")],
        format!("token={token}").as_bytes(),
    )
}

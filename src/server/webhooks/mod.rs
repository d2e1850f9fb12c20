//! Signed webhooks: the endpoints an operator configures (`--webhook URL` with
//! `--webhook-secret-file`, or the `webhooks` section of `--config`), their Standard Webhooks
//! secrets, the signature ([`sign`]) and the delivery threads that drain the store's outbox
//! ([`worker`]). The store queues the events in the transaction of each change; nothing here
//! runs on a request's path.
//!
//! A config file (strict: unknown keys and duplicate keys refused, with their JSON path):
//!
//! ```json
//! {"webhooks": [{"url": "https://crm.example/hooks/signup-guard",
//!                "secrets": ["whsec_…"],
//!                "events": ["consent.granted", "consent.withdrawn", "contact.erased"],
//!                "include": ["name"]}]}
//! ```

pub(crate) mod sign;
pub(crate) mod worker;

use crate::store::{WebhookRoute, WEBHOOK_EVENTS, WEBHOOK_FIELDS};
use base64::Engine;
use serde::Deserialize;
use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

/// One endpoint as configured.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookEndpoint {
    /// Where events are posted: `https://…` (plain `http://` only to this machine).
    pub url: String,
    /// Its secrets (`whsec_` + base64 of 24 to 64 bytes); two during a rotation, and every
    /// delivery then carries one signature per secret.
    pub secrets: Vec<String>,
    /// The events it receives; empty (or absent) for all.
    #[serde(default)]
    pub events: Vec<String>,
    /// Contact fields beside the identifiers and consent state: `name`, `country`.
    #[serde(default)]
    pub include: Vec<String>,
}

/// The endpoints and the delivery schedule.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Where events go; empty: no event is queued at all.
    pub endpoints: Vec<WebhookEndpoint>,
    /// The wait after a first failed attempt; each later one doubles (with jitter), up to six
    /// hours.
    pub retry_base: Duration,
    /// How long an event is retried before it is dead-lettered (the waits added up).
    pub give_up: Duration,
    /// How long a claimed event is kept from other claims while it is posted: after a crash
    /// mid-post it waits this long before it is posted again (one minute).
    pub lease: Duration,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig {
            endpoints: Vec::new(),
            retry_base: Duration::from_secs(5),
            give_up: Duration::from_secs(3 * 86_400),
            lease: Duration::from_secs(60),
        }
    }
}

/// The `--config` file: only its `webhooks` section today.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    webhooks: Vec<WebhookEndpoint>,
}

/// Reads the endpoints of a `--config` file; the error names the file and the JSON path.
pub fn read_config_file(path: &Path) -> Result<Vec<WebhookEndpoint>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("--config {}: cannot read it: {e}", path.display()))?;
    let de = &mut serde_json::Deserializer::from_str(&text);
    let file: ConfigFile = serde_path_to_error::deserialize(de).map_err(|e| {
        format!(
            "--config {}: at {}: {}",
            path.display(),
            e.path(),
            e.inner()
        )
    })?;
    Ok(file.webhooks)
}

/// Reads a `--webhook-secret-file`: one or two `whsec_` secrets, one per line.
pub fn read_secret_file(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "--webhook-secret-file {}: cannot read it: {e}",
            path.display()
        )
    })?;
    Ok(text.split_whitespace().map(str::to_owned).collect())
}

/// A secret's key bytes; the error says what is wrong without echoing it.
pub(crate) fn secret_key(secret: &str) -> Result<Vec<u8>, String> {
    let b64 = secret
        .strip_prefix("whsec_")
        .ok_or("a webhook secret starts with whsec_ (then base64)")?;
    let key = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|_| "a webhook secret is whsec_ followed by standard base64")?;
    if !(24..=64).contains(&key.len()) {
        return Err(format!(
            "a webhook secret holds 24 to 64 bytes (this one {}); make one with: \
             echo whsec_$(openssl rand -base64 32)",
            key.len()
        ));
    }
    Ok(key)
}

/// An endpoint checked and ready: its route for the store and its keys.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) route: WebhookRoute,
    pub(crate) keys: Vec<Vec<u8>>,
}

/// Checks every endpoint (URL, secrets, event names, fields, no URL twice).
pub(crate) fn targets(config: &WebhookConfig) -> Result<Vec<Target>, String> {
    let mut out: Vec<Target> = Vec::with_capacity(config.endpoints.len());
    for e in &config.endpoints {
        let bad = |why: String| Err(format!("webhook {}: {why}", e.url));
        if let Err(why) = check_url(&e.url) {
            return bad(why);
        }
        if out.iter().any(|t| t.route.url == e.url) {
            return bad("configured twice".into());
        }
        if e.secrets.is_empty() || e.secrets.len() > 2 {
            return bad("give one secret, or two while rotating".into());
        }
        let keys = match e.secrets.iter().map(|s| secret_key(s)).collect() {
            Ok(keys) => keys,
            Err(why) => return bad(why),
        };
        if let Some(x) = e
            .events
            .iter()
            .find(|x| !WEBHOOK_EVENTS.contains(&x.as_str()))
        {
            return bad(format!(
                "unknown event {x:?} (known: {})",
                WEBHOOK_EVENTS.join(", ")
            ));
        }
        if let Some(x) = e
            .include
            .iter()
            .find(|x| !WEBHOOK_FIELDS.contains(&x.as_str()))
        {
            return bad(format!(
                "unknown field {x:?} (known: {})",
                WEBHOOK_FIELDS.join(", ")
            ));
        }
        out.push(Target {
            route: WebhookRoute {
                url: e.url.clone(),
                events: e.events.clone(),
                include: e.include.clone(),
            },
            keys,
        });
    }
    Ok(out)
}

/// `https://host…`, or `http://` to a loopback host (personal data never crosses a network
/// in clear).
fn check_url(url: &str) -> Result<(), String> {
    let (rest, tls) = if let Some(r) = url.strip_prefix("https://") {
        (r, true)
    } else if let Some(r) = url.strip_prefix("http://") {
        (r, false)
    } else {
        return Err("the URL must start with https://".into());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("no user or password in the URL (the signature authenticates)".into());
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    };
    if host.is_empty() {
        return Err("the URL has no host".into());
    }
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|a| a.is_loopback());
    if !tls && !loopback {
        return Err("plain http:// only to this machine; use https://".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(url: &str, secret: &str) -> WebhookEndpoint {
        WebhookEndpoint {
            url: url.into(),
            secrets: vec![secret.into()],
            events: vec![],
            include: vec![],
        }
    }

    #[test]
    fn endpoints_are_checked_before_anything_is_queued() {
        let good = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let config = |e: Vec<WebhookEndpoint>| WebhookConfig {
            endpoints: e,
            ..WebhookConfig::default()
        };
        assert!(targets(&config(vec![endpoint("https://crm.example/h", good)])).is_ok());
        assert!(targets(&config(vec![endpoint("http://127.0.0.1:9/h", good)])).is_ok());
        for (url, secret, why) in [
            ("http://crm.example/h", good, "https://"),
            ("ftp://x/h", good, "https://"),
            ("https://u:p@crm.example/h", good, "password"),
            (
                "https://crm.example/h",
                "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "whsec_",
            ),
            ("https://crm.example/h", "whsec_c2hvcnQ=", "24 to 64 bytes"),
            ("https://crm.example/h", "whsec_!!", "base64"),
        ] {
            let e = targets(&config(vec![endpoint(url, secret)])).unwrap_err();
            assert!(e.contains(why), "{url} {secret}: {e}");
            assert!(!e.contains("MfKQ9r8"), "a secret is never echoed: {e}");
        }
        let mut filtered = endpoint("https://crm.example/h", good);
        filtered.events = vec!["contact.deleted".into()];
        let e = targets(&config(vec![filtered])).unwrap_err();
        assert!(e.contains("unknown event \"contact.deleted\""), "{e}");
        let twice = vec![
            endpoint("https://crm.example/h", good),
            endpoint("https://crm.example/h", good),
        ];
        assert!(targets(&config(twice)).unwrap_err().contains("twice"));
    }

    #[test]
    fn a_config_file_is_strict_and_says_where_it_is_wrong() {
        let dir = std::env::temp_dir().join(format!("sg-webhook-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("config.json");
        let read = |text: &str| {
            std::fs::write(&file, text).unwrap();
            read_config_file(&file)
        };
        let good = r#"{"webhooks": [{"url": "https://crm.example/h", "secrets": ["whsec_x"],
                        "events": ["contact.erased"], "include": ["name"]}]}"#;
        let endpoints = read(good).unwrap();
        assert_eq!(endpoints[0].events, ["contact.erased"]);
        assert_eq!(endpoints[0].include, ["name"]);
        let e = read(r#"{"webhooks": [{"url": "https://crm.example/h", "secret": []}]}"#);
        assert!(
            e.unwrap_err().contains("webhooks[0]"),
            "the path of the typo"
        );
        let e = read(r#"{"webhooks": [], "webhooks": []}"#).unwrap_err();
        assert!(e.contains("duplicate"), "{e}");
        assert!(read(r#"{"hooks": []}"#).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}

//! Confirmation mail for double opt-in: the relay named by `--smtp-url` (lettre's SMTP client),
//! the message ([`compose`]) and the sender thread that drains the store's outbox ([`sender`]).
//!
//! `--smtp-url` forms, and the TLS each gets:
//!
//! | URL | connection |
//! |---|---|
//! | `smtp://user:pass@host:587` | STARTTLS, required (port 587 by default) |
//! | `smtps://user:pass@host:465` | TLS from the first byte (port 465 by default) |
//! | `smtp://127.0.0.1:2525` | a relay on this machine (loopback): plain SMTP |
//! | `smtp://relay.lan:25` + `--smtp-plain` | plain SMTP to another host, only when asked for |
//!
//! User and password are percent-decoded (`%40` for `@`). Certificates are checked against the
//! Mozilla roots (webpki-roots).

mod compose;
pub(crate) mod sender;
mod words;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::extension::ClientId;
use lettre::SmtpTransport;
use std::net::IpAddr;
use std::time::Duration;

/// How the server sends mail (`serve --smtp-url … --mail-from …`).
#[derive(Clone)]
pub struct MailConfig {
    /// The relay: `smtp://user:pass@host:587` (STARTTLS), `smtps://…` (TLS), or plain SMTP to
    /// a loopback host (or any host with `allow_plain`).
    pub smtp_url: String,
    /// The sender (`Acme <news@acme.example>`).
    pub from: String,
    /// Plain SMTP (no TLS) to a relay that is not on this machine.
    pub allow_plain: bool,
    /// The first retry's delay after a failed attempt; each later one doubles, up to an hour.
    pub retry_base: Duration,
}

impl std::fmt::Debug for MailConfig {
    /// Without the relay's password, so a logged `Config` never shows it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("smtp_url", &redact(&self.smtp_url))
            .field("from", &self.from)
            .field("allow_plain", &self.allow_plain)
            .field("retry_base", &self.retry_base)
            .finish()
    }
}

impl MailConfig {
    /// `smtp_url` and `from`, STARTTLS or TLS required off loopback, retries from 30 s.
    pub fn new(smtp_url: &str, from: &str) -> MailConfig {
        MailConfig {
            smtp_url: smtp_url.to_owned(),
            from: from.to_owned(),
            allow_plain: false,
            retry_base: Duration::from_secs(30),
        }
    }
}

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    StartTls,
    Tls,
    Plain,
}

/// A parsed `--smtp-url`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Relay {
    security: Security,
    host: String,
    port: u16,
    credentials: Option<(String, String)>,
}

/// Reads `--smtp-url`; the error is for the operator.
fn parse_url(url: &str, allow_plain: bool) -> Result<Relay, String> {
    let bad = |why: &str| Err(format!("--smtp-url {}: {why}", redact(url)));
    let (security, rest, default_port) = if let Some(r) = url.strip_prefix("smtps://") {
        (Security::Tls, r, 465)
    } else if let Some(r) = url.strip_prefix("smtp://") {
        (Security::StartTls, r, 587)
    } else {
        return bad("must start with smtp:// (STARTTLS) or smtps:// (TLS)");
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let (h, after) = v6.split_once(']').ok_or("an IPv6 address needs its ']'")?;
        (h, after.strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    if host.is_empty() {
        return bad("no host");
    }
    let port = match port {
        Some(p) => match p.parse::<u16>() {
            Ok(p) if p > 0 => p,
            _ => return bad("the port is not a number from 1 to 65535"),
        },
        None => default_port,
    };
    let credentials = match userinfo {
        Some(u) => {
            let (user, pass) = u.split_once(':').unwrap_or((u, ""));
            Some((percent_decode(user)?, percent_decode(pass)?))
        }
        None => None,
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|a| a.is_loopback());
    let security = match security {
        Security::StartTls if loopback || allow_plain => Security::Plain,
        s => s,
    };
    Ok(Relay {
        security,
        host: host.to_owned(),
        port,
        credentials,
    })
}

/// `%XX` escapes decoded; an invalid escape or non-UTF-8 result is an error.
fn percent_decode(s: &str) -> Result<String, String> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b != b'%' {
            out.push(b);
            continue;
        }
        let hex = [bytes.next(), bytes.next()];
        let digit = |d: Option<u8>| (d? as char).to_digit(16);
        match (digit(hex[0]), digit(hex[1])) {
            (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
            _ => return Err("--smtp-url: a bad %-escape in the user or password".into()),
        }
    }
    String::from_utf8(out).map_err(|_| "--smtp-url: user or password is not UTF-8".into())
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let user = url.get(s + 3..at).unwrap_or_default();
            let user = user.split(':').next().unwrap_or_default();
            format!(
                "{}{user}:***{}",
                url.get(..s + 3).unwrap_or_default(),
                url.get(at..).unwrap_or_default()
            )
        }
        _ => url.to_owned(),
    }
}

/// The relay's client and the sender's mailbox, built once at start-up: a bad URL or address
/// stops `serve` with a clear message instead of a mail that never leaves.
pub(crate) struct Outgoing {
    pub(crate) transport: SmtpTransport,
    pub(crate) from: Mailbox,
    /// The domain of `from` (Message-IDs, EHLO).
    pub(crate) domain: String,
    pub(crate) retry_base: Duration,
}

impl Outgoing {
    /// Checks `config` and builds the client (no connection is made yet).
    pub(crate) fn new(config: &MailConfig) -> Result<Outgoing, String> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| format!("--mail-from {:?}: not a mail address ({e})", config.from))?;
        let domain = from.email.domain().to_owned();
        let relay = parse_url(&config.smtp_url, config.allow_plain)?;
        let builder = match relay.security {
            Security::Tls => SmtpTransport::relay(&relay.host),
            Security::StartTls => SmtpTransport::starttls_relay(&relay.host),
            Security::Plain => Ok(SmtpTransport::builder_dangerous(&relay.host)),
        };
        let mut builder = builder
            .map_err(|e| format!("--smtp-url {}: {e}", redact(&config.smtp_url)))?
            .port(relay.port)
            .timeout(Some(Duration::from_secs(20)))
            .hello_name(ClientId::Domain(domain.clone()));
        if let Some((user, pass)) = relay.credentials {
            builder = builder.credentials(Credentials::new(user, pass));
        }
        Ok(Outgoing {
            transport: builder.build(),
            from,
            domain,
            retry_base: config.retry_base,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_choose_tls_and_plain_only_on_loopback_or_when_asked() {
        let r = parse_url("smtp://jo%40acme:p%3Ass@mail.acme.example", false).unwrap();
        assert_eq!(r.security, Security::StartTls);
        assert_eq!((r.host.as_str(), r.port), ("mail.acme.example", 587));
        assert_eq!(r.credentials, Some(("jo@acme".into(), "p:ss".into())));
        let r = parse_url("smtps://mail.acme.example", false).unwrap();
        assert_eq!((r.security, r.port), (Security::Tls, 465));
        let r = parse_url("smtp://127.0.0.1:2525", false).unwrap();
        assert_eq!((r.security, r.port), (Security::Plain, 2525));
        let r = parse_url("smtp://[::1]:25", false).unwrap();
        assert_eq!((r.security, r.host.as_str()), (Security::Plain, "::1"));
        let r = parse_url("smtp://relay.lan:25", true).unwrap();
        assert_eq!(r.security, Security::Plain);
        assert_eq!(
            parse_url("smtps://relay.lan", true).unwrap().security,
            Security::Tls
        );
        for bad in [
            "http://x",
            "smtp://",
            "smtp://h:0",
            "smtp://h:99999",
            "smtp://u:%zz@h",
        ] {
            assert!(parse_url(bad, false).is_err(), "{bad}");
        }
        let e = parse_url("smtp://u:secret@h:x", false).unwrap_err();
        assert!(!e.contains("secret"), "{e}");
        let shown = format!("{:?}", MailConfig::new("smtps://u:secret@h", "a@b.example"));
        assert!(
            shown.contains("u:***@h") && !shown.contains("secret"),
            "{shown}"
        );
    }
}

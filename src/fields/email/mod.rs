//! Email addresses: the whole signup policy, not just RFC syntax.
//!
//! Rules, in order, after text hygiene (bounded input, edge trimming):
//! 1. unwrap `mailto:` and `Name <addr>`, fold fullwidth `＠` (reported as `email.extracted`);
//!    several addresses are refused (`email.multiple_addresses`);
//! 2. mailbox ([`local`]): NFKC with case kept; ASCII `atext` or UTS #39 identifier characters;
//!    no leading, trailing or doubled dot; no quoted forms; no mixed-script spoofs; ≤ 64 octets;
//! 3. domain ([`domain`], [`tld`]): no IP literals; LDH labels; IDNA (UTS #46 with STD3 rules,
//!    plus IDNA2008's symbol ban); each A-label ≤ 63 octets; at least two labels; the ending not
//!    numeric, not special-use, and in the IANA root zone; one trailing root dot (`example.com.`,
//!    the same DNS name) dropped silently, like the domain's case; no homograph ([`homograph`]:
//!    look-alike letters from a script mix, or a provider's name spelled in another script);
//! 4. whole stored address ≤ 254 octets;
//! 5. warnings: a likely typo of a mailbox provider ([`typo`]), a role account, a disposable
//!    domain (native builds only), a non-ASCII mailbox.
//!
//! Outputs: [`Email::stored`] (mailbox @ lowercase A-label domain), [`Email::display`]
//! (U-labels) and [`Email::key`] for deduplication (case-folded mailbox; no provider-specific
//! dot or plus stripping).
//!
//! ```
//! use signup_guard::fields::email;
//! let e = email::parse(" Jane.Doe@GMAIL.COM ").value.unwrap();
//! assert_eq!(e.stored(), "Jane.Doe@gmail.com");
//! assert_eq!(e.key(), "jane.doe@gmail.com");
//! let typo = email::parse("user@gmail.con");
//! assert_eq!(typo.issues[0].code.as_str(), "email.tld_unknown");
//! assert_eq!(typo.issues[0].suggestion.as_deref(), Some("user@gmail.com"));
//! ```

mod domain;
mod extract;
mod homograph;
mod lines;
pub(crate) mod lists;
mod local;
// The drop-in's build loads the list as a file instead (see `lists`); it keeps the date.
#[cfg_attr(fields_only, allow(dead_code))]
mod providers;
mod role;
#[cfg_attr(fields_only, allow(dead_code))]
mod role_list;
mod tld;
// The browser build loads the list as a file instead (see `lists`); it keeps the version.
#[cfg_attr(all(target_arch = "wasm32", target_os = "unknown"), allow(dead_code))]
mod tld_list;
mod typo;

pub(crate) use providers::PROVIDERS_REVIEWED;
pub(crate) use tld_list::{TLD_LIST_DATE, TLD_LIST_VERSION};

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
mod disposable;

use crate::hygiene;
use crate::issue::{decimal, Checked, Code, Field, Issue};
use crate::unicode::services;

/// The longest mailbox, in octets (RFC 5321 §4.5.3.1.1).
pub const MAX_LOCAL_OCTETS: usize = 64;
/// The longest domain label, in octets of its A-label (RFC 1035).
pub const MAX_LABEL_OCTETS: usize = 63;
/// The longest address, in octets of its stored form (RFC 5321 path limit less the brackets).
pub const MAX_ADDRESS_OCTETS: usize = 254;

/// A checked email address; only [`parse`] and [`parse_with`] make one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email {
    stored: String,
    display: String,
    key: String,
}

impl Email {
    /// Stored form: mailbox as typed (NFKC, case kept) `@` the domain as lowercase A-labels.
    pub fn stored(&self) -> &str {
        &self.stored
    }
    /// Display form: the domain as U-labels (`user@bücher.de`).
    pub fn display(&self) -> &str {
        &self.display
    }
    /// Deduplication key: the mailbox case-folded (`NFKC(lowercase(NFKC(x)))`, idempotent), the
    /// domain as A-labels.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// The deduplication key of a stored address (see [`Email::key`]): the mailbox case-folded,
/// `NFKC(lowercase(NFKC(x)))`, and the domain (lowercase A-labels) as it is. Idempotent:
/// `dedup_key(dedup_key(a)) == dedup_key(a)`. Case folding may lengthen a mailbox (`İ` becomes
/// `i` and a combining dot), so a key can exceed the 64 octets a stored mailbox may have: a key
/// identifies an address, it is not one to send to.
pub fn dedup_key(stored: &str) -> String {
    if stored.is_ascii() {
        return stored.to_ascii_lowercase();
    }
    // The mailbox ends at the last `@` (a quoted mailbox may hold one; a domain never does).
    let (local, at_domain) = stored.split_at(stored.rfind('@').unwrap_or(stored.len()));
    let svc = services();
    [
        svc.nfkc(&crate::unicode::to_lowercase(&svc.nfkc(local)))
            .as_ref(),
        at_domain,
    ]
    .concat()
}

/// Which of the strict defaults to loosen; `EmailOptions::new()` is right for a signup form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmailOptions {
    typo_suggestions: bool,
    role_warning: bool,
    disposable_warning: bool,
    special_use_domains: bool,
    root_zone_check: bool,
}

impl Default for EmailOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl EmailOptions {
    /// The strict defaults: every rule and every warning.
    pub const fn new() -> Self {
        EmailOptions {
            typo_suggestions: true,
            role_warning: true,
            disposable_warning: true,
            special_use_domains: false,
            root_zone_check: true,
        }
    }

    /// No "did you mean" for near misses of mailbox providers (nor for look-alike spellings of
    /// them, which are still refused).
    ///
    /// ```
    /// use signup_guard::fields::email::{parse_with, EmailOptions};
    /// let quiet = EmailOptions::new().without_typo_suggestions();
    /// assert!(parse_with("ani@yaho.co.id", &quiet).issues.is_empty());
    /// assert_eq!(parse_with("ani@yaho.co.id", &EmailOptions::new()).issues[0].code.as_str(), "email.typo");
    /// ```
    pub const fn without_typo_suggestions(mut self) -> Self {
        self.typo_suggestions = false;
        self
    }

    /// No warning for role mailboxes such as `info@` or `admin@`.
    ///
    /// ```
    /// use signup_guard::fields::email::{parse_with, EmailOptions};
    /// let quiet = EmailOptions::new().without_role_warning();
    /// assert!(parse_with("info@acme.co.id", &quiet).issues.is_empty());
    /// assert_eq!(parse_with("info@acme.co.id", &EmailOptions::new()).issues[0].code.as_str(), "email.role_account");
    /// ```
    pub const fn without_role_warning(mut self) -> Self {
        self.role_warning = false;
        self
    }

    /// No warning for throwaway mailbox services (native builds only ever give one).
    ///
    /// ```
    /// use signup_guard::fields::email::{parse_with, EmailOptions};
    /// let quiet = EmailOptions::new().without_disposable_warning();
    /// assert!(parse_with("x@mailinator.com", &quiet).issues.is_empty());
    /// assert_eq!(parse_with("x@mailinator.com", &EmailOptions::new()).issues[0].code.as_str(), "email.disposable");
    /// ```
    pub const fn without_disposable_warning(mut self) -> Self {
        self.disposable_warning = false;
        self
    }

    /// Accepts special-use endings (`.test`, `.localhost`, `.internal`, `home.arpa`…), for staging
    /// systems; a one-label domain is still refused.
    ///
    /// ```
    /// use signup_guard::fields::email::{parse_with, EmailOptions};
    /// let staging = EmailOptions::new().with_special_use_domains();
    /// assert!(parse_with("qa@shop.test", &staging).is_ok());
    /// assert!(!parse_with("qa@shop.test", &EmailOptions::new()).is_ok());
    /// ```
    pub const fn with_special_use_domains(mut self) -> Self {
        self.special_use_domains = true;
        self
    }

    /// Accepts endings missing from the embedded IANA root-zone list (newer than the list);
    /// numeric and special-use endings stay refused.
    ///
    /// ```
    /// use signup_guard::fields::email::{parse_with, EmailOptions};
    /// let lax = EmailOptions::new().without_root_zone_check();
    /// assert!(parse_with("ani@acme.newending", &lax).is_ok());
    /// assert!(!parse_with("ani@acme.newending", &EmailOptions::new()).is_ok());
    /// ```
    pub const fn without_root_zone_check(mut self) -> Self {
        self.root_zone_check = false;
        self
    }
}

/// Checks an email address with the strict defaults.
pub fn parse(input: &str) -> Checked<Email> {
    parse_with(input, &EmailOptions::new())
}

/// The whole address with its domain replaced by a suggested provider.
fn with_domain(local: &str, provider: &str) -> String {
    [local, "@", provider].concat()
}

/// Checks an email address with `options`.
///
/// In the browser build an address that needs a data file before it is loaded (the root zone
/// list for a less common ending, the Unicode tables for characters beyond ASCII) gets
/// `email.pending`, one for each file (named in `data`), instead of a verdict.
pub fn parse_with(input: &str, options: &EmailOptions) -> Checked<Email> {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    {
        let (lists, tables) = (&lists::lazy::FILE, &crate::unicode::lazy::FILE);
        lists.begin();
        tables.begin();
        let checked = parse_all(input, options);
        let waiting: Vec<Issue> = [lists.waited_for(), tables.waited_for()]
            .into_iter()
            .flatten()
            .map(|file| Issue::new(Field::Email, Code::EmailPending).with_param("data", file))
            .collect();
        if !waiting.is_empty() {
            return Checked::errors(waiting);
        }
        checked
    }
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    parse_all(input, options)
}

/// [`parse_with`], every rule.
fn parse_all(input: &str, options: &EmailOptions) -> Checked<Email> {
    let value = match hygiene::clean(input, Field::Email) {
        Ok(v) => v,
        Err(issue) => return Checked::error(issue),
    };
    let lead_bytes = input.len() - input.trim_start_matches(hygiene::is_trimmable).len();
    let lead = input.get(..lead_bytes).map_or(0, |s| s.chars().count());
    let found = match extract::extract(value) {
        Ok(found) => found,
        Err(issue) => return Checked::error(issue),
    };
    let base = lead + found.offset;
    let addr = found.addr.as_ref();
    let mut issues = Vec::new();
    if found.changed {
        issues.push(Issue::new(Field::Email, Code::EmailExtracted).with_param("extracted", addr));
    }
    let Some((local_raw, domain_raw)) = addr.rsplit_once('@') else {
        issues.push(Issue::new(Field::Email, Code::EmailMissingAt));
        return Checked::errors(issues);
    };
    let local = local::check(local_raw, base);
    let domain_offset = base + local_raw.chars().count() + 1;
    let domain_raw = domain::without_root_dot(domain_raw);
    // A refused domain, and the provider it was most likely meant to be when that is known.
    let domain = domain::check(domain_raw, domain_offset)
        .and_then(|d| {
            match tld::check(
                &d.ascii,
                options.special_use_domains,
                options.root_zone_check,
            ) {
                Some((code, tld)) => Err(Issue::new(Field::Email, code).with_param("tld", tld)),
                None => Ok(d),
            }
        })
        .map_err(|issue| (issue, None))
        .and_then(|d| {
            let Some(unicode) = &d.unicode else {
                return Ok(d);
            };
            match homograph::check(unicode) {
                Some(h) => Err((
                    Issue::new(Field::Email, Code::EmailDomainConfusable)
                        .with_param("domain", unicode)
                        .with_list_param("scripts", &h.scripts),
                    h.provider,
                )),
                None => Ok(d),
            }
        });
    let (local, domain) = match (local, domain) {
        (Ok(local), Ok(domain)) => (local, domain),
        (local, domain) => {
            let local_text = local.as_deref().unwrap_or(local_raw).to_owned();
            if let Err(issue) = local {
                issues.push(issue);
            }
            if let Err((mut issue, meant)) = domain {
                if options.typo_suggestions {
                    let lower = domain_raw.to_ascii_lowercase();
                    // A homograph names its provider or none: its A-labels are no typo.
                    let meant = if issue.code == Code::EmailDomainConfusable {
                        meant
                    } else {
                        typo::suggest(&lower)
                    };
                    if let Some(provider) = meant {
                        let whole = with_domain(&local_text, provider);
                        issue = issue
                            .with_param("suggestion", &whole)
                            .with_suggestion(whole);
                    }
                }
                issues.push(issue);
            }
            return Checked::errors(issues);
        }
    };

    let stored = [&local, "@", domain.ascii.as_str()].concat();
    if stored.len() > MAX_ADDRESS_OCTETS {
        issues.push(
            Issue::new(Field::Email, Code::EmailTooLong)
                .with_param("max", decimal(MAX_ADDRESS_OCTETS))
                .with_param("octets", decimal(stored.len())),
        );
        return Checked::errors(issues);
    }
    let display = match &domain.unicode {
        Some(unicode) => [&local, "@", unicode.as_str()].concat(),
        None => stored.clone(),
    };
    let key = dedup_key(&stored);

    if options.typo_suggestions {
        if let Some(provider) = typo::suggest(&domain.ascii) {
            let whole = with_domain(&local, provider);
            issues.push(
                Issue::new(Field::Email, Code::EmailTypo)
                    .with_param("domain", &domain.ascii)
                    .with_param("suggestion", &whole)
                    .with_suggestion(whole),
            );
        }
    }
    if options.role_warning && role::is_role(&local) {
        issues.push(
            Issue::new(Field::Email, Code::EmailRoleAccount).with_param("local", local.as_ref()),
        );
    }
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    if options.disposable_warning && disposable::is_disposable(&domain.ascii) {
        issues.push(
            Issue::new(Field::Email, Code::EmailDisposable).with_param("domain", &domain.ascii),
        );
    }
    if !local.is_ascii() {
        issues.push(Issue::new(Field::Email, Code::EmailNonAsciiMailbox));
    }
    Checked::new(
        Email {
            stored,
            display,
            key,
        },
        issues,
    )
}

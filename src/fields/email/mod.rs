//! Email (placeholder: replaced by the full DESIGN §3 rules).

use crate::hygiene;
use crate::issue::{Checked, Code, Field, Issue};
use crate::unicode::services;

/// A checked email address; only [`parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email {
    stored: String,
    display: String,
    key: String,
}

impl Email {
    /// Stored form: local part as typed (NFKC), domain as lowercase A-labels.
    pub fn stored(&self) -> &str {
        &self.stored
    }
    /// Display form: domain as U-labels.
    pub fn display(&self) -> &str {
        &self.display
    }
    /// Deduplication key: case-folded local part, A-label domain.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// Checks an email address.
pub fn parse(input: &str) -> Checked<Email> {
    let value = match hygiene::clean(input, Field::Email) {
        Ok(v) => v,
        Err(issue) => return Checked::error(issue),
    };
    let Some((local, domain)) = value.rsplit_once('@') else {
        return Checked::error(Issue::new(Field::Email, Code::EmailMissingAt));
    };
    let Ok(ascii) = services().domain_to_ascii(domain) else {
        return Checked::error(
            Issue::new(Field::Email, Code::EmailDomainInvalid).with_param("domain", domain),
        );
    };
    let stored = format!("{local}@{ascii}");
    let display = format!("{local}@{}", services().domain_to_unicode(&ascii));
    let key = format!("{}@{ascii}", local.to_lowercase());
    Checked::new(
        Email {
            stored,
            display,
            key,
        },
        Vec::new(),
    )
}

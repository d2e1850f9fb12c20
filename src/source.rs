//! Where a signup came from: the page path, the five UTM parameters and the form's id, as the
//! drop-in captures them. Attribution, not consent evidence: it never blocks a signup and never
//! enters the consent log. [`Source::cleaned`] is the one cleaning every face applies:
//!
//! - each value loses control, bidi and invisible characters (the hygiene's own predicates) and
//!   its surrounding white space; an empty value is absent;
//! - the path keeps only what comes before `?` or `#` and must start with `/`;
//! - values are cut to [`MAX_PATH_CHARS`] (path) or [`MAX_VALUE_CHARS`] characters;
//! - a value (or a path segment) that looks like an email address or a phone number is dropped:
//!   attribution carries no personal data.
//!
//! ```
//! use signup_guard::source::Source;
//! let raw = Source { path: Some("/spring?ref=x#top".into()),
//!     utm_source: Some("ani@example.org".into()), ..Source::default() };
//! let clean = raw.cleaned().unwrap();
//! assert_eq!(clean.path.as_deref(), Some("/spring"));
//! assert_eq!(clean.utm_source, None);
//! ```

use crate::hygiene::is_invisible;
use serde::{Deserialize, Serialize};

/// The longest path kept, in characters.
pub const MAX_PATH_CHARS: usize = 200;
/// The longest UTM value or form id kept, in characters.
pub const MAX_VALUE_CHARS: usize = 100;

/// The `source` of a submission: every key optional, unknown keys refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The page's URL path (no query string, no fragment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// `utm_source` of the page's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_source: Option<String>,
    /// `utm_medium`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_medium: Option<String>,
    /// `utm_campaign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_campaign: Option<String>,
    /// `utm_term`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_term: Option<String>,
    /// `utm_content`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_content: Option<String>,
    /// The form's `data-form-id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_id: Option<String>,
}

/// The keys of a `source`, in order (the JSON keys; form posts prefix them with `source.`).
pub const KEYS: [&str; 7] = [
    "path",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "form_id",
];

impl Source {
    /// The value of key `i` of [`KEYS`], to read or fill in by name.
    pub fn slot(&mut self, i: usize) -> &mut Option<String> {
        match i {
            0 => &mut self.path,
            1 => &mut self.utm_source,
            2 => &mut self.utm_medium,
            3 => &mut self.utm_campaign,
            4 => &mut self.utm_term,
            5 => &mut self.utm_content,
            _ => &mut self.form_id,
        }
    }

    /// Each key with its value, in [`KEYS`] order.
    pub fn values(&self) -> [(&'static str, Option<&str>); 7] {
        KEYS.map(|k| (k, self.get(k)))
    }

    /// The value under `key` (one of [`KEYS`]).
    pub fn get(&self, key: &str) -> Option<&str> {
        match key {
            "path" => self.path.as_deref(),
            "utm_source" => self.utm_source.as_deref(),
            "utm_medium" => self.utm_medium.as_deref(),
            "utm_campaign" => self.utm_campaign.as_deref(),
            "utm_term" => self.utm_term.as_deref(),
            "utm_content" => self.utm_content.as_deref(),
            "form_id" => self.form_id.as_deref(),
            _ => None,
        }
    }

    /// The source as stored: bounded and cleaned (module comment); `None` when nothing is left.
    pub fn cleaned(&self) -> Option<Source> {
        let mut out = Source::default();
        for (i, key) in KEYS.iter().enumerate() {
            let Some(raw) = self.get(key) else { continue };
            let value = if i == 0 { path(raw) } else { value(raw) };
            *out.slot(i) = value;
        }
        (out != Source::default()).then_some(out)
    }
}

/// Without control, bidi and invisible characters, trimmed.
fn screen(raw: &str) -> String {
    let kept: String = raw
        .chars()
        .filter(|&c| !(c.is_control() || is_invisible(c)))
        .collect();
    kept.trim().to_owned()
}

/// At most `max` characters (whole value judged first, so a cut never hides an address).
fn cut(v: &str, max: usize) -> String {
    v.chars()
        .take(max)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// A value judged before and after its cut (the cut may leave only digits), so that cleaning a
/// cleaned value changes nothing.
fn value(raw: &str) -> Option<String> {
    let v = screen(raw);
    if v.is_empty() || personal(&v) {
        return None;
    }
    let v = cut(&v, MAX_VALUE_CHARS);
    (!personal(&v)).then_some(v)
}

fn path(raw: &str) -> Option<String> {
    let before = raw.split(['?', '#']).next().unwrap_or_default();
    let whole = screen(before);
    let p = cut(&whole, MAX_PATH_CHARS);
    let personal_in = |p: &str| p.split('/').any(personal);
    if !p.starts_with('/') || personal_in(&whole) || personal_in(&p) {
        return None;
    }
    Some(p)
}

/// Whether `v` looks like an email address (text on both sides of an `@`, also written `%40`)
/// or a phone number (seven digits or more among nothing but digits, spaces and `+-().`).
fn personal(v: &str) -> bool {
    let at = v.replace("%40", "@");
    let email = at
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let phone = digits >= 7
        && v.chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c) || c == '\u{a0}');
    email || phone
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(key: usize, raw: &str) -> Option<String> {
        let mut s = Source::default();
        *s.slot(key) = Some(raw.into());
        s.cleaned().and_then(|mut c| c.slot(key).take())
    }

    #[test]
    fn the_path_loses_its_query_and_fragment_and_must_be_a_path() {
        assert_eq!(
            one(0, "/spring/offer?utm_source=x&email=a#f").as_deref(),
            Some("/spring/offer")
        );
        assert_eq!(one(0, "spring"), None);
        assert_eq!(one(0, "https://acme.example/x"), None);
        assert_eq!(
            one(0, &format!("/{}", "a".repeat(300))).map(|p| p.chars().count()),
            Some(200)
        );
    }

    #[test]
    fn personal_data_is_dropped_and_other_values_kept() {
        assert_eq!(one(1, "ani.wijaya@gmail.com"), None);
        assert_eq!(one(0, "/thanks/ani%40gmail.com/"), None);
        assert_eq!(one(3, "+62 812-3456-7890"), None);
        assert_eq!(one(0, "/u/08123456789"), None);
        assert_eq!(one(3, "spring-2027").as_deref(), Some("spring-2027"));
        assert_eq!(one(1, "@acme").as_deref(), Some("@acme"));
        // Judged whole before the cut: a long address is not kept as its first 100 characters.
        assert_eq!(one(5, &format!("{}@example.org", "a".repeat(99))), None);
    }

    #[test]
    fn control_and_bidi_characters_are_stripped_and_values_bounded() {
        assert_eq!(
            one(1, " news\u{202E}letter\u{0}\u{200B} ").as_deref(),
            Some("newsletter")
        );
        assert_eq!(
            one(4, &"é".repeat(150)).map(|v| v.chars().count()),
            Some(100)
        );
        assert_eq!(
            Source {
                utm_term: Some(" \u{200B} ".into()),
                ..Source::default()
            }
            .cleaned(),
            None
        );
    }
}

//! Fields the form owner defines in the policy (`custom_fields`): company, interests, seats…
//! Each has an `id`, a `type`, `required`, a `label` and optional `help` per locale, and the
//! limits its type takes. The definitions are checked when the policy loads natively (`check`;
//! the page takes the policy the server checked), the
//! values when a submission is validated ([`rules::check`], called by [`crate::check::custom`]),
//! the same code in the browser and on the server.
//!
//! ```
//! use signup_guard::Policy;
//! let p = Policy::from_json(r#"{"id":"p","version":"1","custom_fields":[
//!   {"id":"company","type":"text","max_chars":80,"label":{"en":"Company"}}]}"#).unwrap();
//! assert_eq!(p.custom_fields[0].label_for("ar"), "Company");
//! ```

mod pattern;
pub mod rules;
pub(crate) mod value;

pub use pattern::Pattern;
pub use value::CustomValue;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What kind of input a custom field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomKind {
    /// One line of text (`min_chars`, `max_chars`, `pattern`).
    Text,
    /// One of `options`.
    Select,
    /// Any number of `options` (a list).
    MultiSelect,
    /// A box ticked or not (`required` means it must be ticked).
    Checkbox,
    /// A whole number (`min`, `max`).
    Number,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// A web address (`http://` or `https://`).
    Url,
}

impl CustomKind {
    /// Every kind, in declaration order.
    pub const ALL: [CustomKind; 7] = [
        CustomKind::Text,
        CustomKind::Select,
        CustomKind::MultiSelect,
        CustomKind::Checkbox,
        CustomKind::Number,
        CustomKind::Date,
        CustomKind::Url,
    ];

    /// The wire name (`"multi_select"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            CustomKind::Text => "text",
            CustomKind::Select => "select",
            CustomKind::MultiSelect => "multi_select",
            CustomKind::Checkbox => "checkbox",
            CustomKind::Number => "number",
            CustomKind::Date => "date",
            CustomKind::Url => "url",
        }
    }

    /// Whether the field chooses among `options`.
    pub const fn has_options(self) -> bool {
        matches!(self, CustomKind::Select | CustomKind::MultiSelect)
    }
}

/// One field the form owner defines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomField {
    /// The key in the submission's `custom` object and the export column (`[a-z][a-z0-9_]*`).
    pub id: String,
    /// The kind of input.
    #[serde(rename = "type")]
    pub kind: CustomKind,
    /// An empty value (an unticked box, no option chosen) is an error.
    #[serde(default)]
    pub required: bool,
    /// The label shown, by locale; `en` is mandatory and the fallback.
    pub label: BTreeMap<String, String>,
    /// A line of help under the input, by locale.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub help: BTreeMap<String, String>,
    /// Text: the fewest characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_chars: Option<usize>,
    /// Text and URL: the most characters (default 200 for text, 2000 for URLs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_chars: Option<usize>,
    /// Text: the whole value must match (see [`Pattern`] for the syntax).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Select and multi-select: the choices, in the order shown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<CustomOption>,
    /// Number: the smallest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// Number: the largest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
}

/// One choice of a select field: the value stored and its label per locale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomOption {
    /// What is stored and exported (`"product_news"`).
    pub value: String,
    /// What the person sees, by locale; `en` is mandatory.
    pub label: BTreeMap<String, String>,
}

impl CustomField {
    /// The label for `locale` (then its language, then English).
    pub fn label_for(&self, locale: &str) -> &str {
        crate::locale::pick(&self.label, locale).unwrap_or(&self.id)
    }

    /// The help text for `locale`, if any.
    pub fn help_for(&self, locale: &str) -> Option<&str> {
        crate::locale::pick(&self.help, locale)
    }

    /// The most characters a text or URL value may have.
    pub fn max_len(&self) -> usize {
        self.max_chars.unwrap_or(match self.kind {
            CustomKind::Url => 2000,
            _ => 200,
        })
    }
}

impl CustomOption {
    /// The label for `locale` (then its language, then English).
    pub fn label_for(&self, locale: &str) -> &str {
        crate::locale::pick(&self.label, locale).unwrap_or(&self.value)
    }
}

/// Checks the definitions when the policy loads: the path and words of the first fault.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub(crate) fn check(fields: &[CustomField]) -> Result<(), (String, String)> {
    for (i, f) in fields.iter().enumerate() {
        let at = |key: &str| format!("custom_fields[{i}].{key}");
        let fault = |key: &str, msg: &str| Err((at(key), msg.to_owned()));
        let mut id = f.id.chars();
        if !id.next().is_some_and(|c| c.is_ascii_lowercase())
            || !id.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            || f.id.len() > 40
        {
            return fault(
                "id",
                "must be a-z, 0-9 or '_', start with a letter, 40 at most",
            );
        }
        if fields[..i].iter().any(|g| g.id == f.id) {
            return fault("id", &format!("duplicate custom field id \"{}\"", f.id));
        }
        labels(&f.label).map_err(|(k, m)| (at(&format!("label{k}")), m))?;
        if let Some((locale, _)) = f.help.iter().find(|(_, t)| t.trim().is_empty()) {
            return fault(&format!("help.{locale}"), "must not be empty");
        }
        let text = f.kind == CustomKind::Text;
        let only = |set: bool, key: &str, kinds: &str| {
            if set {
                fault(key, &format!("only {kinds} fields take \"{key}\""))
            } else {
                Ok(())
            }
        };
        only(!text && f.min_chars.is_some(), "min_chars", "text")?;
        only(!text && f.pattern.is_some(), "pattern", "text")?;
        only(
            !(text || f.kind == CustomKind::Url) && f.max_chars.is_some(),
            "max_chars",
            "text and url",
        )?;
        only(
            !f.kind.has_options() && !f.options.is_empty(),
            "options",
            "select",
        )?;
        let number = f.kind == CustomKind::Number;
        only(!number && f.min.is_some(), "min", "number")?;
        only(!number && f.max.is_some(), "max", "number")?;
        if f.max_chars == Some(0) || f.max_chars.is_some_and(|m| m > 2000) {
            return fault("max_chars", "must be 1 to 2000");
        }
        if f.min_chars.unwrap_or(0) > f.max_len() {
            return fault("min_chars", "must not be more than max_chars");
        }
        if let (Some(lo), Some(hi)) = (f.min, f.max) {
            if lo > hi {
                return fault("min", "must not be more than max");
            }
        }
        if let Some(p) = &f.pattern {
            Pattern::parse(p).map_err(|m| (at("pattern"), m.to_owned()))?;
        }
        if f.kind.has_options() && f.options.is_empty() {
            return fault("options", "a select needs at least one option");
        }
        for (j, o) in f.options.iter().enumerate() {
            if o.value.trim().is_empty() || o.value.trim() != o.value || o.value.len() > 100 {
                return fault(
                    &format!("options[{j}].value"),
                    "must be 1 to 100 bytes, without spaces at the ends",
                );
            }
            if f.options[..j].iter().any(|p| p.value == o.value) {
                return fault(&format!("options[{j}].value"), "duplicate option value");
            }
            labels(&o.label).map_err(|(k, m)| (at(&format!("options[{j}].label{k}")), m))?;
        }
    }
    Ok(())
}

/// A label map: an English entry and no empty one.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn labels(label: &BTreeMap<String, String>) -> Result<(), (String, String)> {
    if label.get("en").is_none_or(|t| t.trim().is_empty()) {
        return Err((".en".into(), "an English label is needed".into()));
    }
    match label.iter().find(|(_, t)| t.trim().is_empty()) {
        Some((locale, _)) => Err((format!(".{locale}"), "must not be empty".into())),
        None => Ok(()),
    }
}

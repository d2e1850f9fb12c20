//! The policy's custom fields as plain HTML inputs, for the form that works without JavaScript:
//! each labelled, its help text tied with `aria-describedby`, posted as `custom.ID` (a
//! multi-select's ticked boxes repeat the key). A field the page already has an input for is
//! left to the page. The drop-in renders the same markup when a page lacks them.

use super::pages::esc;
use crate::custom::{CustomField, CustomKind, CustomValue};
use crate::policy::Policy;
use crate::submission::Submission;
use std::fmt::Write;

/// Whether `page` already has an input (or select) posting `custom.ID`.
pub(super) fn page_has(page: &str, id: &str) -> bool {
    page.contains(&format!("name=\"custom.{id}\""))
}

/// The inputs for the policy's custom fields `page` does not already have, in policy order, with
/// what `sub` typed (a form given back) filled in.
pub(super) fn custom_block(
    policy: &Policy,
    locale: &str,
    page: &str,
    sub: Option<&Submission>,
) -> String {
    let mut h = String::new();
    for f in policy
        .custom_fields
        .iter()
        .filter(|f| !page_has(page, &f.id))
    {
        let typed = sub.and_then(|s| s.custom.get(&f.id));
        field(&mut h, f, locale, typed);
    }
    h
}

/// The text sent for a field (the first, for a list), escaped for an attribute.
fn typed_text(v: Option<&CustomValue>) -> String {
    let text = match v {
        Some(CustomValue::Text(s)) => s.clone(),
        Some(CustomValue::Number(n)) => n.to_string(),
        Some(CustomValue::List(items)) => items.first().cloned().unwrap_or_default(),
        _ => String::new(),
    };
    esc(&text.chars().filter(|c| !c.is_control()).collect::<String>())
}

fn chosen(v: Option<&CustomValue>, option: &str) -> bool {
    match v {
        Some(CustomValue::Text(s)) => s == option,
        Some(CustomValue::List(items)) => items.iter().any(|i| i == option),
        _ => false,
    }
}

fn field(h: &mut String, f: &CustomField, locale: &str, typed: Option<&CustomValue>) {
    let id = format!("sg-custom-{}", f.id);
    let name = format!("custom.{}", f.id);
    let label = esc(f.label_for(locale));
    let required = if f.required { " required" } else { "" };
    let help = f.help_for(locale);
    let described = if help.is_some() {
        format!(" aria-describedby=\"{id}-help\"")
    } else {
        String::new()
    };
    let help_html = help
        .map(|t| {
            format!(
                "<small id=\"{id}-help\" class=\"sg-help\">{}</small>",
                esc(t)
            )
        })
        .unwrap_or_default();
    let attrs = format!("id=\"{id}\" name=\"{name}\"{required}{described}");
    let _ = write!(
        h,
        "<div class=\"field sg-custom\" data-sg-custom=\"{}\">",
        esc(&f.id)
    );
    match f.kind {
        CustomKind::Select => {
            let _ = write!(
                h,
                "<label for=\"{id}\">{label}</label> <select {attrs}><option value=\"\"></option>"
            );
            for o in &f.options {
                let sel = if chosen(typed, &o.value) {
                    " selected"
                } else {
                    ""
                };
                let _ = write!(
                    h,
                    "<option value=\"{}\"{sel}>{}</option>",
                    esc(&o.value),
                    esc(o.label_for(locale))
                );
            }
            h.push_str("</select>");
        }
        CustomKind::MultiSelect => {
            let _ = write!(
                h,
                "<span role=\"group\" aria-labelledby=\"{id}-label\"{described}><span id=\"{id}-label\">{label}</span>"
            );
            for o in &f.options {
                let on = if chosen(typed, &o.value) {
                    " checked"
                } else {
                    ""
                };
                let _ = write!(
                    h,
                    " <label class=\"sg-option\"><input type=\"checkbox\" name=\"{name}\" value=\"{}\"{on}> {}</label>",
                    esc(&o.value),
                    esc(o.label_for(locale))
                );
            }
            h.push_str("</span>");
        }
        CustomKind::Checkbox => {
            let on = if matches!(typed, Some(CustomValue::Flag(true)))
                || matches!(typed, Some(CustomValue::Text(t)) if t == "true")
            {
                " checked"
            } else {
                ""
            };
            let _ = write!(
                h,
                "<label><input type=\"checkbox\" {attrs} value=\"true\"{on}> {label}</label>"
            );
        }
        kind => {
            let (kind, extra) = match kind {
                CustomKind::Number => (
                    "number",
                    format!(
                        " step=\"1\" inputmode=\"numeric\"{}{}",
                        f.min.map(|m| format!(" min=\"{m}\"")).unwrap_or_default(),
                        f.max.map(|m| format!(" max=\"{m}\"")).unwrap_or_default()
                    ),
                ),
                CustomKind::Date => ("date", String::new()),
                CustomKind::Url => ("url", format!(" maxlength=\"{}\"", f.max_len())),
                _ => ("text", format!(" maxlength=\"{}\"", f.max_len())),
            };
            let _ = write!(
                h,
                "<label for=\"{id}\">{label}</label> <input type=\"{kind}\" {attrs}{extra} value=\"{}\">",
                typed_text(typed)
            );
        }
    }
    let _ = writeln!(h, "{help_html}</div>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_labelled_described_escaped_and_skipped_when_the_page_has_them() {
        let policy = Policy::from_json(
            r#"{"id":"p","version":"1","custom_fields":[
              {"id":"company","type":"text","label":{"en":"Company <Ltd>","ar":"الشركة"},
               "help":{"en":"Where you work"}},
              {"id":"interests","type":"multi_select","label":{"en":"Interests"},
               "options":[{"value":"a","label":{"en":"A & B"}},{"value":"b","label":{"en":"B"}}]}]}"#,
        )
        .unwrap();
        let h = custom_block(&policy, "en", "", None);
        assert!(h.contains("<label for=\"sg-custom-company\">Company &lt;Ltd&gt;</label>"));
        assert!(h.contains("aria-describedby=\"sg-custom-company-help\""));
        assert!(h.contains(
            "<small id=\"sg-custom-company-help\" class=\"sg-help\">Where you work</small>"
        ));
        assert!(h.contains("name=\"custom.interests\" value=\"a\"> A &amp; B"));
        assert!(custom_block(&policy, "ar", "", None).contains(">الشركة</label>"));
        let page = "<input name=\"custom.company\">";
        let h = custom_block(&policy, "en", page, None);
        assert!(!h.contains("sg-custom-company") && h.contains("sg-custom-interests"));
    }
}

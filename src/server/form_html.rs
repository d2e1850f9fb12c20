//! The signup form as server-rendered HTML, so it works without JavaScript: the consent block
//! (unticked boxes, the hashes of the texts shown, the honeypot and the signed fill-time stamp)
//! put in the demo page at [`CONSENT_MARKER`], the built-in form when `www/index.html` is
//! missing, and the demo page translated (`data-i18n`) and given back filled in with a note.
//! Every value is HTML-escaped ([`esc`]); texts come in en/ar/fa/id.

use super::pages::{document, esc};
use super::words::words;
use crate::issue::Issue;
use crate::policy::Policy;
use crate::submission::Submission;
use std::fmt::Write;

/// The marker in `www/index.html` replaced by the consent block.
pub(super) const CONSENT_MARKER: &str = "<!--sg:consent-->";

/// A signed render stamp for the form's `sg_t`, and how long after it a post may come (the
/// drop-in waits that long before it posts, so a quick person is never refused).
pub(crate) struct Stamp {
    /// `MILLIS.MAC` (see `tokens`).
    pub value: String,
    /// The minimum fill time in force, in milliseconds.
    pub wait_ms: u64,
}

/// The consent checkboxes (unticked), the hashes of the texts shown, the policy id and version,
/// the locale, the honeypot and the signed fill-time stamp: what a no-JavaScript form posts.
pub(super) fn consent_block(policy: &Policy, locale: &str, stamp: &Stamp) -> String {
    let w = words(locale);
    let mut h = String::with_capacity(2048);
    let _ = writeln!(
        h,
        "<fieldset class=\"sg-consent\"><legend>{}</legend>",
        esc(w.consent_legend)
    );
    for p in &policy.purposes {
        let hash = policy.text_hash(&p.id, locale).unwrap_or_default();
        let required = if p.required { " required" } else { "" };
        let _ = write!(
            h,
            "<label class=\"sg-purpose\"><input type=\"checkbox\" name=\"consent\" value=\"{id}\"{required}> {text}</label>\n\
             <input type=\"hidden\" name=\"consent_shown.{id}\" value=\"{hash}\">\n",
            id = esc(&p.id),
            text = esc(p.text_for(locale)),
        );
    }
    let c = &policy.controller;
    if !c.name.is_empty() {
        let _ = write!(h, "<p class=\"sg-controller\">{}", esc(&c.name));
        if let Some(url) = c.privacy_url.as_deref() {
            let _ = write!(h, " · <a href=\"{}\">{}</a>", esc(url), esc(w.privacy));
        }
        h.push_str("</p>\n");
    }
    if let Some(days) = policy.retention_days {
        let text = w.retention.replace("{days}", &days.to_string());
        let _ = writeln!(h, "<p class=\"sg-retention\">{}</p>", esc(&text));
    }
    let _ = write!(
        h,
        "<input type=\"hidden\" name=\"policy_id\" value=\"{}\">\n\
         <input type=\"hidden\" name=\"policy_version\" value=\"{}\">\n\
         <input type=\"hidden\" name=\"locale\" value=\"{}\">\n\
         <div class=\"sg-hp\" aria-hidden=\"true\" style=\"position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap\">\
         <label>{} <input type=\"text\" name=\"sg_hp\" value=\"\" tabindex=\"-1\" autocomplete=\"off\"></label></div>\n\
         <input type=\"hidden\" name=\"sg_t\" value=\"{}\" data-sg-wait=\"{}\">\n</fieldset>",
        esc(&policy.id),
        esc(&policy.version),
        esc(locale),
        esc(w.honeypot),
        esc(&stamp.value),
        stamp.wait_ms,
    );
    h
}

/// A form given back filled in: what was typed, why, and the page it came from.
pub(super) struct Refill<'a> {
    /// What the person typed.
    pub submission: &'a Submission,
    /// The page the form was on (an allowed origin), carried on as `sg_return`.
    pub back: Option<&'a str>,
    /// What the core still finds wrong with it (shown above the form).
    pub issues: &'a [Issue],
}

/// The built-in form's fields: name, input type, autocomplete token.
const BUILTIN_FIELDS: [(&str, &str, &str); 5] = [
    ("email", "email", "email"),
    ("phone", "tel", "tel"),
    ("given_name", "text", "given-name"),
    ("family_name", "text", "family-name"),
    ("country", "text", "country"),
];

/// What was typed into the field `name` (`None` when nothing was, or for another name).
fn typed<'a>(sub: &'a Submission, name: &str) -> Option<&'a str> {
    match name {
        "email" => sub.email.as_deref(),
        "phone" => sub.phone.as_deref(),
        "given_name" => sub.given_name.as_deref(),
        "family_name" => sub.family_name.as_deref(),
        "country" => sub.country.as_deref(),
        _ => None,
    }
}

/// The built-in signup page, used when `www/index.html` does not exist, and to give back a form
/// from another site that came too quickly (`refill`), with what was typed and a gentle note.
pub(super) fn builtin_form(
    policy: &Policy,
    locale: &str,
    stamp: &Stamp,
    with_script: bool,
    refill: Option<&Refill>,
    from: Option<&crate::source::Source>,
) -> String {
    let w = words(locale);
    let mut body = String::from(
        "<form method=\"post\" action=\"/v1/submissions\" data-signup-guard novalidate>\n",
    );
    if let Some(r) = refill {
        body.push_str(&retry_note(locale, r.issues));
    }
    let labels = [w.email, w.phone, w.given_name, w.family_name, w.country];
    for ((name, kind, auto), label) in BUILTIN_FIELDS.iter().zip(labels) {
        let value = refill.and_then(|r| typed(r.submission, name));
        let _ = writeln!(
            body,
            "<p class=\"field\"><label>{} <input type=\"{kind}\" name=\"{name}\" autocomplete=\"{auto}\" value=\"{}\"></label></p>",
            esc(label),
            refill_value(value.unwrap_or_default())
        );
    }
    if let Some(back) = refill.and_then(|r| r.back) {
        let _ = writeln!(
            body,
            "<input type=\"hidden\" name=\"sg_return\" value=\"{}\">",
            esc(back)
        );
    }
    body.push_str(&super::custom_html::custom_block(
        policy,
        locale,
        "",
        refill.map(|r| r.submission),
    ));
    body.push_str(&consent_block(policy, locale, stamp));
    body.push_str(&super::site::source_inputs(from));
    let _ = write!(
        body,
        "\n<p><button type=\"submit\">{}</button></p>\n</form>",
        esc(w.send)
    );
    if with_script {
        body.push_str(
            "\n<script type=\"module\" src=\"/signup-guard.js\" data-policy=\"/v1/policy\"></script>",
        );
    }
    document(locale, w.sign_up, &body)
}

/// `html` with ` value="…"` on the inputs named like the submission's fields and the chosen
/// country's `<option>` selected: the demo page given back filled in. Values are escaped.
pub(super) fn fill_inputs(html: &str, sub: &Submission) -> String {
    let mut out = html.to_owned();
    for name in ["email", "phone", "given_name", "family_name"] {
        let Some(v) = typed(sub, name) else { continue };
        let by_name = format!(" name=\"{name}\"");
        // The first `<input …>` tag with that name.
        let at = out.match_indices("<input").find_map(|(i, _)| {
            let tag = out.get(i..)?;
            let tag = tag.get(..tag.find('>')?)?;
            tag.find(&by_name).map(|j| i + j + by_name.len())
        });
        if let Some(at) = at {
            out.insert_str(at, &format!(" value=\"{}\"", refill_value(v)));
        }
    }
    if let Some(c) = typed(sub, "country") {
        let option = format!("<option value=\"{}\">", esc(c));
        let chosen = format!("<option value=\"{}\" selected>", esc(c));
        out = out.replacen(&option, &chosen, 1);
    }
    out
}

/// The note above a form given back filled in, and what is still to fix in it.
pub(super) fn retry_note(locale: &str, issues: &[Issue]) -> String {
    let mut h = format!(
        "<p class=\"sg-retry\" role=\"alert\">{}</p>",
        esc(words(locale).retry)
    );
    let errors: Vec<_> = issues.iter().filter(|i| i.is_error()).collect();
    if !errors.is_empty() {
        h.push_str("\n<ul class=\"sg-issues\">");
        for i in errors {
            let _ = write!(
                h,
                "<li data-field=\"{}\" data-code=\"{}\">{}</li>",
                i.field.as_str(),
                i.code.as_str(),
                esc(&i.message)
            );
        }
        h.push_str("</ul>");
    }
    h
}

/// A typed value to put back into a field: escaped, without control characters (a NUL or a
/// line break has no place in an input's value).
fn refill_value(v: &str) -> String {
    esc(&v.chars().filter(|c| !c.is_control()).collect::<String>())
}

/// `html` with the text of each `data-i18n="KEY"` element and the `<title>` (key `doc`) in
/// `locale`, from `words` (JSON: `{"en": {"KEY": "text", …}, "fa": {…}}`); unknown keys, a
/// missing locale or broken JSON leave the page as it is.
pub(super) fn translate(html: &str, words: &[u8], locale: &str) -> String {
    type Table = std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;
    let Some(w) = serde_json::from_slice::<Table>(words)
        .ok()
        .and_then(|mut t| t.remove(locale))
    else {
        return html.to_owned();
    };
    let mut out = String::with_capacity(html.len() + 1024);
    let mut rest = html;
    while let Some(at) = rest.find("data-i18n=\"") {
        let (head, tail) = rest.split_at(at + "data-i18n=\"".len());
        out.push_str(head);
        let word = tail.split_once('"').and_then(|(key, _)| w.get(key));
        // The element's own text: from the end of its start tag to the next tag.
        let text = tail
            .find('>')
            .and_then(|gt| Some((gt, tail.get(gt + 1..)?.find('<')? + gt + 1)));
        match (word, text) {
            (Some(word), Some((gt, lt))) => {
                out.push_str(tail.get(..=gt).unwrap_or_default());
                out.push_str(&esc(word));
                rest = tail.get(lt..).unwrap_or_default();
            }
            _ => rest = tail,
        }
    }
    out.push_str(rest);
    match (w.get("doc"), out.find("<title>"), out.find("</title>")) {
        (Some(doc), Some(a), Some(b)) if a < b => out.replace_range(a + 7..b, &esc(doc)),
        _ => {}
    }
    // `aria-label="…" data-i18n-label="KEY"`: the label of an element without text of its own.
    for (key, word) in &w {
        let from = format!("\" data-i18n-label=\"{key}\"");
        let Some(end) = out.find(&from) else { continue };
        if let Some(start) = out.get(..end).and_then(|h| h.rfind("aria-label=\"")) {
            out.replace_range(start + 12..end, &esc(word));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_page_is_translated_and_refilled_escaped() {
        let html = "<html><title>Sign up</title><nav aria-label=\"Language\" data-i18n-label=\"nav\">\
                    <h1 data-i18n=\"title\">Hello</h1><p data-i18n=\"nope\">Stay</p>\
                    <input id=\"e\" name=\"email\" type=\"text\"><select name=\"country\"><option value=\"ID\">ID</option></select>";
        let words = r#"{"fa":{"title":"سلام <b>","doc":"عضویت","nav":"زبان"}}"#.as_bytes();
        let fa = translate(html, words, "fa");
        assert!(
            fa.contains("<h1 data-i18n=\"title\">سلام &lt;b&gt;</h1>"),
            "{fa}"
        );
        assert!(fa.contains("<title>عضویت</title>") && fa.contains("aria-label=\"زبان\""));
        assert!(fa.contains(">Stay<"));
        assert_eq!(translate(html, b"not json", "fa"), html);
        let sub = Submission {
            email: Some("a\"b@example.org".into()),
            country: Some("ID".into()),
            ..Submission::default()
        };
        let filled = fill_inputs(&fa, &sub);
        assert!(
            filled.contains("name=\"email\" value=\"a&quot;b@example.org\""),
            "{filled}"
        );
        assert!(filled.contains("<option value=\"ID\" selected>"));
    }

    #[test]
    fn consent_block_is_unticked_escaped_and_carries_the_text_hash() {
        let policy = Policy::from_json(
            r#"{"id":"p<1>","version":"1","purposes":[{"id":"news","channel":"email",
            "text":{"en":"Send <b>news</b>","fa":"خبر بفرست"}}]}"#,
        )
        .unwrap();
        let stamp = Stamp {
            value: "1.ab".into(),
            wait_ms: 1500,
        };
        let html = consent_block(&policy, "fa", &stamp);
        assert!(html.contains("name=\"consent\" value=\"news\">"), "{html}");
        assert!(!html.contains("checked"));
        assert!(html.contains(&policy.text_hash("news", "fa").unwrap()));
        assert!(html.contains("خبر بفرست"));
        assert!(html.contains("p&lt;1&gt;"));
        let en = consent_block(&policy, "en", &stamp);
        assert!(en.contains("Send &lt;b&gt;news&lt;/b&gt;"), "{en}");
    }
}

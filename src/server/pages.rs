//! Server-rendered HTML: the consent block for the demo page (so the form works without
//! JavaScript), a built-in form when `www/index.html` is missing, and the human answer pages
//! (thank you, what to fix, unsubscribe). Every value is HTML-escaped; texts come in en/ar/fa/id.

use super::words::words;
use crate::issue::Issue;
use crate::messages;
use crate::policy::Policy;
use std::fmt::Write;

/// The marker in `www/index.html` replaced by the consent block.
pub const CONSENT_MARKER: &str = "<!--sg:consent-->";

/// `s` with `& < > " '` escaped for HTML text and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The consent checkboxes (unticked), the hashes of the texts shown, the policy id and version,
/// the locale, the honeypot and the signed fill-time stamp: what a no-JavaScript form posts.
pub fn consent_block(policy: &Policy, locale: &str, stamp: &str) -> String {
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
    let _ = write!(
        h,
        "<input type=\"hidden\" name=\"policy_id\" value=\"{}\">\n\
         <input type=\"hidden\" name=\"policy_version\" value=\"{}\">\n\
         <input type=\"hidden\" name=\"locale\" value=\"{}\">\n\
         <div class=\"sg-hp\" aria-hidden=\"true\" style=\"position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap\">\
         <label>{} <input type=\"text\" name=\"sg_hp\" value=\"\" tabindex=\"-1\" autocomplete=\"off\"></label></div>\n\
         <input type=\"hidden\" name=\"sg_t\" value=\"{}\">\n</fieldset>",
        esc(&policy.id),
        esc(&policy.version),
        esc(locale),
        esc(w.honeypot),
        esc(stamp),
    );
    h
}

fn document(locale: &str, title: &str, body: &str) -> String {
    let dir = if messages::is_rtl(locale) {
        "rtl"
    } else {
        "ltr"
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/signup-guard.css\"></head>\n\
         <body><main>\n<h1>{title}</h1>\n{body}\n</main></body></html>\n",
        lang = esc(locale),
        title = esc(title),
    )
}

/// The built-in signup page, used when `www/index.html` does not exist.
pub fn builtin_form(policy: &Policy, locale: &str, stamp: &str, with_script: bool) -> String {
    let w = words(locale);
    let mut body = String::from(
        "<form method=\"post\" action=\"/v1/submissions\" data-signup-guard novalidate>\n",
    );
    for (name, label, kind, auto) in [
        ("email", w.email, "email", "email"),
        ("phone", w.phone, "tel", "tel"),
        ("given_name", w.given_name, "text", "given-name"),
        ("family_name", w.family_name, "text", "family-name"),
        ("country", w.country, "text", "country"),
    ] {
        let _ = writeln!(
            body,
            "<p><label>{} <input type=\"{kind}\" name=\"{name}\" autocomplete=\"{auto}\"></label></p>",
            esc(label)
        );
    }
    body.push_str(&consent_block(policy, locale, stamp));
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

/// The thank-you page after a stored form, with one unsubscribe link per granted purpose.
pub fn thanks(
    policy: &Policy,
    locale: &str,
    created: bool,
    unsubscribe: &[(String, String)],
) -> String {
    let w = words(locale);
    let mut body = format!(
        "<p>{}</p>",
        esc(if created { w.created } else { w.updated })
    );
    if !unsubscribe.is_empty() {
        let _ = write!(body, "\n<p>{}</p>\n<ul>", esc(w.withdraw_any_time));
        for (purpose, token) in unsubscribe {
            let text = policy
                .purpose(purpose)
                .map(|p| p.text_for(locale))
                .unwrap_or(purpose);
            let _ = write!(
                body,
                "<li><bdi>{}</bdi> · <a href=\"/v1/unsubscribe?token={}\">{}</a></li>",
                esc(text),
                esc(token),
                esc(w.unsubscribe)
            );
        }
        body.push_str("</ul>");
    }
    document(locale, w.thanks, &body)
}

/// The "please fix" page: every message of the verdict, and a way back to the form.
pub fn fix(locale: &str, issues: &[Issue]) -> String {
    let w = words(locale);
    let mut body = String::from("<ul class=\"sg-issues\">");
    for i in issues {
        let _ = write!(
            body,
            "<li data-field=\"{}\" data-code=\"{}\">{}</li>",
            i.field.as_str(),
            i.code.as_str(),
            esc(&i.message)
        );
    }
    let _ = write!(
        body,
        "</ul>\n<p><a href=\"/?lang={}\">{}</a></p>",
        esc(locale),
        esc(w.back)
    );
    document(locale, w.fix_title, &body)
}

/// The unsubscribe confirmation page: a GET never withdraws (mail scanners follow links), this
/// page's button POSTs the token.
pub fn unsubscribe_confirm(locale: &str, purpose_text: &str, token: &str) -> String {
    let w = words(locale);
    let body = format!(
        "<p>{}</p>\n<p>“<bdi>{}</bdi>”</p>\n<form method=\"post\" action=\"/v1/unsubscribe\">\
         <input type=\"hidden\" name=\"token\" value=\"{}\">\
         <button type=\"submit\">{}</button></form>",
        esc(w.unsubscribe_confirm),
        esc(purpose_text),
        esc(token),
        esc(w.unsubscribe)
    );
    document(locale, w.unsubscribe, &body)
}

/// The page after a withdrawal (or a repeated one).
pub fn unsubscribed(locale: &str, purpose_text: &str, withdrawn: bool) -> String {
    let w = words(locale);
    let body = format!(
        "<p>{}</p>\n<p>“<bdi>{}</bdi>”</p>",
        esc(if withdrawn { w.unsubscribed } else { w.already }),
        esc(purpose_text)
    );
    document(locale, w.unsubscribe, &body)
}

/// A page for a refusal (bad token, rejected form) in the person's language.
pub fn problem(locale: &str, issues: &[Issue]) -> String {
    fix(locale, issues)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_block_is_unticked_escaped_and_carries_the_text_hash() {
        let policy = Policy::from_json(
            r#"{"id":"p<1>","version":"1","purposes":[{"id":"news","channel":"email",
            "text":{"en":"Send <b>news</b>","fa":"خبر بفرست"}}]}"#,
        )
        .unwrap();
        let html = consent_block(&policy, "fa", "1.ab");
        assert!(html.contains("name=\"consent\" value=\"news\">"), "{html}");
        assert!(!html.contains("checked"));
        assert!(html.contains(&policy.text_hash("news", "fa").unwrap()));
        assert!(html.contains("خبر بفرست"));
        assert!(html.contains("p&lt;1&gt;"));
        let en = consent_block(&policy, "en", "1.ab");
        assert!(en.contains("Send &lt;b&gt;news&lt;/b&gt;"), "{en}");
    }
}

//! Server-rendered answer pages: thank you, what to fix, unsubscribe (confirm and done), a
//! refusal, each a whole [`document`] in the person's language (en/ar/fa/id); and [`esc`], the
//! HTML escaping every server-rendered value goes through. The form itself is
//! [`super::form_html`]'s.

use super::words::words;
use crate::issue::Issue;
use crate::messages;
use std::fmt::Write;

/// `s` with `& < > " '` escaped for HTML text and attribute values.
pub(crate) fn esc(s: &str) -> String {
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

/// A whole page in `locale` (its direction set for right-to-left scripts) titled `title`,
/// around `body` (HTML, already escaped), styled like the demo site.
pub(super) fn document(locale: &str, title: &str, body: &str) -> String {
    let dir = if messages::is_rtl(locale) {
        "rtl"
    } else {
        "ltr"
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"icon\" href=\"/favicon.ico\">\
         <link rel=\"stylesheet\" href=\"/site.css\"><link rel=\"stylesheet\" href=\"/signup-guard.css\"></head>\n\
         <body><main>\n<h1>{title}</h1>\n{body}\n</main></body></html>\n",
        lang = esc(locale),
        title = esc(title),
    )
}

/// The thank-you page after a stored form: the same words whether the person is new or known
/// (no unsubscribe links: those would show whoever typed an address what it is signed up to),
/// "check your inbox" under double opt-in (`confirm`), and a link back to `back`.
pub(super) fn thanks(locale: &str, back: &str, confirm: bool) -> String {
    let w = words(locale);
    let body = format!(
        "<p>{}</p>\n<p><a href=\"{}\">{}</a></p>",
        esc(if confirm { w.check_inbox } else { w.received }),
        esc(back),
        esc(w.back_site)
    );
    document(locale, w.thanks, &body)
}

/// The "please fix" page: every message of the verdict, and a way back to the form (`back`).
pub(super) fn fix(locale: &str, issues: &[Issue], back: &str) -> String {
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
        "</ul>\n<p><a href=\"{}\">{}</a></p>",
        esc(back),
        esc(w.back)
    );
    document(locale, w.fix_title, &body)
}

/// The unsubscribe confirmation page: a GET never withdraws (mail scanners follow links), this
/// page's button POSTs the token.
pub(super) fn unsubscribe_confirm(locale: &str, purpose_text: &str, token: &str) -> String {
    let w = words(locale);
    let body = format!(
        "<p>{}</p>\n<p>“<bdi>{}</bdi>”</p>\n<form method=\"post\" action=\"/v1/unsubscribe?lang={}\">\
         <input type=\"hidden\" name=\"token\" value=\"{}\">\
         <button type=\"submit\">{}</button></form>",
        esc(w.unsubscribe_confirm),
        esc(purpose_text),
        esc(locale),
        esc(token),
        esc(w.unsubscribe)
    );
    document(locale, w.unsubscribe, &body)
}

/// The page after a withdrawal (or a repeated one).
pub(super) fn unsubscribed(locale: &str, purpose_text: &str, withdrawn: bool) -> String {
    let w = words(locale);
    let body = format!(
        "<p>{}</p>\n<p>“<bdi>{}</bdi>”</p>",
        esc(if withdrawn { w.unsubscribed } else { w.already }),
        esc(purpose_text)
    );
    document(locale, w.unsubscribe, &body)
}

/// A page for a refusal (bad token, rejected form) in the person's language.
pub(super) fn problem(locale: &str, issues: &[Issue], back: &str) -> String {
    fix(locale, issues, back)
}

//! The confirmation mail: a `multipart/alternative` message with a plain-text part and an HTML
//! part (`dir="rtl"` in Arabic and Persian), in the locale of the signup. It carries the
//! policy's controller name and purpose labels, the link and its expiry: nothing the person typed
//! but the address it goes to (a name field must not turn the form into a spam relay).

use super::words::mail_words;
use super::Outgoing;
use crate::messages;
use crate::policy::Policy;
use crate::server::pages::esc;
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::Message;
use std::fmt::Write;
use std::time::SystemTime;

/// What the store queued for a confirmation mail (the outbox row's payload).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct Payload {
    /// `confirm`.
    pub template: String,
    /// The signup's locale.
    pub locale: String,
    /// The absolute confirmation link.
    pub link: String,
    /// When the link stops working (RFC 3339).
    pub expires_at: String,
    /// The purposes waiting for confirmation, by id.
    pub purposes: Vec<String>,
}

/// The mail for `payload` to `to`, with a stable `Message-ID` (a resend after a crash keeps it,
/// so the receiving side can tell it is the same mail).
pub(super) fn confirmation(
    out: &Outgoing,
    policy: &Policy,
    to: &str,
    payload: &Payload,
    message_id: String,
    date: SystemTime,
) -> Result<Message, String> {
    let locale = messages::negotiate(&payload.locale);
    let w = mail_words(locale);
    let sender = match policy.controller.name.trim() {
        "" => w.nameless,
        name => name,
    };
    let labels: Vec<&str> = payload
        .purposes
        .iter()
        .filter_map(|id| policy.purpose(id).map(|p| p.label_for(locale)))
        .collect();
    // "2026-12-13T08:47:44.123Z" → "2026-12-13 08:47".
    let until = payload
        .expires_at
        .get(..16)
        .map_or(payload.expires_at.clone(), |t| t.replace('T', " "));
    let why = w.why.replace("{sender}", sender);
    let until = w.until.replace("{until}", &until);

    let mut text = format!("{}\n\n{why}\n\n", w.hello);
    if !labels.is_empty() {
        let _ = writeln!(text, "{}", w.asked);
        for l in &labels {
            let _ = writeln!(text, "- {l}");
        }
        text.push('\n');
    }
    let _ = write!(
        text,
        "{}:\n{}\n\n{until}\n\n{}\n",
        w.button, payload.link, w.not_you
    );

    let dir = if messages::is_rtl(locale) {
        "rtl"
    } else {
        "ltr"
    };
    let mut html = format!(
        "<!doctype html>\n<html lang=\"{locale}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <title>{subject}</title></head>\n<body style=\"font-family:system-ui,sans-serif;line-height:1.5\">\n\
         <p>{hello}</p>\n<p>{why}</p>\n",
        subject = esc(&w.subject.replace("{sender}", sender)),
        hello = esc(w.hello),
        why = esc(&why),
    );
    if !labels.is_empty() {
        let _ = write!(html, "<p>{}</p>\n<ul>", esc(w.asked));
        for l in &labels {
            let _ = write!(html, "<li>{}</li>", esc(l));
        }
        html.push_str("</ul>\n");
    }
    let _ = write!(
        html,
        "<p><a href=\"{link}\" style=\"display:inline-block;padding:.6em 1.2em;background:#1d4ed8;\
         color:#fff;text-decoration:none;border-radius:.4em\">{button}</a></p>\n\
         <p dir=\"ltr\" style=\"font-size:.85em;word-break:break-all\">{link}</p>\n\
         <p>{until}</p>\n<p>{not_you}</p>\n</body></html>\n",
        link = esc(&payload.link),
        button = esc(w.button),
        until = esc(&until),
        not_you = esc(w.not_you),
    );

    let to: Mailbox = to
        .parse()
        .map_err(|e| format!("the stored address is not one SMTP can carry: {e}"))?;
    Message::builder()
        .from(out.from.clone())
        .to(to)
        .subject(w.subject.replace("{sender}", sender))
        .message_id(Some(message_id))
        .date(date)
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(text),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html),
                ),
        )
        .map_err(|e| format!("cannot build the mail: {e}"))
}

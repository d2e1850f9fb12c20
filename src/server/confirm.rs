//! `GET|POST /v1/confirm`: the link in a double opt-in mail. A GET only shows a page with a
//! button (mail gateways and link scanners open links; none of them presses a button), the
//! POST confirms: every purpose the signup asked for becomes granted (method `double_opt_in`)
//! and the contact stops being pending. The token (`ID.EXPIRES_MS.MAC`, see `store::keys`) comes
//! in the query, a form body or a JSON body, like an unsubscribe token; a second POST changes
//! nothing and says so; a link past `confirm_within_days` answers `410`.
//!
//! ```sh
//! curl -s -X POST 'localhost:8080/v1/confirm' -H 'content-type: application/json' \
//!      -d '{"token":"7.1765000000000.3f…"}'   # {"ok":true,"status":"confirmed",…}
//! ```

use super::error::{ApiError, Refusal};
use super::extract::{query, PageLocale, UserAgent};
use super::pages::{document, esc};
use super::tokens::Keys;
use super::unsubscribe::Token;
use super::words::words;
use super::{reply, AppState};
use crate::store::{Confirm, Confirmed};
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use std::fmt::Write;

/// `GET /v1/confirm?token=…`: the page with the button; nothing changes.
pub(crate) async fn ask(PageLocale(locale): PageLocale, uri: Uri) -> Response {
    let token = query(&uri, "token").unwrap_or_default();
    if Keys::parse_confirm(&token).is_none() {
        return ApiError::TokenInvalid.page(locale);
    }
    let w = words(locale);
    let body = format!(
        "<p>{}</p>\n<form method=\"post\" action=\"/v1/confirm?lang={}\">\
         <input type=\"hidden\" name=\"token\" value=\"{}\">\
         <button type=\"submit\">{}</button></form>",
        esc(w.confirm_ask),
        esc(locale),
        esc(&token),
        esc(w.confirm_button)
    );
    reply::private_page(StatusCode::OK, document(locale, w.confirm_title, &body))
}

/// `POST /v1/confirm`: confirms the token's contact (idempotent).
pub(crate) async fn confirm(
    State(s): State<AppState>,
    PageLocale(locale): PageLocale,
    UserAgent(ua): UserAgent,
    posted: Token,
) -> Result<Response, Refusal> {
    let refuse = |error| Refusal {
        error,
        locale,
        page: !posted.api,
    };
    let parsed = Keys::parse_confirm(&posted.token);
    let (contact_id, expires_ms, mac) = parsed.ok_or_else(|| refuse(ApiError::TokenInvalid))?;
    let job = Confirm {
        contact_id,
        expires_ms,
        mac: mac.to_owned(),
        now_ms: s.config().clock.unix_ms(),
        meta: s.event_meta(locale, "double_opt_in", ua),
    };
    let done = s.0.writer.confirm(job).await;
    let done = done.map_err(|e| refuse(e.into()))?;
    let (status, code, purposes) = match &done {
        Confirmed::Now(p) => (StatusCode::OK, "confirmed", p.as_slice()),
        Confirmed::Already => (StatusCode::OK, "already_confirmed", &[][..]),
        Confirmed::Expired => (StatusCode::GONE, "expired", &[][..]),
    };
    if posted.api {
        let ok = status == StatusCode::OK;
        let body = serde_json::json!({ "ok": ok, "status": code, "granted": purposes });
        return Ok(reply::json(status, body.to_string()));
    }
    let w = words(locale);
    let said = match done {
        Confirmed::Now(_) => w.confirmed,
        Confirmed::Already => w.already_confirmed,
        Confirmed::Expired => w.confirm_expired,
    };
    let mut body = format!("<p>{}</p>", esc(said));
    let policy = &s.config().policy;
    if !purposes.is_empty() {
        body.push_str("\n<ul>");
        for p in purposes.iter().filter_map(|id| policy.purpose(id)) {
            let _ = write!(body, "<li><bdi>{}</bdi></li>", esc(p.label_for(locale)));
        }
        body.push_str("</ul>");
    }
    let _ = write!(
        body,
        "\n<p><a href=\"/?lang={}\">{}</a></p>",
        esc(locale),
        esc(w.back_site)
    );
    Ok(reply::private_page(
        status,
        document(locale, w.confirm_title, &body),
    ))
}

//! `POST /v1/validate` (the verdict, stored nowhere) and `POST /v1/submissions` (checked, then
//! stored by the writer; a `201` only after commit). JSON answers JSON; a plain HTML form answers
//! a page in the person's language.

use super::error::ApiError;
use super::extract::{JsonSubmission, Locale, Posted, UserAgent};
use super::form::FormPost;
use super::intake::Checked;
use super::protect::BotSignals;
use super::{pages, reply, AppState};
use crate::digest::sha256_hex_bytes;
use crate::messages;
use crate::validate_with;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;

/// `POST /v1/validate`: always 200 when the body is a Submission.
pub(crate) async fn validate(State(s): State<AppState>, body: JsonSubmission) -> Response {
    let verdict = validate_with(&body.submission, &s.config().policy);
    reply::verdict(StatusCode::OK, &verdict)
}

/// `POST /v1/submissions`.
pub(crate) async fn submit(
    State(s): State<AppState>,
    Locale(locale): Locale,
    UserAgent(ua): UserAgent,
    headers: HeaderMap,
    posted: Posted,
) -> Response {
    match posted {
        Posted::Json(body, key) => {
            let sent = submit_json(&s, &headers, body, key, ua).await;
            sent.unwrap_or_else(|e| e.respond(locale))
        }
        Posted::Form(post) => submit_form(&s, post, locale, ua).await,
    }
}

/// A JSON submission; the bot signals come as `Sg-Honeypot` and `Sg-Form-Stamp` headers.
async fn submit_json(
    s: &AppState,
    headers: &HeaderMap,
    body: JsonSubmission,
    key: Option<String>,
    ua: Option<String>,
) -> Result<Response, ApiError> {
    let header = |name| Some(headers.get(name)?.to_str().ok()?.to_owned());
    let signals = BotSignals {
        honeypot: header("sg-honeypot"),
        stamp: header("sg-form-stamp"),
        stamp_required: false,
    };
    let _in_flight = match &key {
        Some(k) => Some(s.0.in_flight.claim(k).ok_or(ApiError::InProgress)?),
        None => None,
    };
    let mut job = match s.check(&body.submission, &signals, "api", ua)? {
        Checked::Refused(v) => return Ok(reply::verdict(StatusCode::UNPROCESSABLE_ENTITY, &v)),
        Checked::Store(job) => job,
    };
    job.idempotency = key.map(|k| (k, sha256_hex_bytes(&body.raw)));
    let answer = s.0.writer.submit(*job).await?;
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut res = reply::json(status, answer.body);
    if answer.replayed {
        res.headers_mut()
            .insert("idempotency-replayed", HeaderValue::from_static("true"));
    }
    Ok(res)
}

/// A plain HTML form post (no JavaScript): the thank-you page, or what to fix.
async fn submit_form(s: &AppState, post: FormPost, hint: &str, ua: Option<String>) -> Response {
    let locale = messages::negotiate(post.submission.locale.as_deref().unwrap_or(hint));
    let job = match s.check(&post.submission, &post.signals, "web_form", ua) {
        Ok(Checked::Store(job)) => job,
        Ok(Checked::Refused(v)) => {
            let page = pages::fix(locale, &v.issues);
            return reply::private_page(StatusCode::UNPROCESSABLE_ENTITY, page);
        }
        Err(e) => return e.page(locale),
    };
    match s.0.writer.submit(*job).await {
        Ok(answer) => {
            let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
            let created = answer.status == 201;
            let policy = &s.config().policy;
            let page = pages::thanks(policy, locale, created, &answer.unsubscribe);
            reply::private_page(status, page)
        }
        Err(e) => ApiError::from(e).page(locale),
    }
}

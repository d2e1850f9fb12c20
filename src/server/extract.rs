//! Typed extractors, so a handler receives parsed values: the locale a request asks for, the
//! client's `User-Agent`, and the submission body. A submission is JSON or a plain form by
//! `Content-Type` (else 415), within the body limit (413, refused before reading when the length
//! is declared), parsed strictly by the core (unknown or duplicate keys, wrong types, broken
//! text: 400); JSON ones may carry an `Idempotency-Key` (1 to 255 visible ASCII characters, else
//! 400). Every rejection is a [`Refusal`]: JSON for API clients, a page for a form.

use super::error::{ApiError, Refusal};
use super::form::{parse_form, parse_json, FormPost};
use super::AppState;
use crate::messages;
use crate::submission::Submission;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use std::convert::Infallible;

/// Longest `User-Agent` kept in an event, in characters.
const MAX_UA: usize = 256;

/// The first language of `Accept-Language`, negotiated to a shipped locale.
pub(crate) fn accept_language(headers: &HeaderMap) -> &'static str {
    let tag = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split([',', ';']).next())
        .unwrap_or("en");
    messages::negotiate(tag)
}

/// A query parameter's value.
pub(crate) fn query(uri: &Uri, name: &str) -> Option<String> {
    form_urlencoded::parse(uri.query()?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The locale of an API answer: `Accept-Language`, else English.
pub(crate) struct Locale(pub &'static str);

impl<S: Send + Sync> FromRequestParts<S> for Locale {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Locale(accept_language(&parts.headers)))
    }
}

/// The locale of a page: `?lang=`, else `Accept-Language`, else English.
pub(crate) fn page_locale(uri: &Uri, headers: &HeaderMap) -> &'static str {
    match query(uri, "lang") {
        Some(l) => messages::negotiate(&l),
        None => accept_language(headers),
    }
}

/// The locale of a page ([`page_locale`]).
pub(crate) struct PageLocale(pub &'static str);

impl<S: Send + Sync> FromRequestParts<S> for PageLocale {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(PageLocale(page_locale(&parts.uri, &parts.headers)))
    }
}

/// The client's `User-Agent` as an event records it (clipped).
pub(crate) struct UserAgent(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for UserAgent {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let ua = parts.headers.get(header::USER_AGENT);
        let ua = ua.and_then(|v| v.to_str().ok());
        Ok(UserAgent(ua.map(|u| u.chars().take(MAX_UA).collect())))
    }
}

/// What a body claims to be, by the essence of its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Json,
    Form,
    Other,
}

impl Kind {
    pub(crate) fn of(headers: &HeaderMap) -> Kind {
        let ct = headers.get(header::CONTENT_TYPE);
        let ct = ct.and_then(|v| v.to_str().ok()).unwrap_or("");
        let essence = ct.split(';').next().unwrap_or("").trim();
        if essence.eq_ignore_ascii_case("application/json") {
            Kind::Json
        } else if essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            Kind::Form
        } else {
            Kind::Other
        }
    }
}

/// The whole body, at most `limit` bytes (the same limit as `DefaultBodyLimit` in `app()`): 413
/// beyond it, before reading anything when `Content-Length` says so.
pub(crate) async fn body(req: Request, limit: usize) -> Result<Bytes, ApiError> {
    let declared = req.headers().get(header::CONTENT_LENGTH);
    let declared = declared.and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::TooLarge(limit));
    }
    Bytes::from_request(req, &()).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge(limit)
        } else {
            ApiError::Malformed("the request body could not be read".into())
        }
    })
}

/// A JSON body that is exactly one [`Submission`], and its bytes (the idempotency fingerprint).
pub(crate) struct JsonSubmission {
    pub submission: Submission,
    pub raw: Bytes,
}

impl FromRequest<AppState> for JsonSubmission {
    type Rejection = Refusal;

    async fn from_request(req: Request, s: &AppState) -> Result<Self, Refusal> {
        let locale = accept_language(req.headers());
        let refuse = |error| Refusal {
            error,
            locale,
            page: false,
        };
        if Kind::of(req.headers()) != Kind::Json {
            return Err(refuse(ApiError::UnsupportedType));
        }
        let raw = body(req, s.config().body_limit).await.map_err(refuse)?;
        let submission = parse_json(&raw).map_err(refuse)?;
        Ok(JsonSubmission { submission, raw })
    }
}

/// The body of `POST /v1/submissions`: an API call (with its `Idempotency-Key`, if any) or a
/// plain HTML form.
pub(crate) enum Posted {
    Json(JsonSubmission, Option<String>),
    Form(FormPost),
}

impl FromRequest<AppState> for Posted {
    type Rejection = Refusal;

    async fn from_request(req: Request, s: &AppState) -> Result<Self, Refusal> {
        let locale = accept_language(req.headers());
        let refuse = |error, page| Refusal {
            error,
            locale,
            page,
        };
        match Kind::of(req.headers()) {
            Kind::Other => Err(refuse(ApiError::UnsupportedType, false)),
            Kind::Json => {
                let key = idempotency_key(req.headers()).map_err(|e| refuse(e, false))?;
                let json = JsonSubmission::from_request(req, s).await?;
                Ok(Posted::Json(json, key))
            }
            Kind::Form => {
                let raw = body(req, s.config().body_limit).await;
                let post = raw.and_then(|raw| parse_form(&raw));
                post.map(Posted::Form).map_err(|e| refuse(e, true))
            }
        }
    }
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match v.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(k.to_owned()))
        }
        _ => Err(ApiError::Malformed(
            "Idempotency-Key must be 1 to 255 visible ASCII characters".into(),
        )),
    }
}

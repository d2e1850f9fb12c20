//! Building answers: JSON bodies, and HTML pages that no cache keeps (they carry unsubscribe
//! tokens or a person's own answer). Cacheable pages set their own `Cache-Control` (see `site`).

use crate::verdict::Verdict;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A JSON answer.
pub(crate) fn json(status: StatusCode, body: String) -> Response {
    typed(status, body, "application/json")
}

/// A verdict as JSON.
pub(crate) fn verdict(status: StatusCode, v: &Verdict) -> Response {
    json(status, serde_json::to_string(v).unwrap_or_default())
}

/// An HTML page with `Cache-Control: no-store`.
pub(crate) fn private_page(status: StatusCode, body: String) -> Response {
    let mut res = page(status, body);
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// An HTML page; the caller says how long it may be cached.
pub(crate) fn page(status: StatusCode, body: String) -> Response {
    typed(status, body, "text/html; charset=utf-8")
}

fn typed(status: StatusCode, body: String, content_type: &'static str) -> Response {
    let mut res = (status, body).into_response();
    let value = HeaderValue::from_static(content_type);
    res.headers_mut().insert(header::CONTENT_TYPE, value);
    res
}

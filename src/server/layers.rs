//! The parts of the layer stack in `app()` that are ours: the CORS policy handed to tower-http,
//! the refusal of POSTs from foreign origins (CSRF: a browser sends
//! `Origin` on every cross-site POST), the verdict-shaped body of a timed-out request, and the
//! access log (one JSON line: method, path without the query, status, milliseconds; no body, no
//! address, no token; tower-http's `TraceLayer` would need a tracing subscriber and formatter to
//! write this same line, so it stays a small layer of its own).

use super::error::ApiError;
use super::extract::accept_language;
use super::protect::origin_allowed;
use super::AppState;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{request::Parts, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::time::{Duration, Instant};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

/// CORS: origins in `--cors-origin` (or `*`) and the server's own origin get the CORS headers;
/// preflights are answered (methods, the headers a client may send, 10 minutes).
pub(crate) fn cors(allow: Vec<String>) -> CorsLayer {
    let allowed = move |origin: &HeaderValue, parts: &Parts| {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        origin
            .to_str()
            .is_ok_and(|o| origin_allowed(o, host, &allow))
    };
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(allowed))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("sg-honeypot"),
            HeaderName::from_static("sg-form-stamp"),
        ])
        .expose_headers([
            header::RETRY_AFTER,
            HeaderName::from_static("idempotency-replayed"),
        ])
        .max_age(Duration::from_secs(600))
}

/// A POST whose `Origin` is neither allowed nor this server's own: 403 `submission.rejected`.
pub(crate) async fn refuse_foreign_posts(
    State(s): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() == Method::POST {
        let h = req.headers();
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
        let origin = h.get(header::ORIGIN).and_then(|o| o.to_str().ok());
        if origin.is_some_and(|o| !origin_allowed(o, host, &s.config().cors_origins)) {
            return ApiError::ForeignOrigin.respond(accept_language(h));
        }
    }
    next.run(req).await
}

/// The whole-request timeout's bare 408 (tower-http's `TimeoutLayer`) in the verdict shape.
pub(crate) async fn timeout_body(req: Request, next: Next) -> Response {
    let locale = accept_language(req.headers());
    let res = next.run(req).await;
    let bare = !res.headers().contains_key(header::CONTENT_TYPE);
    if res.status() == StatusCode::REQUEST_TIMEOUT && bare {
        return ApiError::Timeout.respond(locale);
    }
    res
}

/// One access-log line per request (see the module comment).
pub(crate) async fn access_log(req: Request, next: Next) -> Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let started = Instant::now();
    let res = next.run(req).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    super::log::request(method.as_str(), &path, res.status().as_u16(), ms);
    res
}

/// A header on every answer (the security headers), as a tower-http layer.
pub(crate) fn always(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
}

//! The handlers: thin translators between HTTP and the core verdict and the writer.

use super::error::ApiError;
use super::form::{parse_form, parse_json};
use super::protect::{origin_allowed, passes_bot_checks, BotSignals};
use super::{pages, AppState};
use crate::issue::{Code, Field, Issue};
use crate::messages;
use crate::store::{EventMeta, Grant, Submit, Withdraw};
use crate::submission::Submission;
use crate::validate_with;
use crate::verdict::Verdict;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// Longest `User-Agent` and claimed time kept in an event, in characters.
const MAX_UA: usize = 256;
const MAX_CLAIMED: usize = 64;

/// CORS, the per-client rate limit on POSTs, the whole-request timeout and security headers.
pub async fn guard(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let cfg = s.config();
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(str::to_owned);
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let allowed = origin
        .as_deref()
        .map(|o| origin_allowed(o, host, &cfg.cors_origins));
    let locale = accept_language(req.headers());
    if req.method() == Method::OPTIONS {
        let mut res = StatusCode::NO_CONTENT.into_response();
        if allowed == Some(true) {
            let h = res.headers_mut();
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST"),
            );
            h.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static(
                    "content-type, idempotency-key, sg-honeypot, sg-form-stamp",
                ),
            );
            h.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        } else {
            *res.status_mut() = StatusCode::FORBIDDEN;
        }
        return finish(res, origin.as_deref(), allowed);
    }
    if req.method() == Method::POST {
        if allowed == Some(false) {
            return finish(ApiError::ForeignOrigin.respond(locale), None, None);
        }
        let peer = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        // Behind the operator's own proxy, the client is the last address that proxy appended.
        let forwarded = cfg.trust_proxy.then(|| {
            req.headers()
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .last()
                .and_then(|a| a.trim().parse::<IpAddr>().ok())
        });
        let ip = forwarded.flatten().unwrap_or(peer);
        if let Err(retry) = s.0.limiter.check(ip) {
            return finish(
                ApiError::RateLimited(retry).respond(locale),
                origin.as_deref(),
                allowed,
            );
        }
    }
    let started = cfg.access_log.then(|| {
        let (method, path) = (req.method().clone(), req.uri().path().to_owned());
        (method, path, std::time::Instant::now())
    });
    let res = match tokio::time::timeout(cfg.request_timeout, next.run(req)).await {
        Ok(res) => res,
        Err(_) => ApiError::Timeout.respond(locale),
    };
    if let Some((method, path, t)) = started {
        super::log::request(
            method.as_str(),
            &path,
            res.status().as_u16(),
            t.elapsed().as_secs_f64() * 1000.0,
        );
    }
    finish(res, origin.as_deref(), allowed)
}

fn finish(mut res: Response, origin: Option<&str>, allowed: Option<bool>) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Unsubscribe tokens travel in URLs: never leak them to other sites. `same-origin` (not
    // `no-referrer`) so the browser still sends the page's Origin on its own form posts; with
    // `no-referrer` Chromium sends `Origin: null` and the CSRF check refused the demo form.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let (Some(o), Some(true)) = (origin, allowed) {
        if let Ok(v) = HeaderValue::from_str(o) {
            h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
            h.insert(header::VARY, HeaderValue::from_static("Origin"));
            h.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static("Retry-After, Idempotency-Replayed"),
            );
        }
    }
    res
}

/// The first language of `Accept-Language`, negotiated to a shipped locale.
fn accept_language(headers: &HeaderMap) -> &'static str {
    let tag = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split([',', ';']).next())
        .unwrap_or("en");
    messages::negotiate(tag)
}

/// A query parameter's value.
fn query(uri: &Uri, name: &str) -> Option<String> {
    form_urlencoded::parse(uri.query()?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The page's locale: `?lang=`, else `Accept-Language`, else English.
fn page_locale(uri: &Uri, headers: &HeaderMap) -> &'static str {
    match query(uri, "lang") {
        Some(l) => messages::negotiate(&l),
        None => accept_language(headers),
    }
}

enum Kind {
    Json,
    Form,
    Other,
}

fn content_kind(headers: &HeaderMap) -> Kind {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = ct.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/json") {
        Kind::Json
    } else if essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        Kind::Form
    } else {
        Kind::Other
    }
}

/// Reads the body up to the configured limit (413 beyond it, before reading when declared).
async fn read_body(s: &AppState, headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
    let limit = s.config().body_limit;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::TooLarge(limit));
    }
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        if e.to_string().contains("length limit") {
            ApiError::TooLarge(limit)
        } else {
            ApiError::Malformed("the request body could not be read".into())
        }
    })
}

fn json(status: StatusCode, body: String) -> Response {
    let mut res = (status, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

fn html(status: StatusCode, body: String) -> Response {
    let mut res = (status, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn verdict_json(status: StatusCode, v: &Verdict) -> Response {
    json(status, serde_json::to_string(v).unwrap_or_default())
}

/// `GET /healthz`: 200 while the writer runs; the body also names the data this build carries
/// (`{"ok":true,"data_versions":{"phone_metadata":{"version":"9.0.43","date":…},…}}`).
pub async fn healthz(State(s): State<AppState>) -> Response {
    let ok = s.0.writer.is_alive();
    let versions = serde_json::to_string(&crate::data_versions()).unwrap_or_else(|_| "null".into());
    let body = format!(r#"{{"ok":{ok},"data_versions":{versions}}}"#);
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    json(status, body)
}

/// `GET /v1/policy`: the policy in force.
pub async fn policy(State(s): State<AppState>) -> Response {
    let mut res = json(StatusCode::OK, s.0.policy_json.clone());
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", s.0.policy_hash)) {
        res.headers_mut().insert(header::ETAG, etag);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

/// `POST /v1/validate`: the verdict, stored nowhere (always 200 when the body is a Submission).
pub async fn validate(State(s): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let locale = accept_language(&headers);
    if !matches!(content_kind(&headers), Kind::Json) {
        return ApiError::UnsupportedType.respond(locale);
    }
    let result = async {
        let bytes = read_body(&s, &headers, body).await?;
        parse_json(&bytes)
    }
    .await;
    match result {
        Ok(sub) => verdict_json(StatusCode::OK, &validate_with(&sub, &s.config().policy)),
        Err(e) => e.respond(locale),
    }
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `POST /v1/submissions`: JSON answers JSON, a form answers a page.
pub async fn submit(State(s): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let locale = accept_language(&headers);
    match content_kind(&headers) {
        Kind::Json => match submit_json(&s, &headers, body).await {
            Ok(res) => res,
            Err(e) => e.respond(locale),
        },
        Kind::Form => submit_form(&s, &headers, body, locale).await,
        Kind::Other => ApiError::UnsupportedType.respond(locale),
    }
}

/// What validation and bot checks decide before anything is written.
enum Checked {
    Refused(Box<Verdict>),
    Store(Box<Submit>),
}

fn check(
    s: &AppState,
    headers: &HeaderMap,
    sub: &Submission,
    signals: &BotSignals,
    method: &'static str,
) -> Result<Checked, ApiError> {
    let cfg = s.config();
    if !passes_bot_checks(signals, &s.0.keys, cfg.min_fill_ms, cfg.clock.unix_ms()) {
        return Err(ApiError::Rejected);
    }
    let verdict = validate_with(sub, &cfg.policy);
    let contact = match verdict.contact.clone() {
        Some(c) if verdict.ok => c,
        _ => return Ok(Checked::Refused(Box::new(verdict))),
    };
    if contact.dedup_key().is_none() {
        // A policy that requires neither email nor phone still needs one to store a person.
        let mut issue = Issue::new(Field::Email, Code::InputRequired);
        issue.render(&contact.locale);
        return Ok(Checked::Refused(Box::new(Verdict {
            ok: false,
            contact: None,
            issues: vec![issue],
        })));
    }
    let policy = &cfg.policy;
    let grants = contact
        .consent
        .iter()
        .filter_map(|id| {
            let p = policy.purpose(id)?;
            Some(Grant {
                purpose: id.clone(),
                text_hash: policy.text_hash(id, &contact.locale)?,
                required: p.required,
            })
        })
        .collect();
    let meta = EventMeta {
        policy_id: policy.id.clone(),
        policy_version: policy.version.clone(),
        policy_hash: s.0.policy_hash.clone(),
        locale: contact.locale.clone(),
        method,
        received_at: cfg.clock.now(),
        claimed_at: sub
            .consent
            .as_ref()
            .and_then(|c| c.collected_at.as_deref())
            .map(|c| c.chars().take(MAX_CLAIMED).collect()),
        user_agent: header_text(headers, "user-agent").map(|u| u.chars().take(MAX_UA).collect()),
    };
    let warnings = verdict.issues;
    Ok(Checked::Store(Box::new(Submit {
        contact,
        warnings,
        grants,
        meta,
        idempotency: None,
    })))
}

async fn submit_json(s: &AppState, headers: &HeaderMap, body: Body) -> Result<Response, ApiError> {
    let key = match header_text(headers, "idempotency-key") {
        Some(k) if !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()) => {
            Some(k)
        }
        Some(_) => {
            return Err(ApiError::Malformed(
                "Idempotency-Key must be 1 to 255 visible ASCII characters".into(),
            ))
        }
        None if headers.contains_key("idempotency-key") => {
            return Err(ApiError::Malformed(
                "Idempotency-Key must be 1 to 255 visible ASCII characters".into(),
            ))
        }
        None => None,
    };
    let bytes = read_body(s, headers, body).await?;
    let sub = parse_json(&bytes)?;
    let signals = BotSignals {
        honeypot: header_text(headers, "sg-honeypot"),
        stamp: header_text(headers, "sg-form-stamp"),
        stamp_required: false,
    };
    let _guard = match &key {
        Some(k) => Some(s.0.in_flight.claim(k).ok_or(ApiError::InProgress)?),
        None => None,
    };
    let mut job = match check(s, headers, &sub, &signals, "api")? {
        Checked::Refused(v) => return Ok(verdict_json(StatusCode::UNPROCESSABLE_ENTITY, &v)),
        Checked::Store(job) => job,
    };
    job.idempotency = key.map(|k| (k, sha256_hex_bytes(&bytes)));
    let answer = s.0.writer.submit(*job).await?;
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut res = json(status, answer.body);
    if answer.replayed {
        res.headers_mut()
            .insert("idempotency-replayed", HeaderValue::from_static("true"));
    }
    Ok(res)
}

fn sha256_hex_bytes(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn submit_form(s: &AppState, headers: &HeaderMap, body: Body, hint: &str) -> Response {
    let page_error = |e: ApiError, locale: &str| {
        e.log();
        html(
            e.status(),
            pages::problem(locale, &e.verdict(locale).issues),
        )
    };
    let bytes = match read_body(s, headers, body).await {
        Ok(b) => b,
        Err(e) => return page_error(e, hint),
    };
    let post = match parse_form(&bytes) {
        Ok(p) => p,
        Err(e) => return page_error(e, hint),
    };
    let locale = messages::negotiate(post.submission.locale.as_deref().unwrap_or(hint));
    let job = match check(s, headers, &post.submission, &post.signals, "web_form") {
        Ok(Checked::Store(job)) => job,
        Ok(Checked::Refused(v)) => {
            return html(
                StatusCode::UNPROCESSABLE_ENTITY,
                pages::fix(locale, &v.issues),
            )
        }
        Err(e) => return page_error(e, locale),
    };
    match s.0.writer.submit(*job).await {
        Ok(answer) => {
            let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
            let page = pages::thanks(
                &s.config().policy,
                locale,
                answer.status == 201,
                &answer.unsubscribe,
            );
            html(status, page)
        }
        Err(e) => page_error(e.into(), locale),
    }
}

fn wants_json(headers: &HeaderMap) -> bool {
    matches!(content_kind(headers), Kind::Json)
        || headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("application/json"))
}

/// `GET /v1/unsubscribe?token=…`: a confirmation page (a GET never withdraws).
pub async fn unsubscribe_page(State(s): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let locale = page_locale(&uri, &headers);
    let token = query(&uri, "token").unwrap_or_default();
    let Some((_, purpose, _)) = super::tokens::Keys::parse_unsubscribe(&token) else {
        let e = ApiError::TokenInvalid;
        return html(
            e.status(),
            pages::problem(locale, &e.verdict(locale).issues),
        );
    };
    let text = s
        .config()
        .policy
        .purpose(purpose)
        .map_or(purpose, |p| p.text_for(locale));
    html(
        StatusCode::OK,
        pages::unsubscribe_confirm(locale, text, &token),
    )
}

/// `POST /v1/unsubscribe` (token in the query or a form body; RFC 8058 one-click posts work):
/// appends a withdrawal event. JSON answer for API clients, a page otherwise.
pub async fn unsubscribe(
    State(s): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let locale = page_locale(&uri, &headers);
    let api = wants_json(&headers);
    let respond_err = |e: ApiError| {
        if api {
            e.respond(locale)
        } else {
            e.log();
            html(
                e.status(),
                pages::problem(locale, &e.verdict(locale).issues),
            )
        }
    };
    let mut token = query(&uri, "token");
    if token.is_none() {
        let bytes = match read_body(&s, &headers, body).await {
            Ok(b) => b,
            Err(e) => return respond_err(e),
        };
        token = match content_kind(&headers) {
            Kind::Form => form_urlencoded::parse(&bytes)
                .find(|(k, _)| k == "token")
                .map(|(_, v)| v.into_owned()),
            Kind::Json => serde_json::from_slice::<TokenBody>(&bytes)
                .ok()
                .map(|t| t.token),
            Kind::Other => None,
        };
    }
    let token = token.unwrap_or_default();
    let Some((contact_id, purpose, mac)) = super::tokens::Keys::parse_unsubscribe(&token) else {
        return respond_err(ApiError::TokenInvalid);
    };
    let cfg = s.config();
    let job = Withdraw {
        contact_id,
        purpose: purpose.to_owned(),
        mac: mac.to_owned(),
        meta: EventMeta {
            policy_id: cfg.policy.id.clone(),
            policy_version: cfg.policy.version.clone(),
            policy_hash: s.0.policy_hash.clone(),
            locale: locale.to_owned(),
            method: "unsubscribe_link",
            received_at: cfg.clock.now(),
            claimed_at: None,
            user_agent: header_text(&headers, "user-agent")
                .map(|u| u.chars().take(MAX_UA).collect()),
        },
    };
    match s.0.writer.withdraw(job).await {
        Ok(withdrawn) if api => json(
            StatusCode::OK,
            serde_json::json!({ "ok": true, "purpose": purpose, "withdrawn": withdrawn })
                .to_string(),
        ),
        Ok(withdrawn) => {
            let text = cfg
                .policy
                .purpose(purpose)
                .map_or(purpose, |p| p.text_for(locale));
            html(StatusCode::OK, pages::unsubscribed(locale, text, withdrawn))
        }
        Err(e) => respond_err(e.into()),
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    token: String,
}

/// `GET /`: `www/index.html` with the consent block filled in, or the built-in form.
pub async fn index(State(s): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let cfg = s.config();
    let locale = page_locale(&uri, &headers);
    let stamp = s.0.keys.form_stamp(cfg.clock.unix_ms());
    let page = match tokio::fs::read_to_string(cfg.www.join("index.html")).await {
        Ok(page) => {
            // Without JavaScript the page's own language switch does not run: set <html lang dir>.
            let dir = if messages::is_rtl(locale) {
                "rtl"
            } else {
                "ltr"
            };
            page.replacen(
                "<html lang=\"en\" dir=\"ltr\">",
                &format!("<html lang=\"{locale}\" dir=\"{dir}\">"),
                1,
            )
            .replace(
                pages::CONSENT_MARKER,
                &pages::consent_block(&cfg.policy, locale, &stamp),
            )
        }
        Err(_) => {
            let script = cfg.pkg.join("signup-guard.js").exists();
            pages::builtin_form(&cfg.policy, locale, &stamp, script)
        }
    };
    html(StatusCode::OK, page)
}

fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "ts" | "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `GET /NAME`: a file from `pkg/`, then `www/` (flat names only: no paths, no dot files).
pub async fn asset(State(s): State<AppState>, Path(name): Path<String>) -> Response {
    let safe = !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if !safe {
        return not_found().await;
    }
    let cfg = s.config();
    for dir in [&cfg.pkg, &cfg.www] {
        if let Ok(bytes) = tokio::fs::read(dir.join(&name)).await {
            let mut res = (StatusCode::OK, bytes).into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(&name)),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            return res;
        }
    }
    not_found().await
}

/// Anything else: 404.
pub async fn not_found() -> Response {
    json(
        StatusCode::NOT_FOUND,
        r#"{"ok":false,"error":"not found"}"#.into(),
    )
}

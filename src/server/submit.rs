//! `POST /v1/validate` (the verdict, stored nowhere) and `POST /v1/submissions` (checked, then
//! stored by the writer; a `201` only after commit). JSON answers JSON; a plain HTML form answers
//! a page in the person's language. Under a policy with `"confirm": "email"` every stored signup
//! answers `202` with `"status":"confirmation_pending"` (the thank-you page says to check the
//! inbox), whether the address is new, pending or confirmed.

use super::error::ApiError;
use super::extract::{JsonSubmission, Locale, Posted, UserAgent};
use super::form::FormPost;
use super::intake::Checked;
use super::protect::BotSignals;
use super::{form_html, pages, reply, site, visitor, AppState};
use crate::audit::country_names::display_name;
use crate::digest::sha256_hex_bytes;
use crate::issue::Issue;
use crate::messages;
use crate::validate_with;
use axum::extract::State;
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use std::net::IpAddr;

/// `POST /v1/validate`: always 200 when the body is a Submission.
pub(crate) async fn validate(State(s): State<AppState>, body: JsonSubmission) -> Response {
    let mut verdict = validate_with(&body.submission, &s.config().policy);
    name_regions(&mut verdict.issues, body.submission.locale.as_deref());
    reply::verdict(StatusCode::OK, &verdict)
}

/// Countries named in the message's language (CLDR) where the core's message has the code
/// (`phone.invalid`: "…برای اندونزی نیست", not "…برای ID نیست"); `params.region` keeps the code.
fn name_regions(issues: &mut [Issue], locale: Option<&str>) {
    let locale = messages::negotiate(locale.unwrap_or("en"));
    for issue in issues {
        let code = issue.params.get("region");
        if let Some(name) = code.and_then(|c| display_name(c, locale)) {
            issue.name_region(locale, name);
        }
    }
}

/// `POST /v1/submissions`.
pub(crate) async fn submit(
    State(s): State<AppState>,
    Locale(locale): Locale,
    UserAgent(ua): UserAgent,
    headers: HeaderMap,
    ext: Extensions,
    posted: Posted,
) -> Response {
    let client = super::limit::client_ip(&ext, &headers, s.config().trust_proxy);
    match posted {
        Posted::Json(body, key) => {
            // Boxed: the request's future is moved through every layer, and this one, which
            // holds the submission across the writer's await, is the large part of it.
            let sent = Box::pin(submit_json(&s, &headers, body, key, ua, client)).await;
            sent.unwrap_or_else(|e| e.respond(locale))
        }
        Posted::Form(post) => Box::pin(submit_form(&s, post, &headers, locale, ua, client)).await,
    }
}

/// A JSON submission; the bot signals come as `Sg-Honeypot` and `Sg-Form-Stamp` headers.
async fn submit_json(
    s: &AppState,
    headers: &HeaderMap,
    body: JsonSubmission,
    key: Option<String>,
    ua: Option<String>,
    client: IpAddr,
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
        Checked::Refused(mut v) => {
            name_regions(&mut v.issues, body.submission.locale.as_deref());
            return Ok(reply::verdict(StatusCode::UNPROCESSABLE_ENTITY, &v));
        }
        Checked::Store(job) => job,
    };
    job.idempotency = key.map(|k| (k, sha256_hex_bytes(&body.raw)));
    s.ask_confirmation(&mut job, client);
    let answer = s.0.writer.submit(*job).await?;
    s.mail_queued(answer.mail_queued);
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let body = match s.public_base(headers) {
        Some(base) => visitor::absolute_links(&answer.body, &base),
        None => answer.body,
    };
    let mut res = reply::json(status, body);
    if answer.replayed {
        res.headers_mut()
            .insert("idempotency-replayed", HeaderValue::from_static("true"));
    }
    Ok(res)
}

/// A plain HTML form post (with or without the drop-in): `303` to the neutral thank-you page
/// once stored (a reload never posts again), what to fix, or the filled form back when it came
/// too quickly. "Back" goes to the form's page when its origin is allowed.
async fn submit_form(
    s: &AppState,
    post: FormPost,
    headers: &HeaderMap,
    hint: &str,
    ua: Option<String>,
    client: IpAddr,
) -> Response {
    let locale = messages::negotiate(post.submission.locale.as_deref().unwrap_or(hint));
    let back = s.back(post.return_to.as_deref(), headers);
    let href = back
        .as_ref()
        .map_or_else(|| format!("/?lang={locale}"), |b| b.url.clone());
    let mut job = match s.check(&post.submission, &post.signals, "web_form", ua) {
        Ok(Checked::Store(job)) => job,
        Ok(Checked::Refused(mut v)) => {
            name_regions(&mut v.issues, Some(locale));
            let page = pages::fix(locale, &v.issues, &href);
            return reply::private_page(StatusCode::UNPROCESSABLE_ENTITY, page);
        }
        Err(ApiError::TooSoon) => return give_back(s, &post, locale, back.as_ref()).await,
        Err(e) => return e.page_back(locale, &href),
    };
    s.ask_confirmation(&mut job, client);
    match s.0.writer.submit(*job).await {
        Ok(answer) => {
            s.mail_queued(answer.mail_queued);
            visitor::see_other(&visitor::thanks_location(locale, back.as_ref()))
        }
        Err(e) => ApiError::from(e).page_back(locale, &href),
    }
}

/// A form that came too quickly (autofill) or without a stamp (no JavaScript on a static
/// page): never a dead end. The drop-in on another site gets a redirect back with
/// `sg_status=retry` (it kept what was typed); otherwise the form comes back filled in, with a
/// fresh stamp and a note: the demo page for this server's own form, the built-in form for
/// another site's.
async fn give_back(
    s: &AppState,
    post: &FormPost,
    locale: &str,
    back: Option<&visitor::Back>,
) -> Response {
    let stamped = post.signals.stamp.as_deref().is_some_and(|t| !t.is_empty());
    if let Some(b) = back.filter(|b| stamped && !b.own) {
        return visitor::see_other(&visitor::with_status(&b.url, "retry"));
    }
    let mut verdict = validate_with(&post.submission, &s.config().policy);
    name_regions(&mut verdict.issues, Some(locale));
    let refill = form_html::Refill {
        submission: &post.submission,
        back: back.map(|b| b.url.as_str()),
        issues: &verdict.issues,
    };
    let page = if back.is_none_or(|b| b.own) {
        site::demo_page(s, locale, Some(&refill), post.submission.source.as_ref()).await
    } else {
        let cfg = s.config();
        let stamp = s.stamp();
        let script = cfg.pkg.join("signup-guard.js").exists();
        let from = post.submission.source.as_ref();
        form_html::builtin_form(&cfg.policy, locale, &stamp, script, Some(&refill), from)
    };
    reply::private_page(StatusCode::UNPROCESSABLE_ENTITY, page)
}

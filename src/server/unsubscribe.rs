//! `GET|POST /v1/unsubscribe`: the link in every thank-you page and message. A GET only shows a
//! confirmation page (mail scanners follow links); a POST appends a withdrawal event. The token
//! (`ID.PURPOSE.MAC`, see `tokens`) comes in the query, a form body (`token=…`, so RFC 8058
//! one-click posts work) or a JSON body (`{"token":"…"}`). API clients (JSON body or
//! `Accept: application/json`) get JSON; people get a page, never cached.

use super::error::{ApiError, Refusal};
use super::extract::{self, query, Kind, PageLocale, UserAgent};
use super::tokens::Keys;
use super::{pages, reply, AppState};
use crate::store::Withdraw;
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::Response;

/// `GET /v1/unsubscribe?token=…`: the confirmation page.
pub(crate) async fn confirm(
    State(s): State<AppState>,
    PageLocale(locale): PageLocale,
    uri: Uri,
) -> Response {
    let token = query(&uri, "token").unwrap_or_default();
    let Some((_, purpose, _)) = Keys::parse_unsubscribe(&token) else {
        return ApiError::TokenInvalid.page(locale);
    };
    let text = purpose_text(&s, purpose, locale);
    reply::private_page(
        StatusCode::OK,
        pages::unsubscribe_confirm(locale, text, &token),
    )
}

/// `POST /v1/unsubscribe`: withdraws the token's purpose (a repeat appends nothing).
pub(crate) async fn withdraw(
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
    let parsed = Keys::parse_unsubscribe(&posted.token);
    let (contact_id, purpose, mac) = parsed.ok_or_else(|| refuse(ApiError::TokenInvalid))?;
    let job = Withdraw {
        contact_id,
        purpose: purpose.to_owned(),
        mac: mac.to_owned(),
        meta: s.event_meta(locale, "unsubscribe_link", ua),
    };
    let withdrawn = s.0.writer.withdraw(job).await;
    let withdrawn = withdrawn.map_err(|e| refuse(e.into()))?;
    Ok(if posted.api {
        let body = serde_json::json!({ "ok": true, "purpose": purpose, "withdrawn": withdrawn });
        reply::json(StatusCode::OK, body.to_string())
    } else {
        let text = purpose_text(&s, purpose, locale);
        reply::private_page(StatusCode::OK, pages::unsubscribed(locale, text, withdrawn))
    })
}

fn purpose_text<'a>(s: &'a AppState, purpose: &'a str, locale: &str) -> &'a str {
    let policy = &s.config().policy;
    policy
        .purpose(purpose)
        .map_or(purpose, |p| p.text_for(locale))
}

/// The token of an unsubscribe or confirmation POST (empty when none was sent) and whether to
/// answer JSON.
pub(crate) struct Token {
    pub(crate) token: String,
    pub(crate) api: bool,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    token: String,
}

impl FromRequest<AppState> for Token {
    type Rejection = Refusal;

    async fn from_request(req: Request, s: &AppState) -> Result<Self, Refusal> {
        let kind = Kind::of(req.headers());
        let api = kind == Kind::Json || accepts_json(req.headers());
        if let Some(token) = query(req.uri(), "token") {
            return Ok(Token { token, api });
        }
        let locale = extract::page_locale(req.uri(), req.headers());
        let bytes = extract::body(req, s.config().body_limit).await;
        let bytes = bytes.map_err(|error| Refusal {
            error,
            locale,
            page: !api,
        })?;
        let token = match kind {
            Kind::Form => form_urlencoded::parse(&bytes)
                .find(|(k, _)| k == "token")
                .map(|(_, v)| v.into_owned()),
            Kind::Json => serde_json::from_slice::<TokenBody>(&bytes)
                .ok()
                .map(|t| t.token),
            Kind::Other => None,
        };
        let token = token.unwrap_or_default();
        Ok(Token { token, api })
    }
}

fn accepts_json(headers: &HeaderMap) -> bool {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    accept.is_some_and(|a| a.contains("application/json"))
}

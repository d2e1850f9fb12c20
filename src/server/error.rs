//! One error type for every refusal the service gives before or instead of a verdict. Each
//! answers in the verdict's shape (`{"ok":false,"contact":null,"issues":[…]}`) with a stable code;
//! internal faults say only "something went wrong" and are logged for the operator. A refusal
//! answers JSON to API clients and a page in the person's language to a plain HTML form
//! ([`Refusal`], what the extractors reject with).

use super::{pages, reply};
use crate::issue::Code;
use crate::store::WriteError;
use crate::verdict::Verdict;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A refusal with its HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ApiError {
    /// 400: not JSON / form data of the expected shape (`detail` is safe to show).
    Malformed(String),
    /// 400: a key the format does not know.
    UnknownField(String),
    /// 400: text that is not valid Unicode.
    InvalidText,
    /// 422: the honeypot or fill-time check failed (deliberately vague), or a foreign origin.
    Rejected,
    /// 422 `submission.rejected` like [`ApiError::Rejected`], but a person's form may simply
    /// have been too quick (autofill): a form gets the filled form back, not a dead end.
    TooSoon,
    /// 403: a browser request from an origin not in the CORS allow-list.
    ForeignOrigin,
    /// 408: the request took longer than the whole-request timeout.
    Timeout,
    /// 413: the body is over the limit.
    TooLarge(usize),
    /// 415: neither JSON nor form data.
    UnsupportedType,
    /// 429: too many requests; retry after the seconds given.
    RateLimited(u64),
    /// 422: the same `Idempotency-Key` with another payload.
    KeyReused,
    /// 409: the same `Idempotency-Key` is still in flight.
    InProgress,
    /// 400: the unsubscribe token is not valid.
    TokenInvalid,
    /// 401: the admin API without the right bearer token.
    Unauthorized,
    /// 503: the store cannot write now; nothing was saved (logged).
    Unavailable(String),
    /// 500: anything unexpected (logged, never shown).
    Internal(String),
}

impl ApiError {
    /// The HTTP status.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            ApiError::Malformed(_)
            | ApiError::UnknownField(_)
            | ApiError::InvalidText
            | ApiError::TokenInvalid => StatusCode::BAD_REQUEST,
            ApiError::Rejected | ApiError::TooSoon | ApiError::KeyReused => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::InProgress => StatusCode::CONFLICT,
            ApiError::ForeignOrigin => StatusCode::FORBIDDEN,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Timeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The verdict-shaped body, with messages in `locale`.
    pub(crate) fn verdict(&self, locale: &str) -> Verdict {
        let (code, param) = match self {
            ApiError::Malformed(d) => (Code::SubmissionMalformed, Some(("detail", d.clone()))),
            ApiError::UnknownField(k) => (Code::SubmissionUnknownField, Some(("key", k.clone()))),
            ApiError::InvalidText => (Code::InputInvalidText, None),
            ApiError::Rejected | ApiError::TooSoon | ApiError::ForeignOrigin => {
                (Code::SubmissionRejected, None)
            }
            ApiError::Timeout => (Code::SubmissionUnavailable, None),
            ApiError::TooLarge(max) => (
                Code::SubmissionTooLarge,
                Some(("max_bytes", max.to_string())),
            ),
            ApiError::UnsupportedType => (Code::SubmissionUnsupportedType, None),
            ApiError::RateLimited(s) => (
                Code::SubmissionRateLimited,
                Some(("retry_after", s.to_string())),
            ),
            ApiError::KeyReused => (Code::SubmissionKeyReused, None),
            ApiError::InProgress => (Code::SubmissionInProgress, None),
            ApiError::TokenInvalid => (Code::SubmissionTokenInvalid, None),
            ApiError::Unauthorized => (Code::AdminUnauthorized, None),
            ApiError::Unavailable(_) | ApiError::Internal(_) => (Code::SubmissionUnavailable, None),
        };
        Verdict::refuse(code, param, locale)
    }

    /// Logs what the operator needs (store faults), never the request's content.
    pub(crate) fn log(&self) {
        match self {
            ApiError::Unavailable(d) => super::log::error("store_unavailable", d),
            ApiError::Internal(d) => super::log::error("internal_error", d),
            _ => {}
        }
    }

    /// The JSON response in `locale`.
    pub(crate) fn respond(&self, locale: &str) -> Response {
        self.log();
        let mut res = reply::verdict(self.status(), &self.verdict(locale));
        let h = res.headers_mut();
        let retry = match self {
            ApiError::RateLimited(s) => Some(*s),
            ApiError::Unavailable(_) => Some(1),
            _ => None,
        };
        if let Some(secs) = retry {
            h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if *self == ApiError::Unauthorized {
            let realm = HeaderValue::from_static("Bearer realm=\"signup-guard admin\"");
            h.insert(header::WWW_AUTHENTICATE, realm);
        }
        res
    }

    /// The HTML page in `locale` (for a plain form or a link followed in a browser).
    pub(crate) fn page(&self, locale: &str) -> Response {
        self.page_back(locale, &format!("/?lang={locale}"))
    }

    /// The HTML page in `locale` whose "Back to the form" goes to `back`.
    pub(crate) fn page_back(&self, locale: &str, back: &str) -> Response {
        self.log();
        let issues = self.verdict(locale).issues;
        reply::private_page(self.status(), pages::problem(locale, &issues, back))
    }
}

/// A refusal with the way to say it: JSON for API clients, a page for people.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub error: ApiError,
    pub locale: &'static str,
    pub page: bool,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        if self.page {
            self.error.page(self.locale)
        } else {
            self.error.respond(self.locale)
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.respond("en")
    }
}

impl From<WriteError> for ApiError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::KeyReused => ApiError::KeyReused,
            WriteError::TokenInvalid => ApiError::TokenInvalid,
            WriteError::Unavailable(d) => ApiError::Unavailable(d),
            WriteError::Internal(d) => ApiError::Internal(d),
        }
    }
}

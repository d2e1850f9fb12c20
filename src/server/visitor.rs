//! What a person's browser meets around a form post, on any page that embeds the drop-in: the
//! bot-check token for static pages (`GET /v1/form-token`), the neutral thank-you page after a
//! redirect (`GET /v1/thanks`), the page to go back to (`sg_return`, honoured only for allowed
//! origins), and absolute unsubscribe links in JSON answers (`--public-url`, else the `Host`).
//!
//! ```sh
//! curl -s localhost:8080/v1/form-token   # {"sg_t":"1764000000000.3f…","min_fill_ms":1500}
//! ```

use super::extract::{query, PageLocale};
use super::{form_html, pages, reply, AppState};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use memchr::memmem;
use std::sync::LazyLock;

/// Longest return URL kept, in bytes.
const MAX_RETURN: usize = 2048;

/// A page to send a person back to, checked against the allow-list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Back {
    /// The absolute URL.
    pub url: String,
    /// Whether it is on this server's own origin (the demo page).
    pub own: bool,
}

/// `scheme://authority` of an absolute http(s) URL without user info, or `None`.
fn origin_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..end)?;
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    url.get(..url.len() - rest.len() + end)
}

/// `candidate` when it is an absolute http(s) URL on an origin listed in `allow` (never through
/// `*`: that would make the verifier an open redirect) or on this server's own `host`.
pub(crate) fn back_to(candidate: &str, host: Option<&str>, allow: &[String]) -> Option<Back> {
    let clean = candidate.len() <= MAX_RETURN
        && !candidate
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    let origin = origin_of(candidate).filter(|_| clean)?;
    let listed = allow.iter().any(|a| a.eq_ignore_ascii_case(origin));
    let bare = origin.split_once("://").map(|(_, b)| b);
    let own = matches!((bare, host), (Some(b), Some(h)) if b.eq_ignore_ascii_case(h));
    (listed || own).then(|| Back {
        url: candidate.to_owned(),
        own,
    })
}

/// `url` with `sg_status=STATUS` added to its query (before any fragment).
pub(crate) fn with_status(url: &str, status: &str) -> String {
    let (base, fragment) = url
        .split_once('#')
        .map_or((url, None), |(b, f)| (b, Some(f)));
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut out = format!("{base}{sep}sg_status={status}");
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// `303 See Other` to `location` (after a POST, so a reload never posts again).
pub(crate) fn see_other(location: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Where a stored form post goes: the thank-you page in `locale`, with the way back.
pub(crate) fn thanks_location(locale: &str, back: Option<&Back>) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("lang", locale);
    if let Some(b) = back {
        q.append_pair("back", &b.url);
    }
    format!("/v1/thanks?{}", q.finish())
}

impl AppState {
    /// A fresh render stamp and the wait in force.
    pub(crate) fn stamp(&self) -> form_html::Stamp {
        let cfg = self.config();
        form_html::Stamp {
            value: self.0.keys.form_stamp(cfg.clock.unix_ms()),
            wait_ms: cfg.min_fill_ms,
        }
    }

    /// The allowed page to go back to: the form's `sg_return`, else its `Referer`.
    pub(crate) fn back(&self, claimed: Option<&str>, headers: &HeaderMap) -> Option<Back> {
        let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
        let host = header(header::HOST);
        let allow = &self.config().cors_origins;
        claimed
            .or_else(|| header(header::REFERER))
            .and_then(|c| back_to(c, host, allow))
    }

    /// The origin unsubscribe links are made absolute with: `--public-url`, else
    /// `http://` + the request's `Host`.
    pub(crate) fn public_base(&self, headers: &HeaderMap) -> Option<String> {
        if let Some(url) = &self.config().public_url {
            return Some(url.trim_end_matches('/').to_owned());
        }
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok())?;
        let plain = host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
        (plain && !host.is_empty()).then(|| format!("http://{host}"))
    }
}

/// A stored answer's body with its relative unsubscribe links (`"/v1/unsubscribe?token=…"`)
/// made absolute under `base`. Only JSON values start with `:"`; a person's own text with a
/// quote in it is escaped (`\"`), so it is never touched.
pub(crate) fn absolute_links(body: &str, base: &str) -> String {
    static LINK: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(":\"/v1/unsubscribe?token="));
    let escaped = serde_json::to_string(base).unwrap_or_default();
    let base = escaped.trim_matches('"');
    let mut out = String::with_capacity(body.len() + 2 * base.len());
    let mut copied = 0;
    for at in LINK.find_iter(body.as_bytes()) {
        // After the ASCII `:"`, so a character boundary.
        let link = at + 2;
        out.push_str(body.get(copied..link).unwrap_or_default());
        out.push_str(base);
        copied = link;
    }
    out.push_str(body.get(copied..).unwrap_or_default());
    out
}

/// `GET /v1/form-token`: a signed fill-time stamp for a form on a page this server did not
/// render (a static site): the drop-in adds it as `sg_t`, and waits `min_fill_ms` after
/// fetching it before it posts, so a quick person (autofill) is never refused.
pub(crate) async fn form_token(State(s): State<AppState>) -> Response {
    let stamp = s.stamp();
    let body = serde_json::json!({ "sg_t": stamp.value, "min_fill_ms": stamp.wait_ms });
    let mut res = reply::json(StatusCode::OK, body.to_string());
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `GET /v1/thanks?lang=…&back=…`: the same words for a new and a known person, no unsubscribe
/// links (they would tell whoever typed an address that it is on the list), and the way back to
/// the page the form was on when its origin is allowed.
pub(crate) async fn thanks(
    State(s): State<AppState>,
    PageLocale(locale): PageLocale,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let back = query(&uri, "back").and_then(|b| back_to(&b, host, &s.config().cors_origins));
    let href = back.map_or_else(|| format!("/?lang={locale}"), |b| b.url);
    let confirm = s.config().policy.confirms_by_email();
    reply::private_page(StatusCode::OK, pages::thanks(locale, &href, confirm))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_or_own_origins_are_places_to_go_back_to() {
        let allow = vec!["https://shop.example".to_owned(), "*".to_owned()];
        let host = Some("verifier.example");
        let ok = back_to("https://shop.example/join?x=1", host, &allow).unwrap();
        assert!(!ok.own);
        assert!(back_to("https://verifier.example/?lang=fa", host, &allow).is_some_and(|b| b.own));
        for bad in [
            "https://evil.example/",
            "https://shop.example@evil.example/",
            "https://shop.example.evil.example/",
            "javascript:alert(1)",
            "//shop.example/",
            "https://shop.example/\njoin",
            "",
        ] {
            assert_eq!(back_to(bad, host, &allow), None, "{bad}");
        }
    }

    #[test]
    fn status_goes_into_the_query_before_the_fragment() {
        assert_eq!(
            with_status("https://a.example/", "retry"),
            "https://a.example/?sg_status=retry"
        );
        assert_eq!(
            with_status("https://a.example/p?x=1#f", "retry"),
            "https://a.example/p?x=1&sg_status=retry#f"
        );
    }

    #[test]
    fn links_become_absolute_but_a_persons_text_is_untouched() {
        let body = r#"{"contact":{"given_name":"a\"/v1/unsubscribe?token=x","family_name":"b:\"/v1/unsubscribe?token=y"},"unsubscribe":{"news":"/v1/unsubscribe?token=1.news.ab","sms":"/v1/unsubscribe?token=1.sms.cd"}}"#;
        let out = absolute_links(body, "https://v.example");
        assert_eq!(
            out,
            r#"{"contact":{"given_name":"a\"/v1/unsubscribe?token=x","family_name":"b:\"/v1/unsubscribe?token=y"},"unsubscribe":{"news":"https://v.example/v1/unsubscribe?token=1.news.ab","sms":"https://v.example/v1/unsubscribe?token=1.sms.cd"}}"#
        );
    }
}

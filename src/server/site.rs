//! The demo site: `GET /` (the page with the consent block filled in, so the form works without
//! JavaScript), `GET /v1/policy`, and `GET /NAME` (a file from `pkg/`, then `www/`, served by
//! tower-http's `ServeDir`). Caching is that of a CDN: content-hashed names (`app.3f9a1c2e.js`)
//! are immutable for a year; other files (the bundle's names carry no hash today) keep 5 minutes,
//! then revalidate with `Last-Modified`; the page and the policy keep a minute (the policy with
//! an `ETag`). Pages with tokens or a person's answers are `no-store` (see `reply`). A file with
//! a precompressed copy beside it (`NAME.br`, `NAME.gz`, written by `scripts/build-wasm.sh`) is
//! sent as that copy to a client that accepts it.

use super::extract::PageLocale;
use super::{form_html, pages, reply, AppState};
use crate::messages;
use crate::source::{Source, KEYS};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;

/// `Cache-Control` of the page and the policy: a minute, so an edited policy shows up soon.
const SHORT: &str = "public, max-age=60";
/// `Cache-Control` of files whose name carries a hash of their content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of files without a hash in the name; then revalidated by `Last-Modified`.
const REVALIDATE: &str = "public, max-age=300";

/// `GET /`: `www/index.html` with the consent block filled in, or the built-in form; the form
/// carries where the signup comes from (this path and the address's `utm_*`) without JavaScript.
pub(crate) async fn index(
    State(s): State<AppState>,
    PageLocale(locale): PageLocale,
    uri: Uri,
) -> Response {
    let from = page_source(&uri);
    let mut res = reply::page(
        StatusCode::OK,
        demo_page(&s, locale, None, Some(&from)).await,
    );
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(SHORT));
    // Without `?lang=` the language comes from the request.
    h.append(header::VARY, HeaderValue::from_static("accept-language"));
    res
}

/// The demo page in `locale`: `www/index.html` in that language (its `data-i18n` texts from
/// `www/demo-words.json`, so it reads right without JavaScript too) with the consent block and
/// a fresh stamp, or the built-in form. With `refill`, the fields hold what was typed and a
/// note asks to send again.
pub(crate) async fn demo_page(
    s: &AppState,
    locale: &str,
    refill: Option<&form_html::Refill<'_>>,
    from: Option<&Source>,
) -> String {
    let cfg = s.config();
    let stamp = s.stamp();
    let Ok(page) = tokio::fs::read_to_string(cfg.www.join("index.html")).await else {
        let script = cfg.pkg.join("signup-guard.js").exists();
        return form_html::builtin_form(&cfg.policy, locale, &stamp, script, refill, from);
    };
    // The page's own `data-form-id` joins the path and UTM values the request carried.
    let mut from = from.cloned().unwrap_or_default();
    if from.form_id.is_none() {
        from.form_id = attribute(&page, "data-form-id");
    }
    // Without JavaScript the page's own language switch does not run: set <html lang dir>.
    let dir = if messages::is_rtl(locale) {
        "rtl"
    } else {
        "ltr"
    };
    let html = format!("<html lang=\"{locale}\" dir=\"{dir}\">");
    // The policy's custom fields the page lacks go just before the consent boxes.
    let custom =
        super::custom_html::custom_block(&cfg.policy, locale, &page, refill.map(|r| r.submission));
    let consent = custom
        + &form_html::consent_block(&cfg.policy, locale, &stamp)
        + &source_inputs(Some(&from));
    let mut page = page
        .replacen("<html lang=\"en\" dir=\"ltr\">", &html, 1)
        .replace(form_html::CONSENT_MARKER, &consent);
    if let Ok(words) = tokio::fs::read(cfg.www.join("demo-words.json")).await {
        page = form_html::translate(&page, &words, locale);
    }
    page = name_countries(&page, locale);
    if let Some(r) = refill {
        // Given back at /v1/submissions: the page's relative links (`?lang=fa`) mean the page's.
        page = form_html::fill_inputs(&page, r.submission).replacen(
            "<head>",
            "<head>\n<base href=\"/\">",
            1,
        );
        // The note opens the form, whatever attributes follow `data-signup-guard`.
        let open = page
            .find("data-signup-guard")
            .and_then(|i| page[i..].find('>').map(|end| i + end + 1));
        if let Some(at) = open {
            page.insert_str(
                at,
                &format!("\n{}", form_html::retry_note(locale, r.issues)),
            );
        }
    }
    page
}

/// The page's country options named in `locale` (CLDR, as the server names countries in its
/// messages), the `<select>` marked `data-names="LOCALE"`: the page's script then only sorts them,
/// instead of loading the browser's region names (15–40 ms, a long task on a slow phone).
/// English pages keep the page's own labels. Only the country `<select>` is touched: a custom
/// field's options (`CA`, `ID` as US states) keep theirs.
fn name_countries(html: &str, locale: &str) -> String {
    const SELECT: &str = "<select id=\"sg-country\" name=\"country\"";
    let Some(start) = html.find(SELECT).filter(|_| locale != "en") else {
        return html.to_owned();
    };
    let end = html[start..]
        .find("</select>")
        .map_or(html.len(), |e| start + e);
    let mut out = String::with_capacity(html.len() + 4096);
    out.push_str(&html[..start]);
    out.push_str(SELECT);
    out.push_str(&format!(" data-names=\"{locale}\""));
    let mut rest = &html[start + SELECT.len()..end];
    while let Some(at) = rest.find("<option value=\"") {
        let (head, tail) = rest.split_at(at + "<option value=\"".len());
        out.push_str(head);
        rest = tail;
        let Some((code, after)) = rest.split_once("\">") else {
            continue;
        };
        let Some((_, after_label)) = after.split_once("</option>") else {
            continue;
        };
        if let Some(name) = crate::audit::country_names::display_name(code, locale) {
            out.push_str(code);
            out.push_str("\">");
            out.push_str(&pages::esc(name));
            out.push_str("</option>");
            rest = after_label;
        }
    }
    out.push_str(rest);
    out.push_str(&html[end..]);
    out
}

/// Where a visit to the page came from: its path and the `utm_*` parameters of its address.
fn page_source(uri: &Uri) -> Source {
    let mut from = Source {
        path: Some(uri.path().to_owned()),
        ..Source::default()
    };
    let query = uri.query().unwrap_or_default().as_bytes();
    for (key, value) in form_urlencoded::parse(query).take(64) {
        if let Some(i) = KEYS.iter().position(|k| k.starts_with("utm_") && *k == key) {
            from.slot(i).get_or_insert_with(|| value.into_owned());
        }
    }
    from
}

/// The value of the first `name="…"` attribute in `html`, as written (a form id is plain text;
/// it is escaped again when rendered).
fn attribute(html: &str, name: &str) -> Option<String> {
    let start = html.find(&format!("{name}=\""))? + name.len() + 2;
    let len = html[start..].find('"')?;
    Some(html[start..start + len].to_owned())
}

/// Hidden `source.KEY` inputs of the cleaned `from` (README "Where a signup came from"): what a
/// form posts without JavaScript; the drop-in adds the same ones where a page lacks them.
pub(super) fn source_inputs(from: Option<&Source>) -> String {
    let Some(clean) = from.and_then(Source::cleaned) else {
        return String::new();
    };
    let mut h = String::new();
    for (key, value) in clean.values() {
        if let Some(v) = value {
            h.push_str(&format!(
                "\n<input type=\"hidden\" name=\"source.{key}\" value=\"{}\">",
                pages::esc(v)
            ));
        }
    }
    h
}

/// `GET /v1/policy`: the policy in force; `304` when the client has it.
pub(crate) async fn policy(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let etag = format!("\"{}\"", s.0.policy_hash);
    let known = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok());
    let known = known.is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut res = if known {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        reply::json(StatusCode::OK, s.0.policy_json.clone())
    };
    let h = res.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, etag);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(SHORT));
    res
}

/// `GET /NAME`: flat names only (no paths, no dot files), from `pkg/` then `www/`.
pub(crate) async fn asset(
    State(s): State<AppState>,
    Path(name): Path<String>,
    req: Request,
) -> Response {
    let flat = !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if !flat {
        return not_found().await;
    }
    let Ok(res) = s.0.files.clone().oneshot(req).await;
    if res.status() == StatusCode::NOT_FOUND {
        return not_found().await;
    }
    let mut res = res.into_response();
    let h = res.headers_mut();
    let cache = if content_hashed(&name) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if h.contains_key(header::CONTENT_ENCODING) {
        // A precompressed file (`.br`, `.gz` beside it): caches must key it by what the client
        // accepts, as the compression layer says for what it compresses.
        h.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if name.ends_with(".ts") {
        // TypeScript declarations, which the MIME table takes for MPEG transport streams.
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
    }
    let text = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let text = text.filter(|t| t.starts_with("text/") && !t.contains("charset"));
    if let Some(Ok(utf8)) = text.map(|t| HeaderValue::from_str(&format!("{t}; charset=utf-8"))) {
        h.insert(header::CONTENT_TYPE, utf8);
    }
    res
}

/// Whether a file name carries a content hash: a part of 8 or more hex digits, with a digit
/// (`app.3f9a1c2e.js`, `signup_guard_bg-0a1b2c3d4e.wasm`).
fn content_hashed(name: &str) -> bool {
    name.split(['.', '-', '_']).any(|part| {
        part.len() >= 8
            && part.bytes().all(|b| b.is_ascii_hexdigit())
            && part.bytes().any(|b| b.is_ascii_digit())
    })
}

/// Anything else: 404.
pub(crate) async fn not_found() -> Response {
    let body = r#"{"ok":false,"error":"not found"}"#;
    reply::json(StatusCode::NOT_FOUND, body.into())
}

#[cfg(test)]
mod tests {
    use super::content_hashed;

    #[test]
    fn only_names_with_a_hex_hash_part_are_content_hashed() {
        assert!(content_hashed("app.3f9a1c2e.js"));
        assert!(content_hashed("signup_guard_bg-0a1b2c3d4e.wasm"));
        assert!(!content_hashed("signup_guard_bg.wasm"));
        assert!(!content_hashed("signup-guard.css"));
        assert!(
            !content_hashed("deadbeefcafe.js"),
            "a word of hex letters is no hash"
        );
    }
}

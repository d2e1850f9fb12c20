//! The admin API, for the operator's mailing tool: `GET /v1/admin/links` streams each contact's
//! unsubscribe links (what `signup-guard links` prints) as NDJSON, or CSV with `format=csv`,
//! optionally for one `purpose`. It exists only when `serve` is given `--admin-token-file`,
//! and answers `401 admin.unauthorized` to any request without `Authorization: Bearer TOKEN`.
//! The rows come from a read-only store connection on a blocking thread, through a small
//! channel, so neither the runtime nor memory is held by a large list.

use super::error::ApiError;
use super::extract::{accept_language, query};
use super::AppState;
use crate::digest::sha256_hex;
use crate::store::{LinkRow, Store, StoreError};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::mpsc;

/// Bytes gathered before a chunk is handed to the response.
const CHUNK: usize = 32 * 1024;

/// Whether the request carries the admin bearer token (compared as SHA-256 digests, so the
/// time taken says nothing about the token).
fn authorized(s: &AppState, headers: &HeaderMap) -> bool {
    let Some(expected) = s.config().admin_token.as_deref() else {
        return false;
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    given.is_some_and(|g| sha256_hex(g) == sha256_hex(expected))
}

/// `GET /v1/admin/links[?purpose=P][&format=csv|ndjson]`.
pub(crate) async fn links(State(s): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let locale = accept_language(&headers);
    if !authorized(&s, &headers) {
        return ApiError::Unauthorized.respond(locale);
    }
    let csv = match query(&uri, "format").as_deref() {
        None | Some("ndjson") => false,
        Some("csv") => true,
        Some(_) => {
            let why = "format must be csv or ndjson".to_owned();
            return ApiError::Malformed(why).respond(locale);
        }
    };
    let purpose = query(&uri, "purpose");
    let base = s.public_base(&headers).unwrap_or_default();
    let db = s.0.db.clone();
    let opened = tokio::task::spawn_blocking(move || Store::open_read(&db)).await;
    let store = match opened {
        Ok(Ok(store)) => store,
        Ok(Err(e)) => return ApiError::Unavailable(e.0).respond(locale),
        Err(e) => return ApiError::Internal(e.to_string()).respond(locale),
    };
    let (tx, rx) = mpsc::channel::<Result<Bytes, StoreError>>(4);
    let keys = s.0.keys.clone();
    tokio::task::spawn_blocking(move || {
        let mut buf = Vec::with_capacity(CHUNK);
        if csv {
            buf.extend_from_slice(b"email,phone_e164,purpose,unsubscribe_url\r\n");
        }
        let sent = store.links(&keys, &base, purpose.as_deref(), |row| {
            write_row(&mut buf, &row, csv);
            if buf.len() >= CHUNK {
                let chunk = Bytes::from(std::mem::replace(&mut buf, Vec::with_capacity(CHUNK)));
                // The client went away: stop reading.
                tx.blocking_send(Ok(chunk))
                    .map_err(|_| StoreError("client gone".into()))?;
            }
            Ok::<(), StoreError>(())
        });
        let last = sent.map(|()| Bytes::from(buf));
        let _ = tx.blocking_send(last);
    });
    let kind = if csv {
        "text/csv; charset=utf-8"
    } else {
        "application/x-ndjson"
    };
    let mut res = (StatusCode::OK, Body::from_stream(Chunks(rx))).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// One link as an NDJSON line or a CSV record (a value with a comma or quote is quoted, and
/// one a spreadsheet would read as a formula gets a leading `'`, as the CLI's export does).
fn write_row(buf: &mut Vec<u8>, row: &LinkRow, csv: bool) {
    if !csv {
        if serde_json::to_writer(&mut *buf, row).is_ok() {
            buf.push(b'\n');
        }
        return;
    }
    let field = |buf: &mut Vec<u8>, v: &str| {
        let formula = match v.as_bytes().first() {
            Some(b'=' | b'@' | b'\t' | b'\r') => true,
            Some(b'+' | b'-') => v.len() == 1 || !v[1..].bytes().all(|b| b.is_ascii_digit()),
            _ => false,
        };
        let owned;
        let v = if formula {
            owned = format!("'{v}");
            owned.as_str()
        } else {
            v
        };
        if v.contains([',', '"', '\r', '\n']) {
            buf.push(b'"');
            buf.extend_from_slice(v.replace('"', "\"\"").as_bytes());
            buf.push(b'"');
        } else {
            buf.extend_from_slice(v.as_bytes());
        }
    };
    field(buf, row.email.as_deref().unwrap_or(""));
    buf.push(b',');
    field(buf, row.phone_e164.as_deref().unwrap_or(""));
    buf.push(b',');
    field(buf, &row.purpose);
    buf.push(b',');
    field(buf, &row.unsubscribe_url);
    buf.extend_from_slice(b"\r\n");
}

/// The receiving end of the store thread's chunks, as the body's stream.
struct Chunks(mpsc::Receiver<Result<Bytes, StoreError>>);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, StoreError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

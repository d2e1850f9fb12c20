//! `GET /healthz`: 200 while the writer runs, 503 when it has stopped; the body also names the
//! data this build carries (`{"ok":true,"data_versions":{"phone_metadata":{"version":…},…}}`).

use super::{reply, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

/// `GET /healthz`.
pub(crate) async fn healthz(State(s): State<AppState>) -> Response {
    let ok = s.0.writer.is_alive();
    let versions = serde_json::to_string(&crate::data_versions()).unwrap_or_else(|_| "null".into());
    let body = format!(r#"{{"ok":{ok},"data_versions":{versions}}}"#);
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    reply::json(status, body)
}

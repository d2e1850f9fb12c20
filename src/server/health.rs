//! `GET /healthz`: 200 while the writer runs and its database answers; 503 when the writer has
//! stopped or, on PostgreSQL, the database cannot be reached (checked every second by the
//! replica's sweep thread, and by every batch), so a load balancer takes the replica out instead
//! of sending it signups it can only refuse. The body says which (`"store": "ok"`, `"stopped"`,
//! `"unreachable"`) and names the data this build carries
//! (`{"ok":true,"store":"ok","data_versions":{"phone_metadata":{"version":…},…}}`).

use super::{reply, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

/// `GET /healthz`.
pub(crate) async fn healthz(State(s): State<AppState>) -> Response {
    let store = if !s.0.writer.is_alive() {
        "stopped"
    } else if !s.0.writer.is_reachable() {
        "unreachable"
    } else {
        "ok"
    };
    let ok = store == "ok";
    let versions = serde_json::to_string(&crate::data_versions()).unwrap_or_else(|_| "null".into());
    let body = format!(r#"{{"ok":{ok},"store":"{store}","data_versions":{versions}}}"#);
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    reply::json(status, body)
}

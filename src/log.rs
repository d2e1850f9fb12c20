//! Structured logs: one JSON object per line on stderr. Callers pass event names and operator
//! facts only (status codes, timings, error texts from the store), never submitted values.

use serde_json::json;

fn write(level: &str, event: &str, detail: &str) {
    let line = json!({ "ts": crate::clock::Clock::system().now(), "level": level, "event": event, "detail": detail });
    eprintln!("{line}");
}

/// Something the operator must look at (a failed commit, an internal error).
pub(crate) fn error(event: &str, detail: &str) {
    write("error", event, detail);
}

/// One access-log line: method, path (never the query, which may hold a token), status, time.
#[cfg(feature = "server")]
pub(crate) fn request(method: &str, path: &str, status: u16, ms: f64) {
    let path: String = path.chars().take(200).collect();
    let line = json!({ "ts": crate::clock::Clock::system().now(), "level": "info", "event": "request",
                       "method": method, "path": path, "status": status, "ms": (ms * 100.0).round() / 100.0 });
    eprintln!("{line}");
}

/// A normal milestone (listening, shutting down).
pub(crate) fn info(event: &str, detail: &str) {
    write("info", event, detail);
}

//! Structured logs: one JSON object per line on stderr. Callers pass event names and operator
//! facts only (status codes, timings, error texts from the store), never submitted values.

use serde_json::json;

fn write(level: &str, event: &str, detail: &str) {
    let line =
        json!({ "ts": super::clock::now(), "level": level, "event": event, "detail": detail });
    eprintln!("{line}");
}

/// Something the operator must look at (a failed commit, an internal error).
pub fn error(event: &str, detail: &str) {
    write("error", event, detail);
}

/// A normal milestone (listening, shutting down).
pub fn info(event: &str, detail: &str) {
    write("info", event, detail);
}

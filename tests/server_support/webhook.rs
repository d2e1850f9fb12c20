//! Real webhook receivers for the webhook tests, on 127.0.0.1: `scripts/webhook-sink.py` (every
//! delivery verified with PyPI `standardwebhooks`, in the venv `scripts/webhook-venv.sh` installs
//! once, and logged as a JSON line; 500s and dropped connections on demand) and the README's
//! recipe, `examples/webhook-receiver.py`, whose printed calls the tests read.

use super::sql;
use serde_json::Value;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// The venv's Python with `standardwebhooks`, installed on first use. A machine where it cannot
/// be installed fails the test with the reason: webhooks are never left untested silently.
pub(crate) fn webhook_python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        super::venv_python(
            "webhook-venv.sh",
            "PyPI standardwebhooks for the webhook tests",
        )
    })
}

/// A receiver process; killed on drop. Its stdout lines after "listening PORT" are kept.
pub(crate) struct Receiver {
    child: Child,
    /// Where it listens.
    pub port: u16,
    /// What it printed after it started listening.
    pub printed: Arc<Mutex<Vec<String>>>,
}

impl Receiver {
    fn spawn(mut cmd: Command) -> Receiver {
        let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let printed = Arc::new(Mutex::new(Vec::new()));
        let lines = printed.clone();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                match (line.strip_prefix("listening "), tx.take()) {
                    (Some(port), Some(tx)) => {
                        let _ = tx.send(port.trim().parse::<u16>().unwrap_or(0));
                    }
                    (_, tx_back) => {
                        tx = tx_back;
                        lines.lock().unwrap().push(line);
                    }
                }
            }
        });
        let port = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the receiver printed its port");
        Receiver {
            child,
            port,
            printed,
        }
    }

    /// `scripts/webhook-sink.py` on `port` (0: any), verifying under every one of `secrets`,
    /// logging to `log`; `faults`: how many first requests get 500, which one's connection is
    /// closed unanswered, which one is refused with 409 (0: none).
    pub(crate) fn sink(
        port: u16,
        secrets: &[&str],
        log: &Path,
        [fail_first, drop, reject]: [u32; 3],
    ) -> Receiver {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut cmd = Command::new(webhook_python());
        cmd.arg(root.join("scripts/webhook-sink.py"))
            .args(["--port", &port.to_string(), "--log"])
            .arg(log)
            .args(["--fail-first", &fail_first.to_string()])
            .args(["--drop", &drop.to_string()])
            .args(["--reject", &reject.to_string()]);
        for s in secrets {
            cmd.args(["--secret", s]);
        }
        Receiver::spawn(cmd)
    }

    /// The README's recipe, `examples/webhook-receiver.py`, on any free port with `secret`.
    pub(crate) fn example(secret: &str) -> Receiver {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut cmd = Command::new(webhook_python());
        cmd.arg(root.join("examples/webhook-receiver.py"))
            .args(["--port", "0"])
            .env("WEBHOOK_SECRET", secret);
        Receiver::spawn(cmd)
    }

    /// Stops it at once (the endpoint is down until another starts on its port).
    pub(crate) fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The lines a sink logged so far, parsed.
pub(crate) fn deliveries(log: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Two secrets of the first endpoint (a rotation: both signatures must verify) and the
/// example receiver's.
pub(crate) const KEY_A: &str = "whsec_c2lnbnVwLWd1YXJkIHdlYmhvb2sgdGVzdCBrZXkgQSE=";
pub(crate) const KEY_B: &str = "whsec_c2lnbnVwLWd1YXJkIHdlYmhvb2sgdGVzdCBrZXkgQiE=";
pub(crate) const KEY_C: &str = "whsec_c2lnbnVwLWd1YXJkIGV4YW1wbGUgcmVjZWl2ZXIgazM=";

/// The webhook rows of `endpoint`, in queue order: (webhook-id, body, delivered).
pub(crate) fn rows(db: &Path, endpoint: &str) -> Vec<(String, Value, bool)> {
    let conn = sql(db);
    let mut stmt = conn
        .prepare(
            "SELECT event_id, payload, sent_at IS NOT NULL FROM outbox
             WHERE kind = 'webhook' AND endpoint = ?1 ORDER BY id",
        )
        .unwrap();
    let found = stmt
        .query_map([endpoint], |r| {
            let body: String = r.get(1)?;
            Ok((r.get(0)?, serde_json::from_str(&body).unwrap(), r.get(2)?))
        })
        .unwrap();
    found.map(Result::unwrap).collect()
}

/// The event types queued about the person with `email` (found by their opaque id).
pub(crate) fn kinds_for(rows: &[(String, Value, bool)], email: &str) -> Vec<String> {
    let key = rows
        .iter()
        .find(|(_, b, _)| b["data"]["email"] == email)
        .map(|(_, b, _)| b["data"]["contact"].clone())
        .unwrap_or_else(|| panic!("no event names {email}"));
    rows.iter()
        .filter(|(_, b, _)| b["data"]["contact"] == key)
        .map(|(_, b, _)| b["type"].as_str().unwrap().to_owned())
        .collect()
}

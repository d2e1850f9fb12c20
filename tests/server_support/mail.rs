//! A real SMTP server for the double opt-in tests: `scripts/mail-sink.py` (PyPI `aiosmtpd`, in a
//! venv that `scripts/mail-venv.sh` installs once) on 127.0.0.1, writing every message it
//! receives to a directory as `NNNN.eml`, with `NNNN.json`: what Python's email parser reads from
//! it (recipients, decoded headers, each part's type and decoded text).

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

/// The venv's Python with `aiosmtpd`, installed on first use. A machine where it cannot be
/// installed fails the test with the reason: double opt-in is never left untested silently.
pub(crate) fn mail_python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| super::venv_python("mail-venv.sh", "PyPI aiosmtpd for the SMTP tests"))
}

/// A free port on 127.0.0.1 (for a relay that is down until a test starts it there).
pub(crate) fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A running mail sink; killed on drop.
pub(crate) struct MailSink {
    child: Child,
    /// Where it listens.
    pub port: u16,
    /// Where it writes what it received.
    pub dir: PathBuf,
}

impl MailSink {
    /// Starts the sink on `port` (0: any free one), writing into `dir`.
    pub(crate) fn start(dir: &Path, port: u16) -> MailSink {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut child = Command::new(mail_python())
            .arg(root.join("scripts/mail-sink.py"))
            .args(["--port", &port.to_string(), "--dir"])
            .arg(dir)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(rest) = line.split("listening on 127.0.0.1:").nth(1) {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(rest.split(',').next().unwrap_or("").to_owned());
                    }
                }
            }
        });
        let port = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the mail sink printed its port")
            .parse()
            .unwrap();
        MailSink {
            child,
            port,
            dir: dir.to_owned(),
        }
    }

    /// The relay URL of this sink.
    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, in order, as parsed by the sink.
    pub(crate) fn mails(&self) -> Vec<serde_json::Value> {
        mails_in(&self.dir)
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The parsed messages in `dir`, in the order received.
pub(crate) fn mails_in(dir: &Path) -> Vec<serde_json::Value> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
        .collect()
}

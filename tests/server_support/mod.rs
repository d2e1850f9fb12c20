//! Shared by the server tests: a real server on 127.0.0.1 with a real SQLite file in a fresh
//! directory, and a raw HTTP/1.1 client (so tests can send bytes no library client would).
#![allow(dead_code)]

mod db;
mod http;
mod mail;
pub(crate) mod optin;
mod webhook;
#[allow(unused_imports)] // not every test binary reads the database
pub(crate) use db::*;
#[allow(unused_imports)]
pub(crate) use http::*;
#[allow(unused_imports)] // only the double opt-in tests send mail
pub(crate) use mail::*;
#[allow(unused_imports)] // only the webhook tests receive webhooks
pub(crate) use webhook::*;

use signup_guard::server::{self, listen, AppState, Config};
use signup_guard::Policy;
use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

static DIRS: AtomicUsize = AtomicUsize::new(0);

/// A fresh, empty directory under the system temp dir, removed on drop.
pub(crate) struct TempDir(pub PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> TempDir {
        let n = DIRS.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("sg-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The demo policy (`www/policy.json`).
pub(crate) fn demo_policy() -> Policy {
    Policy::from_json(server::DEMO_POLICY).unwrap()
}

/// A running server; stopped (and its writer drained) on drop.
pub(crate) struct TestServer {
    pub addr: SocketAddr,
    pub db: PathBuf,
    pub dir: TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server with the demo policy, no rate limit and no fill-time check, after `tune`.
    pub(crate) fn start(tune: impl FnOnce(&mut Config)) -> TestServer {
        Self::start_with(tune, listen::Limits::default())
    }

    /// Like [`TestServer::start`], with these connection limits.
    pub(crate) fn start_with(tune: impl FnOnce(&mut Config), limits: listen::Limits) -> TestServer {
        let dir = TempDir::new("server");
        let db = dir.0.join("test.db");
        let mut config = Config::new(demo_policy());
        config.rate_limit = 0;
        config.min_fill_ms = 0;
        config.www = dir.0.join("www");
        config.pkg = dir.0.join("pkg");
        tune(&mut config);
        let (state, writer) =
            AppState::open(config, &db, Some("test secret, 32 bytes long......")).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let limits = listen::Limits {
                    drain: Duration::from_secs(2),
                    ..limits
                };
                listen::serve(listener, server::app(state), limits, async {
                    let _ = stopped.await;
                })
                .await;
            });
            rt.shutdown_timeout(Duration::from_secs(2));
            let _ = writer.join();
        });
        TestServer {
            addr,
            db,
            dir,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub(crate) fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Resp {
        request(self.addr, method, path, headers, body)
    }

    pub(crate) fn post_json(&self, path: &str, body: &str) -> Resp {
        post_json(self.addr, path, body)
    }

    /// Writes `contents` to `rel` under the server's directory (`www/…` and `pkg/…` are where
    /// it serves pages and assets from), creating the folders on the way.
    pub(crate) fn write_file(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.dir.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    pub(crate) fn get(&self, path: &str) -> Resp {
        self.request("GET", path, &[], b"")
    }

    /// A connection to the database file the server writes.
    pub(crate) fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).unwrap()
    }

    /// The one number `query` (`SELECT count(*) …`) answers on the server's database.
    pub(crate) fn count(&self, query: &str) -> i64 {
        self.sql().query_row(query, [], |r| r.get(0)).unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A valid JSON submission for `email`, granting the newsletter with the right text hash.
pub(crate) fn signup(email: &str, policy: &Policy) -> String {
    serde_json::json!({
        "email": email, "given_name": "Jane", "country": "ID", "locale": "en",
        "consent": { "policy_id": policy.id, "policy_version": policy.version,
                     "granted": ["newsletter"],
                     "shown": { "newsletter": policy.text_hash("newsletter", "en").unwrap() } }
    })
    .to_string()
}

/// The value of the hidden input `name` in a rendered `page` (the form's `sg_t` stamp, its
/// `source.*` fields), `None` when the page has no such input.
pub(crate) fn hidden_value(page: &str, name: &str) -> Option<String> {
    let at = format!("name=\"{name}\" value=\"");
    let rest = page.split(&at).nth(1)?;
    Some(rest.split('"').next()?.to_owned())
}

/// The path of the built `signup-guard` binary.
pub(crate) fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_signup-guard"))
}

/// `signup-guard serve` on a free port of 127.0.0.1 over `db`, with the page directories
/// (`www`, `pkg`) under `dir`.
fn serve_command(db: &Path, dir: &Path) -> std::process::Command {
    let mut cmd = command(&["serve", "--addr", "127.0.0.1:0", "--db"]);
    cmd.arg(db)
        .arg("--www")
        .arg(dir.join("www"))
        .arg("--pkg")
        .arg(dir.join("pkg"));
    cmd
}

/// `signup-guard ARGS`, not yet run (the environment is the test's own).
fn command(args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(binary());
    cmd.args(args);
    cmd
}

/// A `signup-guard` command run to its end (its status and output).
pub(crate) fn cli(args: &[&str]) -> std::process::Output {
    command(args).output().unwrap()
}

/// `signup-guard ARGS` with `secret` as the server's (`SIGNUP_GUARD_SECRET`): exit code, stdout,
/// stderr. A panic in the command fails the test.
pub(crate) fn cli_keyed(secret: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let out = command(args)
        .env("SIGNUP_GUARD_SECRET", secret)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        err,
    )
}

/// The Python of the venv a `scripts/` installer (`mail-venv.sh`, `webhook-venv.sh`) makes, on
/// first use; a machine where `what` cannot be installed fails the test with the reason (no
/// part is ever left untested silently).
pub(crate) fn venv_python(script: &str, what: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("bash")
        .arg(root.join("scripts").join(script))
        .output()
        .expect("bash runs the venv script");
    assert!(
        out.status.success(),
        "cannot install {what} (scripts/{script} exit {}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let venv = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    PathBuf::from(venv).join("bin/python")
}

/// Polls `done` every 20 ms until it holds; fails the test after `limit` (bounded).
pub(crate) fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs `serve` on `db`, which must refuse to start: its exit status and stderr.
pub(crate) fn serve_must_refuse(db: &Path, dir: &Path) -> (std::process::ExitStatus, String) {
    let mut child = serve_command(db, dir)
        .env("SIGNUP_GUARD_SECRET", "fault test secret")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve started on {} instead of refusing", db.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("listening on"), "{stderr}");
    (status, stderr)
}

/// The secret [`Spawned`] servers run with (the CLI needs it to read what they keyed).
pub(crate) const SPAWNED_SECRET: &str = "crash test secret";

/// A `signup-guard serve` child process on a free port of 127.0.0.1.
pub(crate) struct Spawned {
    pub child: std::process::Child,
    pub addr: SocketAddr,
}

impl Spawned {
    /// Starts the real binary on `db` with no rate limit and no fill-time check.
    pub(crate) fn start(db: &Path, dir: &Path) -> Spawned {
        Self::start_env(db, dir, &[])
    }

    /// Like [`Spawned::start`], with these extra environment variables.
    pub(crate) fn start_env(db: &Path, dir: &Path, env: &[(&str, &str)]) -> Spawned {
        Self::start_with(db, dir, &[], env)
    }

    /// Like [`Spawned::start`], with these extra `serve` arguments and environment variables.
    pub(crate) fn start_with(
        db: &Path,
        dir: &Path,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Spawned {
        use std::io::BufRead;
        let mut child = serve_command(db, dir)
            .args(["--rate-limit", "0", "--min-fill-ms", "0"])
            .args(args)
            .env("SIGNUP_GUARD_SECRET", SPAWNED_SECRET)
            .envs(env.iter().copied())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(rest.split(' ').next().unwrap_or("").to_owned());
                    }
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the server printed its address")
            .parse()
            .unwrap();
        Spawned { child, addr }
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

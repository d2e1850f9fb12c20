//! Shared by the server tests: a real server on 127.0.0.1 with a real SQLite file in a fresh
//! directory, and a raw HTTP/1.1 client (so tests can send bytes no library client would).
#![allow(dead_code)]

use signup_guard::server::{self, listen, AppState, Config};
use signup_guard::Policy;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

static DIRS: AtomicUsize = AtomicUsize::new(0);

/// A fresh, empty directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
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
pub fn demo_policy() -> Policy {
    Policy::from_json(server::DEMO_POLICY).unwrap()
}

/// A running server; stopped (and its writer drained) on drop.
pub struct TestServer {
    pub addr: SocketAddr,
    pub db: PathBuf,
    pub dir: TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server with the demo policy, no rate limit and no fill-time check, after `tune`.
    pub fn start(tune: impl FnOnce(&mut Config)) -> TestServer {
        Self::start_with(tune, listen::Limits::default())
    }

    /// Like [`TestServer::start`], with these connection limits.
    pub fn start_with(tune: impl FnOnce(&mut Config), limits: listen::Limits) -> TestServer {
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

    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        request(self.addr, method, path, headers, body)
    }

    pub fn post_json(&self, path: &str, body: &str) -> Resp {
        self.request(
            "POST",
            path,
            &[("content-type", "application/json")],
            body.as_bytes(),
        )
    }

    pub fn get(&self, path: &str) -> Resp {
        self.request("GET", path, &[], b"")
    }

    /// A connection to the database file the server writes.
    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).unwrap()
    }

    /// The one number `query` (`SELECT count(*) …`) answers on the server's database.
    pub fn count(&self, query: &str) -> i64 {
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

/// An HTTP answer.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.text()))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The first issue's code of a verdict-shaped body.
    pub fn code(&self) -> String {
        self.json()["issues"][0]["code"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    }
}

/// One request on a fresh connection (`Connection: close`); the body is sent with a
/// Content-Length unless a `transfer-encoding` header is given. Write errors are ignored (the
/// server may answer 413 and close before reading everything); the answer is read to the end.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n");
    let chunked = headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("transfer-encoding"));
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !chunked && (method == "POST" || !body.is_empty()) {
        head.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let _ = s.write_all(head.as_bytes());
    if chunked {
        for part in body.chunks(16 * 1024) {
            let _ = s.write_all(format!("{:x}\r\n", part.len()).as_bytes());
            let _ = s.write_all(part);
            let _ = s.write_all(b"\r\n");
        }
        let _ = s.write_all(b"0\r\n\r\n");
    } else {
        let _ = s.write_all(body);
    }
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    parse_response(&raw)
}

/// Parses a raw HTTP/1.1 response (Content-Length, chunked, or read-to-close bodies).
pub fn parse_response(raw: &[u8]) -> Resp {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP answer: {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = &raw[split + 4..];
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    Resp {
        status,
        headers,
        body,
    }
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&rest[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = eol + 2;
        out.extend_from_slice(&rest[start..(start + size).min(rest.len())]);
        rest = &rest[(start + size + 2).min(rest.len())..];
    }
    out
}

/// A valid JSON submission for `email`, granting the newsletter with the right text hash.
pub fn signup(email: &str, policy: &Policy) -> String {
    serde_json::json!({
        "email": email, "given_name": "Jane", "country": "ID", "locale": "en",
        "consent": { "policy_id": policy.id, "policy_version": policy.version,
                     "granted": ["newsletter"],
                     "shown": { "newsletter": policy.text_hash("newsletter", "en").unwrap() } }
    })
    .to_string()
}

/// The path of the built `signup-guard` binary.
pub fn binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_signup-guard"))
}

/// A keep-alive HTTP/1.1 connection for sending many requests (load and crash tests).
pub struct KeepAlive {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl KeepAlive {
    pub fn connect(addr: SocketAddr) -> std::io::Result<KeepAlive> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        Ok(KeepAlive {
            stream,
            buf: Vec::new(),
        })
    }

    /// POSTs a JSON body; the status and body, or an I/O error when the server is gone.
    pub fn post_json(&mut self, path: &str, body: &str) -> std::io::Result<(u16, Vec<u8>)> {
        let req = format!(
            "POST {path} HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        self.stream.write_all(req.as_bytes())?;
        let eof = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed");
        let mut chunk = [0u8; 8192];
        let head_end = loop {
            if let Some(p) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            let n = self.stream.read(&mut chunk)?;
            if n == 0 {
                return Err(eof());
            }
            self.buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&self.buf[..head_end]).to_ascii_lowercase();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(eof)?;
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while self.buf.len() < head_end + len {
            let n = self.stream.read(&mut chunk)?;
            if n == 0 {
                return Err(eof());
            }
            self.buf.extend_from_slice(&chunk[..n]);
        }
        let body = self.buf[head_end..head_end + len].to_vec();
        self.buf.drain(..head_end + len);
        Ok((status, body))
    }
}

/// `signup-guard serve` on a free port of 127.0.0.1 over `db`, with the page directories
/// (`www`, `pkg`) under `dir`.
fn serve_command(db: &Path, dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(binary());
    cmd.args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .arg("--www")
        .arg(dir.join("www"))
        .arg("--pkg")
        .arg(dir.join("pkg"));
    cmd
}

/// A `signup-guard` command run to its end (its status and output).
pub fn cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(binary())
        .args(args)
        .output()
        .unwrap()
}

/// A JSON submission with an `Idempotency-Key` on a fresh connection.
pub fn post_keyed(addr: SocketAddr, key: &str, body: &str) -> Resp {
    request(
        addr,
        "POST",
        "/v1/submissions",
        &[
            ("content-type", "application/json"),
            ("idempotency-key", key),
        ],
        body.as_bytes(),
    )
}

/// Polls `done` every 20 ms until it holds; fails the test after `limit` (bounded).
pub fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A connection of our own to a server's database (another process's view), waiting up to
/// 5 s for its write lock.
pub fn sql(db: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn
}

/// The one number `query` (`SELECT count(*) …`) answers on `db`.
pub fn count(db: &Path, query: &str) -> i64 {
    sql(db).query_row(query, [], |r| r.get(0)).unwrap()
}

/// `signup-guard consent-log verify`: whether it passed, and what it printed.
pub fn consent_log_verify(db: &Path) -> (bool, String) {
    let out = std::process::Command::new(binary())
        .args(["consent-log", "verify", "--db"])
        .arg(db)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said)
}

/// `PRAGMA integrity_check` of `db` (`ok` when sound).
pub fn integrity(db: &Path) -> String {
    sql(db)
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Runs `serve` on `db`, which must refuse to start: its exit status and stderr.
pub fn serve_must_refuse(db: &Path, dir: &Path) -> (std::process::ExitStatus, String) {
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

/// A `signup-guard serve` child process on a free port of 127.0.0.1.
pub struct Spawned {
    pub child: std::process::Child,
    pub addr: SocketAddr,
}

impl Spawned {
    /// Starts the real binary on `db` with no rate limit and no fill-time check.
    pub fn start(db: &Path, dir: &Path) -> Spawned {
        Self::start_env(db, dir, &[])
    }

    /// Like [`Spawned::start`], with these extra environment variables.
    pub fn start_env(db: &Path, dir: &Path, env: &[(&str, &str)]) -> Spawned {
        use std::io::BufRead;
        let mut child = serve_command(db, dir)
            .args(["--rate-limit", "0", "--min-fill-ms", "0"])
            .env("SIGNUP_GUARD_SECRET", "crash test secret")
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

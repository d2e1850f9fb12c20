//! A bounded load generator for the signup-guard service on loopback: `C` keep-alive
//! connections send `N` requests in total and it reports requests/s and latency percentiles.
//!
//! ```sh
//! bash scripts/server-bench.sh            # builds, starts a server on a fresh database, runs both
//! cargo run --release --features server --example load -- \
//!     --addr 127.0.0.1:8080 --target submissions --requests 50000 --connections 32
//! ```
//!
//! `submissions` posts unique, valid people granting the newsletter (each one a durable commit at
//! `synchronous=FULL`; only 201 counts as success); `validate` posts the same to `/v1/validate`.
//! The server must run with `--rate-limit 0` (and `--min-fill-ms 0` has no effect on JSON).
//!
//! Addresses are `load<TAG>-<n>@example.org`; the tag is the start time in milliseconds unless
//! `--tag` names one (the pre-fill of `scripts/server-bench.sh --prefill N` uses `prefill`).
//! `--print-text-hash` prints the SHA-256 of the demo policy's English newsletter text, which a
//! valid submission must echo in `consent.shown` (the wrk script needs it), and exits.

use signup_guard::server::DEMO_POLICY;
use signup_guard::Policy;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Args {
    addr: SocketAddr,
    target: String,
    requests: u64,
    connections: usize,
    tag: Option<String>,
    print_text_hash: bool,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        addr: "127.0.0.1:8080".parse().map_err(|e| format!("{e}"))?,
        target: "submissions".into(),
        requests: 20_000,
        connections: 32,
        tag: None,
        print_text_hash: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--print-text-hash" {
            a.print_text_hash = true;
            continue;
        }
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--addr" => a.addr = value.parse().map_err(|e| format!("--addr: {e}"))?,
            "--target" => a.target = value,
            "--requests" => a.requests = value.parse().map_err(|e| format!("--requests: {e}"))?,
            "--connections" => {
                a.connections = value.parse().map_err(|e| format!("--connections: {e}"))?
            }
            "--tag" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                a.tag = Some(value)
            }
            "--tag" => return Err("--tag takes ASCII letters and digits".into()),
            other => return Err(format!("unknown option {other}")),
        }
    }
    if !matches!(a.target.as_str(), "submissions" | "validate") {
        return Err("--target is submissions or validate".into());
    }
    Ok(a)
}

/// Sends one request on a keep-alive connection and reads the answer; returns the status.
fn roundtrip(s: &mut TcpStream, buf: &mut Vec<u8>, req: &[u8]) -> std::io::Result<u16> {
    s.write_all(req)?;
    let mut chunk = [0u8; 16 * 1024];
    buf.clear();
    loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..p]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= p + 4 + len {
                return head
                    .split(' ')
                    .nth(1)
                    .and_then(|c| c.parse().ok())
                    .ok_or_else(|| std::io::Error::other("bad status line"));
            }
        }
        let n = s.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::Error::other("connection closed"));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn main() -> std::process::ExitCode {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("load: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let policy = Policy::from_json(DEMO_POLICY).expect("the demo policy is valid");
    let hash = policy.text_hash("newsletter", "en").unwrap_or_default();
    if a.print_text_hash {
        println!("{hash}");
        return std::process::ExitCode::SUCCESS;
    }
    let path = if a.target == "submissions" {
        "/v1/submissions"
    } else {
        "/v1/validate"
    };
    let run = a.tag.clone().unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0)
            .to_string()
    });
    let next = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..a.connections)
        .map(|_| {
            let (next, errors, hash, run, addr, total) =
                (next.clone(), errors.clone(), hash.clone(), run.clone(), a.addr, a.requests);
            let want: u16 = if a.target == "submissions" { 201 } else { 200 };
            std::thread::spawn(move || {
                let mut lat = Vec::new();
                let Ok(mut s) = TcpStream::connect(addr) else { return lat };
                let _ = s.set_nodelay(true);
                let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
                let mut buf = Vec::with_capacity(4096);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let body = format!(
                        r#"{{"email":"load{run}-{i}@example.org","given_name":"Load","country":"ID","locale":"en","consent":{{"policy_id":"acme-news","policy_version":"3","granted":["newsletter"],"shown":{{"newsletter":"{hash}"}}}}}}"#
                    );
                    let req = format!(
                        "POST {path} HTTP/1.1\r\nhost: load\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    let t = Instant::now();
                    match roundtrip(&mut s, &mut buf, req.as_bytes()) {
                        Ok(status) if status == want => lat.push(t.elapsed().as_micros() as u64),
                        Ok(_) => {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(_) => {
                            errors.fetch_add(1, Ordering::Relaxed);
                            break;
                        }
                    }
                }
                lat
            })
        })
        .collect();
    let mut lat: Vec<u64> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap_or_default())
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    lat.sort_unstable();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0) as f64
            / 1000.0
    };
    println!(
        "{target}: {ok} ok, {err} errors in {elapsed:.2} s = {rate:.0}/s over {c} connections; latency ms p50 {p50:.2} p99 {p99:.2} max {max:.2}",
        target = a.target,
        ok = lat.len(),
        err = errors.load(Ordering::Relaxed),
        rate = lat.len() as f64 / elapsed,
        c = a.connections,
        p50 = pct(0.50),
        p99 = pct(0.99),
        max = pct(1.0),
    );
    if errors.load(Ordering::Relaxed) > 0 {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}

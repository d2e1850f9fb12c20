//! Slow and idle clients (DESIGN §6 "Holding up"): a client dribbling header bytes is cut off by
//! the header-read timeout instead of holding a connection forever, and a crowd of idle
//! connections does not stop the service from answering.
#![cfg(feature = "server")]

#[path = "server_support/mod.rs"]
mod support;

use signup_guard::server::listen::Limits;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;
use support::TestServer;

#[test]
fn a_client_dribbling_header_bytes_is_disconnected() {
    let limits = Limits {
        header_read_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let server = TestServer::start_with(|_| {}, limits);
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    // One byte every 400 ms: the whole header would take ~16 s; the server must give up first.
    let header = b"GET /healthz HTTP/1.1\r\nhost: slow.example\r\n\r\n";
    let mut sent = 0;
    let mut closed = false;
    for &b in header {
        if s.write_all(&[b]).is_err() {
            closed = true;
            break;
        }
        sent += 1;
        std::thread::sleep(Duration::from_millis(400));
        let mut buf = [0u8; 256];
        match s.read(&mut buf) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(n) => {
                // hyper may answer 408 before closing; never a 200.
                assert!(!String::from_utf8_lossy(&buf[..n]).contains(" 200 "));
            }
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => {
                closed = true;
                break;
            }
        }
    }
    assert!(
        closed,
        "the connection stayed open for the whole dribbled header"
    );
    assert!(sent < header.len(), "closed only after {sent} bytes");
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn a_thousand_idle_connections_do_not_stop_healthz() {
    let server = TestServer::start(|_| {});
    let idle: Vec<TcpStream> = (0..1000)
        .map(|_| TcpStream::connect(server.addr).unwrap())
        .collect();
    let r = server.get("/healthz");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["ok"], true);
    drop(idle);
}

#[test]
fn a_body_stalled_past_the_request_timeout_is_408_in_the_verdict_shape() {
    let server = TestServer::start(|c| c.request_timeout = Duration::from_secs(1));
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // The headers promise 100 bytes; 9 arrive, then nothing.
    let head = "POST /v1/submissions HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\
                content-type: application/json\r\ncontent-length: 100\r\n\r\n{\"email\":";
    s.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let r = support::parse_response(&raw);
    assert_eq!(r.status, 408);
    assert_eq!(r.code(), "submission.unavailable");
    assert_eq!(server.get("/healthz").status, 200);
}

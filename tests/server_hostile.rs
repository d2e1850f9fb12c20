//! A catalogue of hostile bodies (issue 5, acceptance 3): each gets a clear 4xx with a
//! verdict-shaped body, and the server stays healthy and keeps storing valid signups after.
#![cfg(feature = "server")]

#[path = "server_support/mod.rs"]
mod support;

use support::{demo_policy, signup, TestServer};

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

/// (why it exists, content type, body, expected status)
fn catalogue() -> Vec<(&'static str, &'static str, Vec<u8>, u16)> {
    let deep_obj = format!("{}{}", r#"{"consent":"#.repeat(5000), "}".repeat(5000));
    let deep_arr = format!(
        r#"{{"email":{}{}}}"#,
        "[".repeat(30_000),
        "]".repeat(30_000)
    );
    let long = |n: usize| "a".repeat(n);
    let many_granted = format!(
        r#"{{"email":"a@example.org","consent":{{"policy_id":"acme-news","policy_version":"3","granted":[{}]}}}}"#,
        vec!["\"x\""; 5000].join(",")
    );
    let many_fields = (0..1000)
        .map(|i| format!("email{i}=x"))
        .collect::<Vec<_>>()
        .join("&");
    let b = |s: &str| s.as_bytes().to_vec();
    vec![
        ("nesting 5,000 objects deep", JSON, b(&deep_obj), 400),
        ("nesting 30,000 arrays deep", JSON, b(&deep_arr), 400),
        ("duplicate key keeps neither value", JSON, b(r#"{"email":"a@example.org","email":"b@example.org"}"#), 400),
        ("duplicate key inside consent", JSON, b(r#"{"consent":{"policy_id":"a","policy_id":"b"}}"#), 400),
        ("invalid UTF-8 byte in a string", JSON, b"{\"email\":\"a\xff@example.org\"}".to_vec(), 400),
        ("overlong UTF-8 encoding of '/'", JSON, b"{\"email\":\"a\xc0\xaf@example.org\"}".to_vec(), 400),
        ("UTF-8 encoded surrogate", JSON, b"{\"given_name\":\"\xed\xa0\x80\"}".to_vec(), 400),
        ("lone surrogate escape", JSON, b(r#"{"given_name":"\ud800"}"#), 400),
        ("NUL escape in the email", JSON, b(r#"{"email":"a\u0000@example.org"}"#), 422),
        ("raw NUL byte in a string", JSON, b"{\"email\":\"a\x00@example.org\"}".to_vec(), 400),
        ("raw newline in a string", JSON, b("{\"email\":\"a\n@example.org\"}"), 400),
        ("overlong email (60,000 chars)", JSON, b(&format!(r#"{{"email":"{}@example.org"}}"#, long(60_000))), 422),
        ("overlong given name (60,000 chars)", JSON, b(&format!(r#"{{"email":"a@example.org","given_name":"{}"}}"#, long(60_000))), 422),
        ("body over the limit", JSON, b(&format!(r#"{{"email":"{}"}}"#, long(1_000_000))), 413),
        ("huge exponent as the email", JSON, b(r#"{"email":1e999999}"#), 400),
        ("huge integer as the email", JSON, b(r#"{"email":123456789012345678901234567890123456789}"#), 400),
        ("number as the email", JSON, b(r#"{"email":42}"#), 400),
        ("array as the email", JSON, b(r#"{"email":["a@example.org"]}"#), 400),
        ("object as the email", JSON, b(r#"{"email":{"$ne":null}}"#), 400),
        ("boolean as the phone", JSON, b(r#"{"email":"a@example.org","phone":true}"#), 400),
        ("string as the consent", JSON, b(r#"{"consent":"yes"}"#), 400),
        ("object as granted", JSON, b(r#"{"consent":{"granted":{"newsletter":true}}}"#), 400),
        ("number as a shown hash", JSON, b(r#"{"consent":{"shown":{"newsletter":1}}}"#), 400),
        ("nested object as a shown hash", JSON, b(r#"{"consent":{"shown":{"newsletter":{"a":"b"}}}}"#), 400),
        ("5,000 granted purposes", JSON, b(&many_granted), 422),
        ("JSON null", JSON, b("null"), 400),
        ("empty body", JSON, b(""), 400),
        ("white space only", JSON, b("  \n\t "), 400),
        ("top-level array read as a struct", JSON, b(r#"["a@example.org","+6281234567890"]"#), 400),
        ("top-level number", JSON, b("1"), 400),
        ("trailing garbage", JSON, b(r#"{"email":"a@example.org"} x"#), 400),
        ("two objects", JSON, b(r#"{"email":"a@example.org"}{"email":"b@example.org"}"#), 400),
        ("byte order mark", JSON, b("\u{feff}{\"email\":\"a@example.org\"}"), 400),
        ("NaN literal", JSON, b(r#"{"email":NaN}"#), 400),
        ("single quotes", JSON, b("{'email':'a@example.org'}"), 400),
        ("comment", JSON, b(r#"{"email":"a@example.org" /* hi */}"#), 400),
        ("unknown top-level key", JSON, b(r#"{"email":"a@example.org","is_admin":true}"#), 400),
        ("prototype pollution key", JSON, b(r#"{"__proto__":{"admin":true}}"#), 400),
        ("unknown key inside consent", JSON, b(r#"{"consent":{"checked_by_default":true}}"#), 400),
        ("bidi override in the given name", JSON, b(r#"{"email":"a@example.org","given_name":"Jane\u202Egnp.exe","country":"ID"}"#), 422),
        ("bidi isolate in the family name", JSON, b(r#"{"email":"a@example.org","given_name":"Jane","family_name":"Do\u2066e","country":"ID"}"#), 422),
        ("zero-width space inside the email", JSON, b(r#"{"email":"ja\u200Bne@example.org","given_name":"Jane","country":"ID"}"#), 422),
        ("header injection in the email (CRLF Bcc)", JSON, b(r#"{"email":"a@example.org\r\nBcc: all@example.org","given_name":"Jane","country":"ID"}"#), 422),
        ("header injection in the email (LF To)", JSON, b(r#"{"email":"a@example.org\nTo: b@example.org","given_name":"Jane","country":"ID"}"#), 422),
        ("script in the given name", JSON, b(r#"{"email":"a@example.org","given_name":"<script>alert(1)</script>","country":"ID"}"#), 422),
        ("URL in the given name", JSON, b(r#"{"email":"a@example.org","given_name":"visit http://spam.example","country":"ID"}"#), 422),
        ("consent for another policy", JSON, b(r#"{"email":"a@example.org","given_name":"Jane","country":"ID","consent":{"policy_id":"evil","policy_version":"1","granted":["newsletter"]}}"#), 422),
        ("form: invalid percent-encoded UTF-8", FORM, b("email=%FF%FE"), 400),
        ("form: raw invalid UTF-8", FORM, b"email=\xff".to_vec(), 400),
        ("form: NUL in the email", FORM, b("email=a%00%40example.org&given_name=J&country=ID"), 422),
        ("form: 1,000 fields", FORM, b(&many_fields), 400),
        ("form: unknown field", FORM, b("email=a%40example.org&role=admin"), 400),
        ("form: conflicting duplicate email", FORM, b("email=a%40example.org&email=b%40example.org"), 400),
        // No stamp: maybe no JavaScript on a static page. The form comes back filled in (422).
        ("form: missing render stamp gets the form back", FORM, b("email=a%40example.org&given_name=J&country=ID"), 422),
        ("multipart body", "multipart/form-data; boundary=X", b("--X\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na@example.org\r\n--X--"), 415),
        ("UTF-16 JSON", "application/json; charset=utf-16", "{\"email\":\"a\"}".encode_utf16().flat_map(u16::to_le_bytes).collect(), 400),
    ]
}

#[test]
fn every_hostile_body_gets_a_clear_4xx_and_the_server_stays_healthy() {
    // The form's render stamp is required here, as in production.
    let server = TestServer::start(|c| c.min_fill_ms = 1000);
    let cases = catalogue();
    assert!(cases.len() >= 40, "the catalogue has {} cases", cases.len());
    let mut wrong = Vec::new();
    for (why, ct, body, expected) in &cases {
        let r = server.request("POST", "/v1/submissions", &[("content-type", ct)], body);
        if r.status != *expected {
            wrong.push(format!(
                "{why}: expected {expected}, got {} {}",
                r.status,
                r.text()
            ));
            continue;
        }
        // Every refusal says what is wrong in the verdict's shape (forms get a page, or their
        // form back filled in when they came without a render stamp).
        if *ct == FORM {
            let page = r.text();
            let back = page.contains("class=\"sg-retry\"") && !page.contains('\0');
            assert!(page.contains("data-code=") || back, "{why}: {page}");
        } else {
            let v = r.json();
            assert_eq!(v["ok"], false, "{why}");
            assert!(v["issues"][0]["code"].is_string(), "{why}");
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(server.get("/healthz").status, 200);
    let ok = server.post_json(
        "/v1/submissions",
        &signup("after@example.org", &demo_policy()),
    );
    assert_eq!(ok.status, 201, "{}", ok.text());
    let count: i64 = server
        .sql()
        .query_row("SELECT count(*) FROM contacts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 1, "no hostile body was stored");
}

#[test]
fn malformed_http_and_odd_paths_do_not_hurt_the_server() {
    use std::io::{Read, Write};
    let server = TestServer::start(|_| {});
    for raw in [
        &b"GARBAGE\r\n\r\n"[..],
        b"POST /v1/submissions HTTP/1.1\r\nhost: x\r\ncontent-length: 99999999999999999999\r\n\r\n",
        b"POST /v1/submissions HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ncontent-length: 7\r\n\r\n{}",
        b"GET /\x00 HTTP/1.1\r\nhost: x\r\n\r\n",
        b"GET / HTTP/1.1\r\nhost: x\r\nX-Bad: a\rb\r\n\r\n",
    ] {
        let mut s = std::net::TcpStream::connect(server.addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
        let _ = s.write_all(raw);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        let status = String::from_utf8_lossy(&out).split(' ').nth(1).unwrap_or("").to_owned();
        assert!(status.is_empty() || status.starts_with('4'), "{status}");
    }
    for path in ["/v1/../../etc/passwd", "/%00", "/v1/submissions/x", "/v1"] {
        let r = server.get(path);
        assert!((400..500).contains(&r.status), "{path}: {}", r.status);
    }
    assert_eq!(server.get("/healthz").status, 200);
}

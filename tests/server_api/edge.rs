//! What every request meets before its handler: the rate limit (per forwarded client behind a
//! trusted proxy), CORS, and the health check.

use super::*;

#[test]
fn a_burst_over_the_rate_limit_is_429_with_retry_after() {
    let server = TestServer::start(|c| c.rate_limit = 5);
    let statuses: Vec<u16> = (0..8)
        .map(|i| {
            server
                .post_json(
                    "/v1/submissions",
                    &format!(r#"{{"email":"p{i}@example.org"}}"#),
                )
                .status
        })
        .collect();
    // Refused for what they lack (this policy wants more than an address), but counted.
    assert_eq!(&statuses[..5], &[422; 5]);
    assert!(statuses[5..].iter().all(|&s| s == 429), "{statuses:?}");
    let r = server.post_json("/v1/submissions", "{}");
    assert_eq!(r.code(), "submission.rate_limited");
    assert!(r.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
    // GETs are not limited: the page and health check still answer.
    assert_eq!(server.get("/healthz").status, 200);
    // Validations have their own allowance, ten times larger (the drop-in asks on every submit):
    // the signups' being spent does not stop them, and theirs runs out in turn.
    let checks: Vec<u16> = (0..52)
        .map(|_| server.post_json("/v1/validate", "{}").status)
        .collect();
    assert_eq!(&checks[..50], &[200; 50], "{checks:?}");
    assert_eq!(&checks[50..], &[429, 429]);
}

#[test]
fn cors_answers_listed_origins_and_refuses_foreign_posts() {
    let server = TestServer::start(|c| c.cors_origins = vec!["https://shop.example".into()]);
    let pre = server.request(
        "OPTIONS",
        "/v1/submissions",
        &[
            ("origin", "https://shop.example"),
            ("access-control-request-method", "POST"),
        ],
        b"",
    );
    // Any 2xx is an "ok status" for a preflight (Fetch); tower-http's CorsLayer answers 200.
    assert!((200..300).contains(&pre.status), "{}", pre.status);
    assert_eq!(
        pre.header("access-control-allow-origin"),
        Some("https://shop.example")
    );
    assert!(pre
        .header("access-control-allow-headers")
        .is_some_and(|h| h.contains("idempotency-key")));
    let foreign_pre = server.request(
        "OPTIONS",
        "/v1/submissions",
        &[
            ("origin", "https://evil.example"),
            ("access-control-request-method", "POST"),
        ],
        b"",
    );
    assert_eq!(foreign_pre.header("access-control-allow-origin"), None);
    let foreign = server.request(
        "POST",
        "/v1/validate",
        &[
            ("origin", "https://evil.example"),
            ("content-type", "application/json"),
        ],
        b"{}",
    );
    assert_eq!(foreign.status, 403);
    assert_eq!(foreign.header("access-control-allow-origin"), None);
}

#[test]
fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit() {
    let server = TestServer::start(|c| {
        c.rate_limit = 2;
        c.trust_proxy = true;
    });
    let from = |ip: &str| {
        server
            .request(
                "POST",
                "/v1/submissions",
                &[
                    ("content-type", "application/json"),
                    ("x-forwarded-for", ip),
                ],
                b"{}",
            )
            .status
    };
    assert_eq!(
        [
            from("198.51.100.1"),
            from("198.51.100.1"),
            from("198.51.100.1")
        ],
        [422, 422, 429]
    );
    // A spoofed first entry does not help: the proxy's appended (last) address counts.
    assert_eq!(from("203.0.113.9, 198.51.100.1"), 429);
    assert_eq!(from("198.51.100.2"), 422);
}

#[test]
fn healthz_names_the_data_this_build_carries() {
    let server = TestServer::start(|_| {});
    let r = server.get("/healthz");
    assert_eq!(r.status, 200);
    let body = r.json();
    assert_eq!(body["ok"], true);
    // The phone metadata release is the vendored one, as an operator would check it.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/fields/phone/data/metadata.json"
    );
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let phone = &body["data_versions"]["phone_metadata"];
    assert_eq!(phone["version"], meta["version"]);
    assert_eq!(phone["date"], meta["released"]);
    let versions = signup_guard::data_versions();
    assert_eq!(
        body["data_versions"]["tlds"]["version"],
        versions.tlds.version.unwrap()
    );
    assert_eq!(
        body["data_versions"]["providers"]["date"],
        versions.providers.date
    );
}

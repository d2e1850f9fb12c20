//! `POST /v1/submissions`: what is stored, what is refused and in which shape, idempotent
//! retries, phones in E.164.

use super::*;

#[test]
fn valid_submission_is_stored_normalized_with_a_consent_event() {
    let server = TestServer::start(|_| {});
    let r = server.post_json(
        "/v1/submissions",
        &signup("  Jane.Doe@Gmail.COM ", &demo_policy()),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let body = r.json();
    assert_eq!(body["status"], "created");
    assert_eq!(body["contact"]["email"], "Jane.Doe@gmail.com");
    let (email, key, name): (String, String, String) = server
        .sql()
        .query_row(
            "SELECT email, email_key, given_name FROM contacts",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (email.as_str(), key.as_str(), name.as_str()),
        ("Jane.Doe@gmail.com", "jane.doe@gmail.com", "Jane")
    );
    // The event records what was shown and never the address.
    let (action, text_hash, checked, ck): (String, String, bool, String) = server
        .sql()
        .query_row(
            "SELECT action, text_hash, rendered_checked, contact_key FROM consent_events",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(action, "grant");
    assert_eq!(
        text_hash,
        demo_policy().text_hash("newsletter", "en").unwrap()
    );
    assert!(!checked);
    assert!(!ck.contains('@') && ck.len() == 64);
}

#[test]
fn the_same_person_again_is_200_and_no_duplicate() {
    let server = TestServer::start(|_| {});
    let p = demo_policy();
    assert_eq!(
        server
            .post_json("/v1/submissions", &signup("ani@example.org", &p))
            .status,
        201
    );
    let again = server.post_json("/v1/submissions", &signup("ANI@Example.org", &p));
    assert_eq!(again.status, 200, "{}", again.text());
    assert_eq!(again.json()["status"], "updated");
    assert_eq!(server.count("SELECT count(*) FROM contacts"), 1);
    assert_eq!(server.count("SELECT count(*) FROM consent_events"), 2);
}

#[test]
fn invalid_email_straight_to_the_api_gets_the_verdict() {
    let server = TestServer::start(|_| {});
    let r = server.post_json(
        "/v1/submissions",
        r#"{"email":"jane@","given_name":"Jane","country":"ID"}"#,
    );
    assert_eq!(r.status, 422);
    let v = r.json();
    assert_eq!(v["ok"], false);
    assert_eq!(v["issues"][0]["field"], "email");
    assert!(v["issues"][0]["code"]
        .as_str()
        .unwrap()
        .starts_with("email."));
    assert!(!v["issues"][0]["message"].as_str().unwrap().is_empty());
    assert_eq!(server.count("SELECT count(*) FROM contacts"), 0);
}

#[test]
fn altered_consent_text_hash_is_refused() {
    let server = TestServer::start(|_| {});
    let body = signup("ani@example.org", &demo_policy()).replace(
        &demo_policy().text_hash("newsletter", "en").unwrap(),
        &"0".repeat(64),
    );
    let r = server.post_json("/v1/submissions", &body);
    assert_eq!(r.status, 422);
    assert_eq!(r.code(), "consent.text_mismatch");
}

#[test]
fn malformed_json_is_400_in_the_verdict_shape() {
    let server = TestServer::start(|_| {});
    let r = server.post_json("/v1/submissions", r#"{"email": "a@b.example""#);
    assert_eq!(r.status, 400);
    let v = r.json();
    assert_eq!(v["ok"], false);
    assert_eq!(v["contact"], serde_json::Value::Null);
    assert_eq!(v["issues"][0]["code"], "submission.malformed");
    let unknown = server.post_json("/v1/submissions", r#"{"emial":"a@b.example"}"#);
    assert_eq!(
        (unknown.status, unknown.code().as_str()),
        (400, "submission.unknown_field")
    );
}

#[test]
fn two_megabyte_body_is_413_declared_or_streamed() {
    let server = TestServer::start(|_| {});
    let big = format!(r#"{{"email":"{}"}}"#, "a".repeat(2 * 1024 * 1024));
    let r = server.post_json("/v1/submissions", &big);
    assert_eq!(r.status, 413);
    assert_eq!(r.code(), "submission.too_large");
    let streamed = server.request(
        "POST",
        "/v1/submissions",
        &[
            ("content-type", "application/json"),
            ("transfer-encoding", "chunked"),
        ],
        big.as_bytes(),
    );
    assert_eq!(streamed.status, 413);
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn wrong_content_type_is_415() {
    let server = TestServer::start(|_| {});
    for ct in [
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/xml",
    ] {
        let r = server.request(
            "POST",
            "/v1/submissions",
            &[("content-type", ct)],
            b"email=a",
        );
        assert_eq!(r.status, 415, "{ct}");
        assert_eq!(r.code(), "submission.unsupported_type");
    }
    let missing = server.request("POST", "/v1/validate", &[], b"{}");
    assert_eq!(missing.status, 415);
}

#[test]
fn idempotency_key_replays_the_stored_answer_and_refuses_another_payload() {
    let server = TestServer::start(|_| {});
    let p = demo_policy();
    let send = |body: &str| {
        server.request(
            "POST",
            "/v1/submissions",
            &[
                ("content-type", "application/json"),
                ("idempotency-key", "k-123"),
            ],
            body.as_bytes(),
        )
    };
    let first = send(&signup("dewi@example.org", &p));
    let again = send(&signup("dewi@example.org", &p));
    assert_eq!((first.status, again.status), (201, 201));
    assert_eq!(first.body, again.body);
    assert_eq!(again.header("idempotency-replayed"), Some("true"));
    assert_eq!(server.count("SELECT count(*) FROM consent_events"), 1);
    let other = send(&signup("other@example.org", &p));
    assert_eq!(
        (other.status, other.code().as_str()),
        (422, "submission.key_reused")
    );
}

/// Depends on the phone engine (DESIGN §3, the phone issue): a national mobile number with the
/// country's default region is stored in E.164, and SMS consent is logged beside email consent.
#[test]
fn phone_and_sms_consent_are_stored_in_e164() {
    let server = TestServer::start(|_| {});
    let p = demo_policy();
    let body = serde_json::json!({
        "email": "wati@example.org", "phone": "0812-3456-7890", "given_name": "Wati",
        "country": "ID", "locale": "id",
        "consent": { "policy_id": p.id, "policy_version": p.version,
                     "granted": ["newsletter", "sms_offers"],
                     "shown": { "newsletter": p.text_hash("newsletter", "id").unwrap(),
                                "sms_offers": p.text_hash("sms_offers", "id").unwrap() } }
    });
    let r = server.post_json("/v1/submissions", &body.to_string());
    assert_eq!(r.status, 201, "{}", r.text());
    let (e164, kind): (String, String) = server
        .sql()
        .query_row("SELECT phone_e164, phone_type FROM contacts", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((e164.as_str(), kind.as_str()), ("+6281234567890", "mobile"));
    assert_eq!(
        server.count("SELECT count(*) FROM consent_events WHERE locale = 'id'"),
        2
    );
}

/// A phone error names the country in the message's language from CLDR, keeping the code in
/// `params.region` (issue 18, point 4: "…برای ID نیست").
#[test]
fn phone_errors_name_the_country_in_the_visitors_language() {
    let server = TestServer::start(|_| {});
    let res = server.post_json(
        "/v1/validate",
        r#"{"phone":"0800 123","country":"ID","locale":"fa"}"#,
    );
    let issue = res.json()["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "phone.invalid")
        .cloned()
        .unwrap();
    assert_eq!(issue["params"]["region"], "ID");
    assert_eq!(issue["params"]["region_name"], "اندونزی");
    let message = issue["message"].as_str().unwrap();
    assert!(message.contains("\u{2068}اندونزی\u{2069}"), "{message}");
    assert!(!message.contains("ID"), "{message}");
}

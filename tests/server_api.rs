//! The service over real HTTP on 127.0.0.1 with a real SQLite file (issue 5, acceptance 1).
#![cfg(feature = "server")]

#[path = "server_support/mod.rs"]
mod support;

use std::process::Command;
use support::{demo_policy, signup, TestServer};

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
fn unsubscribe_link_withdraws_and_the_export_shows_it() {
    let server = TestServer::start(|_| {});
    let r = server.post_json(
        "/v1/submissions",
        &signup("budi@example.org", &demo_policy()),
    );
    assert_eq!(r.status, 201);
    let link = r.json()["unsubscribe"]["newsletter"]
        .as_str()
        .unwrap()
        .to_owned();
    // The link's page only asks; nothing is withdrawn by a GET (mail scanners follow links).
    let page = server.get(&link);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("method=\"post\""));
    assert_eq!(
        server.count("SELECT count(*) FROM consent_events WHERE action = 'withdraw'"),
        0
    );
    let token = link.split("token=").nth(1).unwrap();
    let done = server.request(
        "POST",
        "/v1/unsubscribe",
        &[("content-type", "application/x-www-form-urlencoded")],
        format!("token={token}").as_bytes(),
    );
    assert_eq!(done.status, 200, "{}", done.text());
    let api = server.request("POST", &link, &[("accept", "application/json")], b"");
    assert_eq!(
        api.json()["withdrawn"],
        false,
        "a second withdrawal appends nothing"
    );
    // A forged token is refused.
    let forged = server.request(
        "POST",
        &link.replace("newsletter.", "newsletter.0"),
        &[("accept", "application/json")],
        b"",
    );
    assert_eq!(forged.status, 400);
    drop(server.sql());
    let out = Command::new(support::binary())
        .args(["export", "--format", "ndjson", "--db"])
        .arg(&server.db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let row: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(row["email"], "budi@example.org");
    assert_eq!(row["consent"]["newsletter"]["status"], "withdrawn");
    let csv = Command::new(support::binary())
        .args(["export", "--format", "csv", "--db"])
        .arg(&server.db)
        .output()
        .unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    // Nothing granted any more, the newsletter withdrawn (columns found by their header).
    let cells = |n: usize| text.lines().nth(n).unwrap().split(',').collect::<Vec<_>>();
    let at = |name: &str| cells(0).iter().position(|h| *h == name).unwrap();
    assert_eq!(cells(1)[at("granted")], "", "{text}");
    assert_eq!(cells(1)[at("withdrawn")], "newsletter", "{text}");
}

#[test]
fn consent_log_verify_passes_then_names_the_edited_row() {
    let server = TestServer::start(|_| {});
    let p = demo_policy();
    for who in ["a@example.org", "b@example.org", "c@example.org"] {
        assert_eq!(
            server.post_json("/v1/submissions", &signup(who, &p)).status,
            201
        );
    }
    let verify = || {
        Command::new(support::binary())
            .args(["consent-log", "verify", "--db"])
            .arg(&server.db)
            .output()
            .unwrap()
    };
    let ok = verify();
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("intact: 3 events"));
    // The table refuses edits; someone with the file drops the guard and edits event 2.
    let conn = server.sql();
    let refused = conn.execute(
        "UPDATE consent_events SET purpose = 'sms_offers' WHERE seq = 2",
        [],
    );
    assert!(refused.is_err());
    conn.execute_batch(
        "DROP TRIGGER consent_events_no_update;
         UPDATE consent_events SET purpose = 'sms_offers' WHERE seq = 2;",
    )
    .unwrap();
    let broken = verify();
    assert_eq!(broken.status.code(), Some(1));
    let said = String::from_utf8_lossy(&broken.stdout);
    assert!(said.contains("broken at event 2"), "{said}");
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

#[test]
fn plain_html_form_works_without_javascript() {
    let server = TestServer::start(|c| c.min_fill_ms = 50);
    let page = server.get("/?lang=id").text();
    assert!(
        page.contains("name=\"consent\" value=\"newsletter\""),
        "{page}"
    );
    assert!(!page.contains("checked"));
    let stamp = page
        .split("name=\"sg_t\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let hash = demo_policy().text_hash("newsletter", "id").unwrap();
    assert!(
        page.contains(&hash),
        "the Indonesian text's hash is what the page carries"
    );
    let form = format!(
        "email=sari%40example.org&given_name=Sari&country=ID&locale=id&consent=newsletter\
         &consent_shown.newsletter={hash}&policy_id=acme-news&policy_version=3&sg_hp=&sg_t={stamp}"
    );
    let post = |body: &str| {
        server.request(
            "POST",
            "/v1/submissions",
            &[("content-type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
        )
    };
    // Too fast (autofill): the form comes back filled in with a note, never a dead end.
    let fast = post(&form);
    assert_eq!(fast.status, 422);
    let again = fast.text();
    assert!(again.contains("value=\"sari@example.org\""), "{again}");
    assert!(again.contains("value=\"ID\" selected>") || again.contains("value=\"ID\">"));
    assert!(again.contains("class=\"sg-retry\""));
    assert!(
        !again.contains("checked"),
        "consent is asked again, unticked"
    );
    std::thread::sleep(std::time::Duration::from_millis(80));
    // A filled honeypot: the neutral refusal.
    let bot = post(&form.replace("sg_hp=", "sg_hp=http%3A%2F%2Fspam"));
    assert_eq!(bot.status, 422);
    assert!(bot.text().contains("submission.rejected"));
    // Stored: 303 to a GET page (a reload never posts again) without personal data in the URL.
    let ok = post(&form);
    assert_eq!(ok.status, 303, "{}", ok.text());
    assert_eq!(ok.header("location"), Some("/v1/thanks?lang=id"));
    let fix = post(&form.replace("sari%40example.org", "sari%40"));
    assert_eq!(fix.status, 422);
    assert!(fix.text().contains("data-code=\"email."), "{}", fix.text());
}

/// A form post answers the same for a new and a known address, and the thank-you page shows no
/// unsubscribe link: whoever typed someone else's address learns nothing (issue 18, point 6).
#[test]
fn the_thank_you_page_reveals_no_list_membership() {
    let server = TestServer::start(|c| c.min_fill_ms = 0);
    let hash = demo_policy().text_hash("newsletter", "fa").unwrap();
    let form = format!(
        "email=known%40example.org&given_name=Ana&country=ID&locale=fa&consent=newsletter\
         &consent_shown.newsletter={hash}&policy_id=acme-news&policy_version=3"
    );
    let post = || {
        server.request(
            "POST",
            "/v1/submissions",
            &[("content-type", "application/x-www-form-urlencoded")],
            form.as_bytes(),
        )
    };
    let (first, second) = (post(), post());
    assert_eq!((first.status, second.status), (303, 303));
    assert_eq!(first.header("location"), second.header("location"));
    assert_eq!(first.text(), second.text());
    let page = server.get(first.header("location").unwrap());
    assert_eq!(page.status, 200);
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let html = page.text();
    assert!(html.contains("lang=\"fa\" dir=\"rtl\""), "{html}");
    assert!(html.contains("/site.css"), "styled like the form");
    assert!(!html.contains("unsubscribe?token"), "{html}");
}

/// A static page on another origin: a token from `GET /v1/form-token` passes the bot checks, the
/// thank-you page leads back to the page (allowed origins only), and a post that came too
/// quickly goes back to the page with `sg_status=retry` (issue 18, point 3).
#[test]
fn a_static_page_on_an_allowed_origin_gets_a_token_and_its_way_back() {
    let server = TestServer::start(|c| {
        c.min_fill_ms = 50;
        c.cors_origins = vec!["https://shop.example".into()];
    });
    let token = server.request(
        "GET",
        "/v1/form-token",
        &[("origin", "https://shop.example")],
        b"",
    );
    assert_eq!(
        token.header("access-control-allow-origin"),
        Some("https://shop.example")
    );
    assert_eq!(token.header("cache-control"), Some("no-store"));
    let stamp = token.json()["sg_t"].as_str().unwrap().to_owned();
    assert_eq!(token.json()["min_fill_ms"], 50);
    let post = |body: String| {
        server.request(
            "POST",
            "/v1/submissions",
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("origin", "https://shop.example"),
            ],
            body.as_bytes(),
        )
    };
    let form = |ret: &str| {
        format!("email=static%40example.org&given_name=Sam&country=ID&sg_hp=&sg_t={stamp}&sg_return={ret}")
    };
    let fast = post(form("https%3A%2F%2Fshop.example%2Fjoin%3Fa%3D1"));
    assert_eq!(fast.status, 303);
    assert_eq!(
        fast.header("location"),
        Some("https://shop.example/join?a=1&sg_status=retry")
    );
    std::thread::sleep(std::time::Duration::from_millis(80));
    let ok = post(form("https%3A%2F%2Fshop.example%2Fjoin"));
    assert_eq!(ok.status, 303);
    let location = ok.header("location").unwrap().to_owned();
    assert!(location.starts_with("/v1/thanks?lang=en&back=https%3A%2F%2Fshop.example%2Fjoin"));
    assert!(server
        .get(&location)
        .text()
        .contains("href=\"https://shop.example/join\""));
    // Another origin is never a place to send people to.
    let evil = server.get("/v1/thanks?lang=en&back=https%3A%2F%2Fevil.example%2F");
    assert!(!evil.text().contains("evil.example"));
    // Without JavaScript (no stamp): the filled form comes back on the verifier, carrying the way back.
    let bare = post("email=nojs%40example.org&given_name=Sam&country=ID&sg_return=https%3A%2F%2Fshop.example%2Fjoin".into());
    assert_eq!(bare.status, 422);
    let html = bare.text();
    assert!(html.contains("value=\"nojs@example.org\""), "{html}");
    assert!(html.contains("name=\"sg_return\" value=\"https://shop.example/join\""));
    assert!(html.contains("name=\"sg_t\""));
}

/// JSON answers carry absolute unsubscribe links: `--public-url`, else the request's Host.
#[test]
fn unsubscribe_links_in_json_answers_are_absolute() {
    let server = TestServer::start(|c| c.public_url = Some("https://verifier.example/".into()));
    let body = signup("abs@example.org", &demo_policy());
    let res = server.post_json("/v1/submissions", &body);
    assert_eq!(res.status, 201, "{}", res.text());
    let link = res.json()["unsubscribe"]["newsletter"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        link.starts_with("https://verifier.example/v1/unsubscribe?token="),
        "{link}"
    );
    let plain = TestServer::start(|_| {});
    let res = plain.post_json("/v1/submissions", &body);
    let link = res.json()["unsubscribe"]["newsletter"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(link.starts_with("http://127.0.0.1:"), "{link}");
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
fn assets_come_from_pkg_then_www_and_never_from_elsewhere() {
    let server = TestServer::start(|_| {});
    std::fs::create_dir_all(server.dir.0.join("pkg")).unwrap();
    std::fs::create_dir_all(server.dir.0.join("www")).unwrap();
    std::fs::write(server.dir.0.join("pkg/signup_guard_bg.wasm"), b"\0asm").unwrap();
    std::fs::write(server.dir.0.join("www/site.css"), b"body{}").unwrap();
    std::fs::write(server.dir.0.join("secret.txt"), b"no").unwrap();
    let wasm = server.get("/signup_guard_bg.wasm");
    assert_eq!(
        (wasm.status, wasm.header("content-type")),
        (200, Some("application/wasm"))
    );
    assert_eq!(
        server.get("/site.css").header("content-type"),
        Some("text/css; charset=utf-8")
    );
    for path in [
        "/..%2Fsecret.txt",
        "/../secret.txt",
        "/.hidden",
        "/pkg%2F..%2F..%2Fsecret.txt",
    ] {
        assert_eq!(server.get(path).status, 404, "{path}");
    }
    // Without www/index.html the built-in form is served, with the consent block.
    let page = server.get("/?lang=fa");
    assert!(page.text().contains("dir=\"rtl\""));
    assert!(page.text().contains("name=\"sg_hp\""));
    let policy = server.get("/v1/policy").json();
    assert_eq!(policy["id"], "acme-news");
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

#[test]
fn the_demo_page_gets_the_consent_block_in_the_asked_language() {
    let server = TestServer::start(|_| {});
    std::fs::create_dir_all(server.dir.0.join("www")).unwrap();
    std::fs::write(
        server.dir.0.join("www/index.html"),
        "<!doctype html><html lang=\"en\" dir=\"ltr\"><body><form><!--sg:consent--></form></body></html>",
    )
    .unwrap();
    let page = server.get("/?lang=ar").text();
    assert!(page.contains("<html lang=\"ar\" dir=\"rtl\">"), "{page}");
    assert!(!page.contains("<!--sg:consent-->"));
    let policy = demo_policy();
    let arabic = &policy.purpose("newsletter").unwrap().text["ar"];
    assert!(page.contains(arabic.as_str()));
    assert!(page.contains(&policy.text_hash("newsletter", "ar").unwrap()));
}

/// The demo page's countries come named in the page's language (CLDR, as in the server's
/// messages), so the page's script only sorts them instead of loading the browser's names.
#[test]
fn the_demo_page_names_its_countries_in_the_asked_language() {
    let server = TestServer::start(|_| {});
    std::fs::create_dir_all(server.dir.0.join("www")).unwrap();
    std::fs::write(
        server.dir.0.join("www/index.html"),
        "<html lang=\"en\" dir=\"ltr\"><form><select id=\"sg-country\" name=\"country\">\
         <option value=\"\">Choose</option><option value=\"ID\">Indonesia</option>\
         <option value=\"IR\">Iran</option></select><select name=\"custom.state\">\
         <option value=\"ID\">Idaho</option></select><!--sg:consent--></form></html>",
    )
    .unwrap();
    let fa = server.get("/?lang=fa").text();
    // Another select's options are not countries, whatever their values.
    assert!(fa.contains("<option value=\"ID\">Idaho</option>"), "{fa}");
    assert!(fa.contains("data-names=\"fa\""), "{fa}");
    assert!(fa.contains("<option value=\"ID\">اندونزی</option>"), "{fa}");
    assert!(fa.contains("<option value=\"IR\">ایران</option>"), "{fa}");
    assert!(fa.contains("<option value=\"\">Choose</option>"), "{fa}");
    let en = server.get("/?lang=en").text();
    assert!(en.contains("<option value=\"ID\">Indonesia</option>") && !en.contains("data-names"));
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

/// Issue 12 point 2, "serve it as a CDN would": the wasm module travels brotli-compressed (so
/// `WebAssembly.instantiateStreaming` compiles it while it downloads, as `application/wasm`),
/// unhashed names revalidate after a short while, hashed ones are immutable, and the page keeps
/// a minute while pages with tokens are never stored.
#[test]
fn the_demo_wasm_travels_compressed_with_its_type_and_cache_headers() {
    let server = TestServer::start(|_| {});
    let pkg = server.dir.0.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    // The real bundle when it is built, else a module-shaped file that compresses like one.
    let built = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("pkg/signup_guard_bg.wasm");
    let wasm = std::fs::read(built).unwrap_or_else(|_| {
        let mut fake = b"\0asm\x01\0\0\0".to_vec();
        for i in 0..20_000u32 {
            fake.extend_from_slice(&[0x20, (i % 7) as u8, 0x41, (i % 13) as u8, 0x6a]);
        }
        fake
    });
    std::fs::write(pkg.join("signup_guard_bg.wasm"), &wasm).unwrap();
    std::fs::write(pkg.join("signup_guard_bg.3f9a1c2e.wasm"), &wasm).unwrap();
    let get = |path: &str, headers: &[(&str, &str)]| server.request("GET", path, headers, b"");

    let br = get("/signup_guard_bg.wasm", &[("accept-encoding", "br")]);
    assert_eq!(br.status, 200);
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.header("content-type"), Some("application/wasm"));
    assert!(
        br.body.len() < wasm.len(),
        "{} >= {}",
        br.body.len(),
        wasm.len()
    );
    let mut decoded = Vec::new();
    brotli_decompressor::BrotliDecompress(&mut br.body.as_slice(), &mut decoded).unwrap();
    assert!(decoded == wasm, "the brotli stream decodes to the file");
    assert!(br
        .headers
        .iter()
        .any(|(k, v)| k == "vary" && v.to_ascii_lowercase().contains("accept-encoding")));
    // No hash in the name: a short max-age, then revalidation by Last-Modified.
    assert_eq!(br.header("cache-control"), Some("public, max-age=300"));
    let modified = br.header("last-modified").unwrap().to_owned();
    let again = get(
        "/signup_guard_bg.wasm",
        &[("if-modified-since", modified.as_str())],
    );
    assert_eq!(again.status, 304);

    let gz = get("/signup_guard_bg.wasm", &[("accept-encoding", "gzip")]);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert!(gz.body.len() < wasm.len());
    let raw = get("/signup_guard_bg.wasm", &[]);
    assert_eq!(
        (raw.header("content-encoding"), raw.body.len()),
        (None, wasm.len())
    );

    let hashed = get(
        "/signup_guard_bg.3f9a1c2e.wasm",
        &[("accept-encoding", "br")],
    );
    assert_eq!(
        hashed.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    // A precompressed copy beside a file (`scripts/build-wasm.sh` writes `.br` at quality 11 and
    // `.gz`) goes out as it is, to a client that accepts it, keyed by Accept-Encoding.
    let engine = "phone-engine.0a1b2c3d4e5f6789.wasm";
    std::fs::write(pkg.join(engine), &wasm).unwrap();
    std::fs::write(pkg.join(format!("{engine}.br")), b"the .br copy").unwrap();
    let pre = get(&format!("/{engine}"), &[("accept-encoding", "gzip, br")]);
    assert_eq!(pre.body, b"the .br copy");
    assert_eq!(
        (pre.header("content-encoding"), pre.header("content-type")),
        (Some("br"), Some("application/wasm"))
    );
    assert!(pre
        .headers
        .iter()
        .any(|(k, v)| k == "vary" && v.to_ascii_lowercase().contains("accept-encoding")));
    assert_eq!(
        pre.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(get(&format!("/{engine}"), &[]).body, wasm);
    // The data files a page fetches on demand: a message catalogue (text, compressed) and a
    // calling code's phone data (bytes), both immutable under their content-hashed names.
    let catalogue =
        "signup-guard messages fa 1\ninput.required\tلطفاً این بخش را پر کنید.\n".repeat(8);
    std::fs::write(pkg.join("messages-fa.0a1b2c3d4e5f6789.txt"), &catalogue).unwrap();
    std::fs::write(pkg.join("phone-62.0a1b2c3d4e5f6789.bin"), [7u8; 300]).unwrap();
    std::fs::write(
        pkg.join("email.0a1b2c3d4e5f6789.txt"),
        "aaa\naarp\nabb\n".repeat(40),
    )
    .unwrap();
    let email_data = get(
        "/email.0a1b2c3d4e5f6789.txt",
        &[("accept-encoding", "gzip")],
    );
    assert_eq!(
        email_data.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(email_data.header("content-encoding"), Some("gzip"));
    assert_eq!(
        email_data.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let text = get(
        "/messages-fa.0a1b2c3d4e5f6789.txt",
        &[("accept-encoding", "br")],
    );
    assert_eq!(text.status, 200);
    assert_eq!(
        text.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(text.header("content-encoding"), Some("br"));
    assert_eq!(
        text.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let phone = get("/phone-62.0a1b2c3d4e5f6789.bin", &[]);
    assert_eq!(
        phone.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(
        phone.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    // The page and the policy keep a minute; the unsubscribe page (it holds a token) none.
    let page = get("/", &[("accept-encoding", "br, gzip")]);
    assert_eq!(page.header("cache-control"), Some("public, max-age=60"));
    assert_eq!(page.header("content-encoding"), Some("br"));
    assert_eq!(
        get("/v1/policy", &[]).header("cache-control"),
        Some("public, max-age=60")
    );
    let etag = get("/v1/policy", &[]).header("etag").unwrap().to_owned();
    assert_eq!(
        get("/v1/policy", &[("if-none-match", etag.as_str())]).status,
        304
    );
    let unsubscribe = get("/v1/unsubscribe?token=1.newsletter.x", &[]);
    assert_eq!(unsubscribe.header("cache-control"), Some("no-store"));
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

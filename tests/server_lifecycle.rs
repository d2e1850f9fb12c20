//! After the signup, over real HTTP on 127.0.0.1 and a real SQLite file: RFC 8058 one-click
//! unsubscribe as a mail provider sends it, withdrawals shown by `export` at once and never
//! undone but by a new ticked box, the admin API (absent without a token, 401 without the
//! right one), the retention sentence of the no-JavaScript form, and the daily retention sweep
//! inside the server driven by an injected clock.
#![cfg(feature = "server")]

mod server_support;

use server_support::{count, demo_policy, request, signup, wait_until, TempDir, TestServer};
use signup_guard::clock::Clock;
use std::time::Duration;

const SECRET: &str = "test secret, 32 bytes long......";
const DAY_MS: u64 = 86_400_000;

/// `signup-guard ARGS` with the test server's secret: exit code and stdout.
fn cli(args: &[&str]) -> (Option<i32>, String) {
    let out = std::process::Command::new(server_support::binary())
        .args(args)
        .env("SIGNUP_GUARD_SECRET", SECRET)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The path and query of the newsletter link a signup answer carries.
fn newsletter_link(answer: &serde_json::Value) -> String {
    let url = answer["unsubscribe"]["newsletter"].as_str().unwrap();
    let path = url.find("/v1/").map(|i| &url[i..]).unwrap();
    path.to_owned()
}

/// The newsletter status of `email` in `export --format ndjson` (`None`: not exported).
fn newsletter_status(db: &str, email: &str) -> Option<String> {
    let (code, out) = cli(&["export", "--db", db, "--format", "ndjson"]);
    assert_eq!(code, Some(0));
    out.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|row| row["email"] == email)
        .map(|row| {
            row["consent"]["newsletter"]["status"]
                .as_str()
                .unwrap()
                .to_owned()
        })
}

#[test]
fn one_click_post_withdraws_at_once_idempotently_and_only_a_ticked_box_grants_again() {
    let server = TestServer::start(|_| {});
    let p = demo_policy();
    let db = server.db.to_str().unwrap().to_owned();
    let jane = server.post_json("/v1/submissions", &signup("jane@example.org", &p));
    assert_eq!(jane.status, 201, "{}", jane.text());
    let link = newsletter_link(&jane.json());
    assert_eq!(
        newsletter_status(&db, "jane@example.org").as_deref(),
        Some("granted")
    );

    // What Gmail sends (RFC 8058): a POST to the List-Unsubscribe URL with this body, no
    // cookie, no Origin, no CSRF token, no JavaScript.
    let one_click = |content_type: &str, body: &[u8]| {
        server.request("POST", &link, &[("content-type", content_type)], body)
    };
    let r = one_click(
        "application/x-www-form-urlencoded",
        b"List-Unsubscribe=One-Click",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // Shown by export in the same moment: the POST answered after the commit.
    assert_eq!(
        newsletter_status(&db, "jane@example.org").as_deref(),
        Some("withdrawn")
    );
    let withdrawals = "SELECT count(*) FROM consent_events WHERE action = 'withdraw'";
    assert_eq!(server.count(withdrawals), 1);

    // Again, and in the multipart form RFC 8058 prefers: 200, nothing appended.
    let multipart = b"--b\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--b--\r\n";
    let again = one_click("multipart/form-data; boundary=b", multipart);
    assert_eq!(again.status, 200, "{}", again.text());
    assert_eq!(server.count(withdrawals), 1);

    // A re-signup without the box keeps the withdrawal; only ticking it again grants.
    let mut unticked: serde_json::Value =
        serde_json::from_str(&signup("jane@example.org", &p)).unwrap();
    unticked["consent"]["granted"] = serde_json::json!([]);
    unticked["consent"]["shown"] = serde_json::json!({});
    let r = server.post_json("/v1/submissions", &unticked.to_string());
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        newsletter_status(&db, "jane@example.org").as_deref(),
        Some("withdrawn")
    );
    let r = server.post_json("/v1/submissions", &signup("jane@example.org", &p));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        newsletter_status(&db, "jane@example.org").as_deref(),
        Some("granted")
    );
}

#[test]
fn one_click_posts_have_their_own_larger_allowance_than_signups() {
    // One signup a minute per client; a mail provider's server still gets its unsubscribes in.
    let server = TestServer::start(|c| c.rate_limit = 1);
    let p = demo_policy();
    let jane = server.post_json("/v1/submissions", &signup("jane@example.org", &p));
    assert_eq!(jane.status, 201, "{}", jane.text());
    let again = server.post_json("/v1/submissions", &signup("bob@example.org", &p));
    assert_eq!(again.status, 429);
    let link = newsletter_link(&jane.json());
    let form = [("content-type", "application/x-www-form-urlencoded")];
    for _ in 0..5 {
        let r = server.request("POST", &link, &form, b"List-Unsubscribe=One-Click");
        assert_eq!(r.status, 200, "{}", r.text());
    }
    // It is still a limit: 20 a minute here, then 429.
    let statuses: Vec<u16> = (0..20)
        .map(|_| {
            server
                .request("POST", &link, &form, b"List-Unsubscribe=One-Click")
                .status
        })
        .collect();
    assert!(statuses.contains(&429), "{statuses:?}");
}

#[test]
fn the_admin_api_is_absent_without_a_token_and_refuses_a_missing_or_wrong_one() {
    let closed = TestServer::start(|_| {});
    let r = closed.request(
        "GET",
        "/v1/admin/links",
        &[("authorization", "Bearer x")],
        b"",
    );
    assert_eq!(r.status, 404, "{}", r.text());

    let token = "admin-token-0123456789abcdef";
    let server = TestServer::start(|c| c.admin_token = Some(token.to_owned()));
    let p = demo_policy();
    for email in ["ana@example.org", "=cmd@example.org"] {
        let r = server.post_json("/v1/submissions", &signup(email, &p));
        assert_eq!(r.status, 201, "{}", r.text());
    }
    let none = server.get("/v1/admin/links");
    assert_eq!(none.status, 401);
    assert_eq!(none.code(), "admin.unauthorized");
    assert!(none
        .header("www-authenticate")
        .unwrap()
        .starts_with("Bearer"));
    let wrong = server.request(
        "GET",
        "/v1/admin/links",
        &[("authorization", "Bearer admin-token-0123456789abcdeX")],
        b"",
    );
    assert_eq!(wrong.status, 401);

    let bearer = format!("Bearer {token}");
    let auth = [("authorization", bearer.as_str())];
    let ndjson = server.request("GET", "/v1/admin/links", &auth, b"");
    assert_eq!(ndjson.status, 200, "{}", ndjson.text());
    assert_eq!(ndjson.header("cache-control"), Some("no-store"));
    let rows: Vec<serde_json::Value> = ndjson
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["email"], "ana@example.org");
    assert_eq!(rows[0]["purpose"], "newsletter");
    // The same links the CLI prints for the same public origin.
    let base = format!("http://{}", server.addr);
    let db = server.db.to_str().unwrap().to_owned();
    let (code, out) = cli(&[
        "links",
        "--db",
        &db,
        "--public-url",
        &base,
        "--format",
        "ndjson",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(out, ndjson.text());

    let csv = server.request(
        "GET",
        "/v1/admin/links?format=csv&purpose=newsletter",
        &auth,
        b"",
    );
    assert_eq!(csv.status, 200);
    let text = csv.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "email,phone_e164,purpose,unsubscribe_url");
    assert!(lines[2].starts_with("'=cmd@example.org,"), "{text}");
    let none = server.request("GET", "/v1/admin/links?purpose=sms_offers", &auth, b"");
    assert_eq!((none.status, none.text()), (200, String::new()));
    let bad = server.request("GET", "/v1/admin/links?format=xml", &auth, b"");
    assert_eq!(bad.status, 400);

    // Following a link from the list withdraws; the list no longer carries it.
    let url = rows[0]["unsubscribe_url"].as_str().unwrap();
    let path = &url[url.find("/v1/").unwrap()..];
    let r = server.request(
        "POST",
        path,
        &[("content-type", "application/x-www-form-urlencoded")],
        b"List-Unsubscribe=One-Click",
    );
    assert_eq!(r.status, 200);
    let after = server.request("GET", "/v1/admin/links", &auth, b"");
    assert_eq!(after.text().lines().count(), 1);
}

#[test]
fn serve_refuses_a_short_admin_token_file() {
    let dir = TempDir::new("admin-token");
    let file = dir.0.join("token");
    std::fs::write(&file, "short\n").unwrap();
    let db = dir.0.join("t.db");
    let out = std::process::Command::new(server_support::binary())
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&db)
        .arg("--admin-token-file")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 16 characters"));
}

#[test]
fn the_no_script_form_says_how_long_details_are_kept_beside_the_boxes_in_persian() {
    let server = TestServer::start(|_| {});
    let days = demo_policy().retention_days.unwrap().to_string();
    let page = server.get("/?lang=fa").text();
    assert!(page.contains("dir=\"rtl\""), "{page}");
    let consent = &page[page.find("<fieldset class=\"sg-consent\"").unwrap()..];
    let consent = &consent[..consent.find("</fieldset>").unwrap()];
    let line = consent
        .split("<p class=\"sg-retention\">")
        .nth(1)
        .expect("a retention line inside the consent fieldset");
    let line = &line[..line.find("</p>").unwrap()];
    assert!(line.contains(&days) && line.contains("روز"), "{line}");
    // The repository's demo page, rendered by the server, carries it too, in English.
    let www = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
    let demo = TestServer::start(|c| c.www = www);
    let page = demo.get("/?lang=en").text();
    assert!(
        page.contains(&format!(
            "<p class=\"sg-retention\">We keep your details for {days} days"
        )),
        "{page}"
    );
}

#[test]
fn the_daily_sweep_inside_serve_erases_by_the_injected_clock_and_keeps_the_chain() {
    let start = 1_800_000_000_000; // any instant: the fixed clock never reads the machine's
    let clock = Clock::fixed(start);
    let server = TestServer::start(|c| {
        c.clock = clock.clone();
        c.retention_tick = Some(Duration::from_millis(20));
    });
    let p = demo_policy();
    let db = server.db.clone();
    let stays = server.post_json("/v1/submissions", &signup("stays@example.org", &p));
    let leaves = server.post_json("/v1/submissions", &signup("leaves@example.org", &p));
    assert_eq!((stays.status, leaves.status), (201, 201));
    let link = newsletter_link(&leaves.json());
    let r = request(
        server.addr,
        "POST",
        &link,
        &[("content-type", "application/x-www-form-urlencoded")],
        b"List-Unsubscribe=One-Click",
    );
    assert_eq!(r.status, 200);
    let erased = "SELECT count(*) FROM contacts WHERE email_key IS NULL AND phone_e164 IS NULL";

    // A day later the sweep runs: the withdrawal is within the 30-day grace, nothing goes.
    clock.advance(Duration::from_millis(DAY_MS + 1));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(count(&db, erased), 0);
    // Past the grace period the contact without consent goes; the one with consent stays.
    clock.advance(Duration::from_millis(30 * DAY_MS));
    wait_until(
        "the sweep erased a contact",
        Duration::from_secs(20),
        || count(&db, erased) == 1,
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM contacts WHERE email = 'stays@example.org'"
        ),
        1
    );
    // Past retention_days since the last signup, the other goes too, its grant withdrawn.
    let days = u64::from(p.retention_days.unwrap());
    clock.advance(Duration::from_millis(days * DAY_MS));
    wait_until("the sweep erased both", Duration::from_secs(20), || {
        count(&db, erased) == 2
    });
    let retention = "SELECT count(*) FROM consent_events WHERE method = 'retention'";
    assert_eq!(count(&db, retention), 1);
    let (ok, said) = server_support::consent_log_verify(&db);
    assert!(ok, "{said}");
    assert!(said.contains("4 events"), "{said}");
}

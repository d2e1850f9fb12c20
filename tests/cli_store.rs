//! The operator's commands on real SQLite files beside real servers on 127.0.0.1: `links` and
//! the export's `unsubscribe_url` columns, `purge` (dry run, then real) by an injected clock,
//! and `access` showing the purpose text a person saw after the policy file changed and the
//! server restarted. Backups: `tests/cli_backup.rs`.
#![cfg(feature = "server")]

mod server_support;

use server_support::{
    cli_keyed, consent_log_verify, count, demo_policy, request, signup, Spawned, TempDir,
    TestServer, SPAWNED_SECRET,
};
use signup_guard::clock::Clock;

const TEST_SECRET: &str = "test secret, 32 bytes long......";
const DAY_MS: u64 = 86_400_000;

fn one_click(addr: std::net::SocketAddr, url: &str) -> u16 {
    let path = &url[url.find("/v1/").unwrap()..];
    let form = [("content-type", "application/x-www-form-urlencoded")];
    request(addr, "POST", path, &form, b"List-Unsubscribe=One-Click").status
}

#[test]
fn links_and_export_carry_working_unsubscribe_links_for_granted_purposes_only() {
    let server = TestServer::start(|_| {});
    let p = demo_policy();
    let db = server.db.to_str().unwrap().to_owned();
    let jane = server.post_json("/v1/submissions", &signup("jane@example.org", &p));
    let bob = server.post_json("/v1/submissions", &signup("bob@example.org", &p));
    assert_eq!((jane.status, bob.status), (201, 201));
    let bob_link = bob.json()["unsubscribe"]["newsletter"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(one_click(server.addr, &bob_link), 200);

    let base = "https://verifier.example";
    let (code, csv, _) = cli_keyed(TEST_SECRET, &["links", "--db", &db, "--public-url", base]);
    assert_eq!(code, Some(0));
    let jane_link = jane.json()["unsubscribe"]["newsletter"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = &jane_link[jane_link.find("token=").unwrap()..];
    assert_eq!(
        csv,
        format!(
            "email,phone_e164,purpose,unsubscribe_url\njane@example.org,,newsletter,{base}/v1/unsubscribe?{token}\n"
        )
    );
    let (code, ndjson, _) = cli_keyed(
        TEST_SECRET,
        &[
            "links",
            "--db",
            &db,
            "--public-url",
            base,
            "--format",
            "ndjson",
            "--purpose",
            "newsletter",
        ],
    );
    assert_eq!(code, Some(0));
    let row: serde_json::Value = serde_json::from_str(ndjson.trim()).unwrap();
    assert_eq!(row["email"], "jane@example.org");
    assert_eq!(
        row["unsubscribe_url"],
        format!("{base}/v1/unsubscribe?{token}")
    );
    let (_, none, _) = cli_keyed(
        TEST_SECRET,
        &[
            "links",
            "--db",
            &db,
            "--public-url",
            base,
            "--purpose",
            "sms_offers",
        ],
    );
    assert_eq!(none.lines().count(), 1, "{none}");

    // Another secret would make links that do not work: refused, as is having none at all.
    let (code, _, err) = cli_keyed(
        "another secret",
        &["links", "--db", &db, "--public-url", base],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("not the one"), "{err}");
    let (code, _, err) = cli_keyed("", &["links", "--db", &db, "--public-url", base]);
    assert_eq!(code, Some(2));
    assert!(err.contains("SIGNUP_GUARD_SECRET"), "{err}");

    // export: one unsubscribe_url column per purpose, filled where the purpose is granted.
    let (code, csv, _) = cli_keyed(TEST_SECRET, &["export", "--db", &db, "--public-url", base]);
    assert_eq!(code, Some(0));
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header = rows.headers().unwrap().clone();
    let at = header
        .iter()
        .position(|h| h == "unsubscribe_url_newsletter")
        .unwrap();
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(&records[0][0], "jane@example.org");
    assert_eq!(&records[0][at], format!("{base}/v1/unsubscribe?{token}"));
    assert_eq!((&records[1][0], &records[1][at]), ("bob@example.org", ""));
    let (_, ndjson, _) = cli_keyed(TEST_SECRET, &["export", "--db", &db, "--format", "ndjson"]);
    let first: serde_json::Value = serde_json::from_str(ndjson.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["unsubscribe_url"]["newsletter"],
        format!("/v1/unsubscribe?{token}")
    );
    // Without the secret, export still works, without the link columns.
    let (code, csv, err) = cli_keyed("", &["export", "--db", &db]);
    assert_eq!(code, Some(0));
    assert!(!csv.contains("unsubscribe_url") && err.contains("without unsubscribe links"));

    // The exported link works for the mailing tool's one-click POST.
    let local = format!("http://{}/v1/unsubscribe?{token}", server.addr);
    assert_eq!(one_click(server.addr, &local), 200);
    let (_, csv, _) = cli_keyed(TEST_SECRET, &["links", "--db", &db, "--public-url", base]);
    assert_eq!(csv.lines().count(), 1, "{csv}");
}

#[test]
fn purge_lists_then_erases_what_retention_says_and_the_chain_verifies() {
    // The server's clock is set relative to the one the CLI reads (SG_TEST_NOW shifts both).
    let now = Clock::system().unix_ms();
    let clock = Clock::fixed(now - 800 * DAY_MS);
    let server = TestServer::start(|c| {
        c.clock = clock.clone();
        c.retention_tick = None;
    });
    let p = demo_policy();
    let db = server.db.to_str().unwrap().to_owned();
    let post = |email: &str| {
        let r = server.post_json("/v1/submissions", &signup(email, &p));
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()["unsubscribe"]["newsletter"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    post("old@example.org");
    post("back@example.org");
    clock.set(now - 40 * DAY_MS);
    // A repeat signup is new activity: the retention period starts again.
    let r = server.post_json("/v1/submissions", &signup("back@example.org", &p));
    assert_eq!(r.status, 200, "{}", r.text());
    post("kept@example.org");
    let gone = post("gone@example.org");
    let recent = post("recent@example.org");
    assert_eq!(one_click(server.addr, &gone), 200);
    // Signed up without ticking any box: nothing granted since.
    let mut unticked: serde_json::Value =
        serde_json::from_str(&signup("never@example.org", &p)).unwrap();
    unticked["consent"]["granted"] = serde_json::json!([]);
    unticked["consent"]["shown"] = serde_json::json!({});
    let r = server.post_json("/v1/submissions", &unticked.to_string());
    assert_eq!(r.status, 201, "{}", r.text());
    clock.set(now - 10 * DAY_MS);
    assert_eq!(one_click(server.addr, &recent), 200);
    let events = count(&server.db, "SELECT count(*) FROM consent_events");

    let (code, dry, _) = cli_keyed(TEST_SECRET, &["purge", "--db", &db, "--dry-run"]);
    assert_eq!(code, Some(0));
    let lines: Vec<&str> = dry.lines().collect();
    assert_eq!(lines.len(), 4, "{dry}");
    assert!(
        lines[0].contains("old@example.org: retention_expired"),
        "{dry}"
    );
    assert!(lines[0].contains("older than retention_days 730"), "{dry}");
    assert!(lines[1].contains("gone@example.org: no_consent"), "{dry}");
    assert!(lines[2].contains("never@example.org: no_consent"), "{dry}");
    assert_eq!(lines[3], "would erase 3 contact(s)");
    assert_eq!(
        count(&server.db, "SELECT count(*) FROM consent_events"),
        events
    );

    let (code, done, _) = cli_keyed(TEST_SECRET, &["purge", "--db", &db]);
    assert_eq!(code, Some(0));
    assert!(done.ends_with("erased 3 contact(s)\n"), "{done}");
    // The grant old@ still had is withdrawn in the log; gone@ had nothing left to withdraw.
    let retention = "SELECT count(*) FROM consent_events WHERE method = 'retention'";
    assert_eq!(count(&server.db, retention), 1);
    let (ok, said) = consent_log_verify(&server.db);
    assert!(ok, "{said}");
    let (_, export, _) = cli_keyed(TEST_SECRET, &["export", "--db", &db]);
    assert!(
        !export.contains("old@") && !export.contains("gone@") && !export.contains("never@"),
        "{export}"
    );
    assert!(
        export.contains("kept@") && export.contains("recent@") && export.contains("back@"),
        "{export}"
    );
    let (_, again, _) = cli_keyed(TEST_SECRET, &["purge", "--db", &db, "--dry-run"]);
    assert_eq!(again, "would erase 0 contact(s)\n");
}

#[test]
fn access_shows_the_text_a_person_saw_after_the_policy_changed_and_the_server_restarted() {
    let dir = TempDir::new("access");
    let db = dir.0.join("a.db");
    std::fs::create_dir_all(dir.0.join("www")).unwrap();
    let old = demo_policy();
    std::fs::write(
        dir.0.join("www/policy.json"),
        serde_json::to_string(&old).unwrap(),
    )
    .unwrap();
    let first = Spawned::start(&db, &dir.0);
    let body = signup("jane@example.org", &old);
    let json = [("content-type", "application/json")];
    let r = request(
        first.addr,
        "POST",
        "/v1/submissions",
        &json,
        body.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    drop(first);

    let mut new = old.clone();
    new.version = "4".into();
    let text = new.purposes[0].text.get_mut("en").unwrap();
    *text = "Email me the weekly digest.".into();
    std::fs::write(
        dir.0.join("www/policy.json"),
        serde_json::to_string(&new).unwrap(),
    )
    .unwrap();
    let second = Spawned::start(&db, &dir.0);
    let body = signup("jane@example.org", &new);
    let r = request(
        second.addr,
        "POST",
        "/v1/submissions",
        &json,
        body.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());

    let dbs = db.to_str().unwrap();
    let (code, out, err) = cli_keyed(
        SPAWNED_SECRET,
        &[
            "access",
            "--db",
            dbs,
            "--email",
            "Jane@Example.org",
            "--public-url",
            "https://v.example",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let contact = &report["contacts"][0];
    assert_eq!(contact["email"], "jane@example.org");
    assert_eq!(contact["given_name"], "Jane");
    assert_eq!(contact["consent"]["newsletter"]["status"], "granted");
    let link = contact["unsubscribe_url"]["newsletter"].as_str().unwrap();
    assert!(
        link.starts_with("https://v.example/v1/unsubscribe?token="),
        "{link}"
    );
    let events = contact["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["policy_version"], "3");
    assert_eq!(events[0]["text"], "Email me the monthly newsletter.");
    assert_eq!(events[1]["policy_version"], "4");
    assert_eq!(events[1]["text"], "Email me the weekly digest.");
    assert!(events
        .iter()
        .all(|e| e["text_verified"] == true && e["received_at"].is_string()));

    // A withdrawal shows at once, as the last event and in the state.
    assert_eq!(
        one_click(
            second.addr,
            &format!(
                "http://{}{}",
                second.addr,
                &link[link.find("/v1/").unwrap()..]
            )
        ),
        200
    );
    let (_, out, _) = cli_keyed(
        SPAWNED_SECRET,
        &["access", "--db", dbs, "--email", "jane@example.org"],
    );
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let contact = &report["contacts"][0];
    assert_eq!(contact["consent"]["newsletter"]["status"], "withdrawn");
    assert_eq!(contact["events"][2]["action"], "withdraw");
    assert_eq!(contact["unsubscribe_url"], serde_json::json!({}));
    // Nobody by that number: exit 1, an empty list.
    let (code, out, _) = cli_keyed(
        SPAWNED_SECRET,
        &["access", "--db", dbs, "--phone", "+6281234567890"],
    );
    assert_eq!(code, Some(1));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["contacts"],
        serde_json::json!([])
    );
}

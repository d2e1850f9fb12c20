//! After the signup: unsubscribe links (relative and absolute), the export, and the consent
//! log's verification.

use super::*;

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

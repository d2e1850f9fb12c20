//! Where a signup came from (issue 16, point 3), over real HTTP on 127.0.0.1 against the real
//! `signup-guard serve` binary on a real SQLite file: a JSON signup's `source` is cleaned, kept
//! as first and latest touch apart from the consent log, exported (CSV columns and NDJSON),
//! shown by `access`, sent in webhook payloads (verified by a real receiver) and erased; the
//! server-rendered page carries its path, `utm_*` and `data-form-id` into a plain form post;
//! bad `source` keys are refused with stable codes.

mod server_support;

use serde_json::{json, Value};
use server_support::*;
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

/// What the spawned servers are keyed with (`Spawned` sets it), for `access`.
const SECRET: &str = "crash test secret";

fn run(args: &[&str]) -> String {
    let out = std::process::Command::new(binary())
        .args(args)
        .env("SIGNUP_GUARD_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The export as CSV, each row a map from column to value.
fn export_csv(db: &Path) -> Vec<HashMap<String, String>> {
    let text = run(&["export", "--db", db.to_str().unwrap()]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    r.records()
        .map(|row| {
            let row = row.unwrap();
            header
                .iter()
                .zip(row.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// A valid signup for `email` with `source`.
fn signup_from(email: &str, source: Value) -> String {
    let mut body: Value = serde_json::from_str(&signup(email, &demo_policy())).unwrap();
    body["source"] = source;
    body.to_string()
}

#[test]
fn a_json_signups_source_is_exported_sent_in_webhooks_shown_and_erased() {
    let dir = TempDir::new("source");
    let db = dir.0.join("test.db");
    let log = dir.0.join("sink.jsonl");
    let sink = Receiver::sink(0, &[KEY_A], &log, [0, 0, 0]);
    let secret_file = dir.0.join("whsec");
    std::fs::write(&secret_file, KEY_A).unwrap();
    let url = format!("http://127.0.0.1:{}/hooks", sink.port);
    let args = [
        "--webhook",
        &url,
        "--webhook-secret-file",
        secret_file.to_str().unwrap(),
    ];
    let server = Spawned::start_with(&db, &dir.0, &args, &[]);

    let first = json!({
        "path": "/spring/offer?utm_source=newsletter&email=ani%40example.org#form",
        "utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "spring",
        "utm_term": "ani@example.org", "form_id": "footer"
    });
    let r = submit(server.addr, &signup_from("ani@example.org", first));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["contact"]["source"]["path"], "/spring/offer");
    // The same person again from an ad: the latest touch changes, the first stays.
    let again = json!({ "path": "/pricing", "utm_source": "ads", "utm_campaign": "retarget" });
    let r = submit(server.addr, &signup_from("ani@example.org", again));
    assert_eq!(r.status, 200, "{}", r.text());
    // A signup without a source keeps what was recorded.
    let r = submit(server.addr, &signup("ani@example.org", &demo_policy()));
    assert_eq!(r.status, 200, "{}", r.text());

    // Refusals: a key a source does not have, a value that is not a string, a source that is
    // not an object. Nothing is stored for them.
    for (source, code) in [
        (
            json!({ "path": "/", "utm_id": "x" }),
            "submission.unknown_field",
        ),
        (json!({ "utm_source": 5 }), "submission.malformed"),
        (json!("/spring"), "submission.malformed"),
    ] {
        let r = submit(server.addr, &signup_from("bad@example.org", source));
        assert_eq!((r.status, r.code()), (400, code.to_owned()), "{}", r.text());
    }
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM contacts WHERE email = 'bad@example.org'"
        ),
        0
    );
    // Attribution is not consent evidence: the chained events have no field for it, and the
    // chain stays intact while it is written beside them.
    let (intact, why) = consent_log_verify(&db);
    assert!(intact, "{why}");

    let rows = export_csv(&db);
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    let want = [
        ("source_path", "/spring/offer"),
        ("utm_source", "newsletter"),
        ("utm_medium", "email"),
        ("utm_campaign", "spring"),
        ("utm_term", ""),
        ("utm_content", ""),
        ("form_id", "footer"),
        ("last_source_path", "/pricing"),
        ("last_utm_source", "ads"),
        ("last_utm_campaign", "retarget"),
        ("last_form_id", ""),
    ];
    for (column, value) in want {
        assert_eq!(row[column], value, "column {column}");
    }
    let ndjson = run(&["export", "--db", db.to_str().unwrap(), "--format", "ndjson"]);
    let line: Value = serde_json::from_str(ndjson.lines().next().unwrap()).unwrap();
    assert_eq!(line["source"]["first"]["utm_campaign"], "spring");
    assert_eq!(line["source"]["last"]["utm_source"], "ads");
    assert!(line["source"]["first"]["at"].is_string());

    let access = run(&[
        "access",
        "--db",
        db.to_str().unwrap(),
        "--email",
        "ani@example.org",
    ]);
    let access: Value = serde_json::from_str(&access).unwrap();
    assert_eq!(
        access["contacts"][0]["source"]["first"]["path"],
        "/spring/offer"
    );

    wait_until("the three events arrived", Duration::from_secs(30), || {
        deliveries(&log).len() >= 3
    });
    let got = deliveries(&log);
    let body = |kind: &str| -> Value {
        got.iter()
            .map(|d| serde_json::from_str::<Value>(d["body"].as_str().unwrap()).unwrap())
            .find(|b| b["type"] == kind)
            .unwrap_or_else(|| panic!("no {kind} in {got:?}"))
    };
    let created = body("contact.created");
    assert_eq!(
        created["data"]["source"]["first"]["utm_source"],
        "newsletter"
    );
    assert_eq!(created["data"]["source"]["first"]["form_id"], "footer");
    let updated = body("contact.updated");
    assert_eq!(updated["data"]["source"]["last"]["utm_source"], "ads");
    assert_eq!(
        updated["data"]["source"]["first"]["utm_source"],
        "newsletter"
    );

    run(&[
        "erase",
        "--db",
        db.to_str().unwrap(),
        "--email",
        "ani@example.org",
    ]);
    assert_eq!(count(&db, "SELECT count(*) FROM attribution"), 0);
    wait_until("contact.erased arrived", Duration::from_secs(30), || {
        deliveries(&log)
            .iter()
            .any(|d| d["body"].as_str().unwrap().contains("contact.erased"))
    });
    let erased = deliveries(&log)
        .into_iter()
        .find(|d| d["body"].as_str().unwrap().contains("contact.erased"))
        .unwrap();
    let erased = erased["body"].as_str().unwrap();
    assert!(!erased.contains("source"), "{erased}");
    assert!(!erased.contains("spring"), "{erased}");
    drop(server);
}

#[test]
fn the_page_carries_its_source_into_a_plain_form_post() {
    let dir = TempDir::new("source-form");
    let db = dir.0.join("test.db");
    let www = dir.0.join("www");
    std::fs::create_dir_all(&www).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("www/index.html"), www.join("index.html")).unwrap();
    let server = Spawned::start(&db, &dir.0);

    let page = request(
        server.addr,
        "GET",
        "/?utm_source=newsletter&utm_campaign=spring&email=ani%40example.org&ref=x",
        &[],
        b"",
    )
    .text();
    // Only the UTM keys of the address, and the page's own form id.
    let hidden = |name: &str| hidden_value(&page, name);
    assert_eq!(hidden("source.path").as_deref(), Some("/"));
    assert_eq!(hidden("source.utm_source").as_deref(), Some("newsletter"));
    assert_eq!(hidden("source.utm_campaign").as_deref(), Some("spring"));
    assert_eq!(hidden("source.form_id").as_deref(), Some("demo-landing"));
    assert!(!page.contains("name=\"source.email\""));
    assert!(!page.contains("ani%40example.org") && !page.contains("ani@example.org"));

    let policy = demo_policy();
    let hash = policy.text_hash("newsletter", "en").unwrap();
    let stamp = hidden("sg_t").unwrap();
    let mut form = format!(
        "email=sari%40example.org&given_name=Sari&country=ID&locale=en&consent=newsletter\
         &consent_shown.newsletter={hash}&policy_id={}&policy_version={}&sg_hp=&sg_t={stamp}",
        policy.id, policy.version
    );
    for key in ["path", "utm_source", "utm_campaign", "form_id"] {
        let value = hidden(&format!("source.{key}")).unwrap();
        form.push_str(&format!("&source.{key}={}", value.replace('/', "%2F")));
    }
    let post = |body: &str| {
        request(
            server.addr,
            "POST",
            "/v1/submissions",
            &[("content-type", "application/x-www-form-urlencoded")],
            body.as_bytes(),
        )
    };
    let r = post(&form);
    assert!(
        r.status == 200 || r.status == 303,
        "{} {}",
        r.status,
        r.text()
    );
    let rows = export_csv(&db);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["source_path"], "/");
    assert_eq!(rows[0]["utm_source"], "newsletter");
    assert_eq!(rows[0]["utm_campaign"], "spring");
    assert_eq!(rows[0]["form_id"], "demo-landing");

    // A field a source does not have is refused like any unknown field.
    let r = post(&form.replace("source.utm_source", "source.utm_id"));
    assert_eq!(r.status, 400);
    let why = "data-code=\"submission.unknown_field\">The form sent something unexpected (“source.utm_id”)";
    assert!(r.text().contains(why), "{}", r.text());
}

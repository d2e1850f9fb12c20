//! Fields the form owner defines (issue 16, point 2) through the real server on 127.0.0.1 and
//! its real SQLite file: the demo policy's `company` (text) and `interests` (select) rendered in
//! the no-JavaScript form, posted as JSON and as a plain form, refused with the core's codes,
//! stored as the `custom` JSON column (merged on a re-signup, cleared on erasure), exported as
//! `custom_<id>` CSV columns and an NDJSON object, shown by `access`, and sent to a webhook
//! endpoint only when its `include` asks for `custom`.
#![cfg(feature = "server")]

mod server_support;

use serde_json::{json, Value};
use server_support::*;
use signup_guard::server::WebhookEndpoint;

const TEST_SECRET: &str = "test secret, 32 bytes long......";

/// A signup of `email` with these custom values (JSON), granting nothing.
fn with_custom(email: &str, custom: Value) -> String {
    json!({"email": email, "given_name": "Jane", "country": "ID", "locale": "en", "custom": custom})
        .to_string()
}

fn stored(server: &TestServer, email: &str) -> Option<String> {
    server
        .sql()
        .query_row(
            "SELECT custom FROM contacts WHERE email = ?1",
            [email],
            |r| r.get(0),
        )
        .unwrap()
}

fn cli_out(args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(binary())
        .args(args)
        .env("SIGNUP_GUARD_SECRET", TEST_SECRET)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn custom_values_are_checked_stored_merged_exported_shown_and_erased() {
    let server = TestServer::start(|_| {});
    let r = server.post_json(
        "/v1/submissions",
        &with_custom(
            "jane@example.org",
            json!({"company": "  Acme   Ltd ", "interests": "events"}),
        ),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let row: Value = serde_json::from_str(&stored(&server, "jane@example.org").unwrap()).unwrap();
    assert_eq!(row, json!({"company": "Acme Ltd", "interests": "events"}));

    // A refusal stores nothing and names the field's code; an undefined key stays refused.
    let bad = server.post_json(
        "/v1/submissions",
        &with_custom("bob@example.org", json!({"interests": "golf"})),
    );
    assert_eq!(bad.status, 422, "{}", bad.text());
    let issue = &bad.json()["issues"][0];
    assert_eq!(
        (&issue["code"], &issue["field"], &issue["params"]["field"]),
        (
            &json!("custom.not_an_option"),
            &json!("custom"),
            &json!("interests")
        )
    );
    let unknown = server.post_json(
        "/v1/submissions",
        &with_custom("bob@example.org", json!({"shoe_size": "42"})),
    );
    assert_eq!(unknown.status, 422);
    assert_eq!(
        unknown.json()["issues"][0]["code"],
        "submission.unknown_field"
    );
    assert_eq!(
        server.count("SELECT count(*) FROM contacts WHERE email = 'bob@example.org'"),
        0
    );

    // A re-signup changes what it sends and keeps the rest.
    let again = server.post_json(
        "/v1/submissions",
        &with_custom("jane@example.org", json!({"interests": "offers"})),
    );
    assert_eq!(again.status, 200, "{}", again.text());
    let row: Value = serde_json::from_str(&stored(&server, "jane@example.org").unwrap()).unwrap();
    assert_eq!(row, json!({"company": "Acme Ltd", "interests": "offers"}));
    // A signup without custom values stores none (NULL, not "{}").
    let plain = server.post_json(
        "/v1/submissions",
        &signup("sam@example.org", &demo_policy()),
    );
    assert_eq!(plain.status, 201);
    assert_eq!(stored(&server, "sam@example.org"), None);

    // The column refuses anything but a JSON object, whoever writes it.
    let forged = server.sql().execute(
        "UPDATE contacts SET custom = 'not json' WHERE email = 'sam@example.org'",
        [],
    );
    assert!(forged.is_err(), "the CHECK constraint holds");

    let db = server.db.to_str().unwrap().to_owned();
    let (code, csv, err) = cli_out(&["export", "--db", &db]);
    assert_eq!(code, Some(0), "{err}");
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(str::to_owned).collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let (company, interests) = (col("custom_company"), col("custom_interests"));
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let jane = records
        .iter()
        .find(|r| &r[col("email")] == "jane@example.org")
        .unwrap();
    assert_eq!((&jane[company], &jane[interests]), ("Acme Ltd", "offers"));
    let sam = records
        .iter()
        .find(|r| &r[col("email")] == "sam@example.org")
        .unwrap();
    assert_eq!((&sam[company], &sam[interests]), ("", ""));

    let (_, ndjson, _) = cli_out(&["export", "--db", &db, "--format", "ndjson"]);
    let lines: Vec<Value> = ndjson
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let jane = lines
        .iter()
        .find(|l| l["email"] == "jane@example.org")
        .unwrap();
    assert_eq!(
        jane["custom"],
        json!({"company": "Acme Ltd", "interests": "offers"})
    );
    let sam = lines
        .iter()
        .find(|l| l["email"] == "sam@example.org")
        .unwrap();
    assert!(sam.get("custom").is_none(), "no empty object: {sam}");

    let (code, access, err) = cli_out(&["access", "--db", &db, "--email", "jane@example.org"]);
    assert_eq!(code, Some(0), "{err}");
    let report: Value = serde_json::from_str(&access).unwrap();
    assert_eq!(report["contacts"][0]["custom"]["company"], "Acme Ltd");

    let (code, _, err) = cli_out(&["erase", "--db", &db, "--email", "jane@example.org"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        server.count("SELECT count(*) FROM contacts WHERE custom LIKE '%Acme%'"),
        0,
        "erasure clears the custom values too"
    );
}

#[test]
fn the_plain_form_renders_the_policys_fields_and_posts_them() {
    let server = TestServer::start(|_| {});
    let page = server.get("/?lang=ar").text();
    assert!(
        page.contains("<label for=\"sg-custom-company\">الشركة</label>"),
        "{page}"
    );
    assert!(page.contains("aria-describedby=\"sg-custom-company-help\""));
    assert!(page.contains("<option value=\"events\">الفعاليات</option>"));
    let stamp = hidden_value(&page, "sg_t").unwrap();
    let body = format!(
        "email=rana%40example.org&given_name=Rana&country=SA&locale=ar&policy_id=acme-news\
         &policy_version=3&custom.company=Noor&custom.interests=product&sg_hp=&sg_t={stamp}"
    );
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let r = server.request("POST", "/v1/submissions", &form, body.as_bytes());
    assert!(r.status < 400, "{} {}", r.status, r.text());
    let row: Value = serde_json::from_str(&stored(&server, "rana@example.org").unwrap()).unwrap();
    assert_eq!(row, json!({"company": "Noor", "interests": "product"}));
}

#[test]
fn webhooks_carry_custom_values_only_to_an_endpoint_that_includes_them() {
    let dir = TempDir::new("custom-hooks");
    let (log_with, log_without) = (dir.0.join("with.jsonl"), dir.0.join("without.jsonl"));
    let with = Receiver::sink(0, &[KEY_A], &log_with, [0, 0, 0]);
    let without = Receiver::sink(0, &[KEY_A], &log_without, [0, 0, 0]);
    let endpoint = |port: u16, include: Vec<String>| WebhookEndpoint {
        url: format!("http://127.0.0.1:{port}/"),
        secrets: vec![KEY_A.into()],
        events: vec!["contact.created".into(), "contact.updated".into()],
        include,
    };
    let server = TestServer::start(|c| {
        c.webhooks.endpoints = vec![
            endpoint(with.port, vec!["custom".into()]),
            endpoint(without.port, Vec::new()),
        ];
    });
    let r = server.post_json(
        "/v1/submissions",
        &with_custom("lee@example.org", json!({"company": "Acme"})),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let limit = std::time::Duration::from_secs(30);
    wait_until("both endpoints get the event", limit, || {
        deliveries(&log_with).len() == 1 && deliveries(&log_without).len() == 1
    });
    let data = |log| -> Value {
        let d = &deliveries(log)[0];
        serde_json::from_str::<Value>(d["body"].as_str().unwrap()).unwrap()["data"].clone()
    };
    assert_eq!(data(&log_with)["custom"], json!({"company": "Acme"}));
    assert!(
        data(&log_without).get("custom").is_none(),
        "{}",
        data(&log_without)
    );

    // A re-signup that changes only a custom value is a `contact.updated`.
    let r = server.post_json(
        "/v1/submissions",
        &with_custom("lee@example.org", json!({"company": "Acme Labs"})),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    wait_until("the update arrives", limit, || {
        deliveries(&log_with).len() == 2 && deliveries(&log_without).len() == 2
    });
    let second: Value =
        serde_json::from_str(deliveries(&log_with)[1]["body"].as_str().unwrap()).unwrap();
    assert_eq!(second["type"], "contact.updated");
    assert_eq!(second["data"]["custom"]["company"], "Acme Labs");
}

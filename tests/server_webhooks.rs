//! Signed webhooks over real HTTP (issue 16, point 1): the real `signup-guard serve` binary on a
//! real SQLite file posts every contact event to receivers on 127.0.0.1 that verify each
//! signature with the Standard Webhooks reference library (PyPI `standardwebhooks`), through
//! 500s, a dropped connection, a receiver that is down while the server is SIGKILLed and
//! restarted, and an erasure from another process; dead letters, `webhooks list|retry|replay`;
//! double opt-in's events and an endpoint's extra fields.

mod server_support;

use serde_json::Value;
use server_support::*;
use signup_guard::clock::Clock;
use signup_guard::server::WebhookEndpoint;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

#[test]
fn every_event_arrives_signed_in_order_through_failures_a_down_receiver_and_a_sigkill() {
    let dir = TempDir::new("webhooks");
    let db = dir.0.join("test.db");
    // The sink's two lives log apart (each counts its requests from 1).
    let log = dir.0.join("sink.jsonl");
    let log2 = dir.0.join("sink-again.jsonl");
    let port = free_port();
    // The first three posts get 500, the fifth's connection is closed without an answer, the
    // sixth is refused (409): that event waits, and so do its contact's later ones.
    let sink = Receiver::sink(port, &[KEY_A, KEY_B], &log, [3, 5, 6]);
    let example = Receiver::example(KEY_C);
    let sink_url = format!("http://127.0.0.1:{port}/hooks");
    let example_url = format!("http://127.0.0.1:{}/", example.port);
    let config = dir.0.join("config.json");
    let filter = ["consent.granted", "consent.withdrawn", "contact.erased"];
    std::fs::write(
        &config,
        serde_json::json!({ "webhooks": [
            { "url": sink_url, "secrets": [KEY_A, KEY_B] },
            { "url": example_url, "secrets": [KEY_C], "events": filter },
        ]})
        .to_string(),
    )
    .unwrap();
    let args = [
        "--config",
        config.to_str().unwrap(),
        "--webhook-retry-ms",
        "50",
        // A post cut short by the SIGKILL is posted again after this lease.
        "--webhook-lease-ms",
        "2000",
    ];
    let policy = demo_policy();
    let server = Spawned::start_with(&db, &dir.0, &args, &[]);

    let ana = submit(server.addr, &signup("ana@example.org", &policy));
    assert_eq!(ana.status, 201, "{}", ana.text());
    let link = ana.json()["unsubscribe"]["newsletter"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = link.split("token=").nth(1).unwrap();
    let withdrawn = request(
        server.addr,
        "POST",
        "/v1/unsubscribe",
        &[("content-type", "application/x-www-form-urlencoded")],
        format!("token={token}").as_bytes(),
    );
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.text());
    assert_eq!(
        submit(server.addr, &signup("bea@example.org", &policy)).status,
        201
    );
    let renamed = signup("bea@example.org", &policy).replace("\"Jane\"", "\"Beatrix\"");
    assert_eq!(submit(server.addr, &renamed).status, 200);
    wait_until(
        "the sink's faults were met",
        Duration::from_secs(30),
        || deliveries(&log).iter().any(|d| d["n"].as_u64() >= Some(7)),
    );

    // The sink goes down: signups are still answered at once, their events wait.
    sink.kill();
    for email in ["cy@example.org", "di@example.org"] {
        assert_eq!(submit(server.addr, &signup(email, &policy)).status, 201);
    }
    let failing = format!(
        "SELECT count(*) FROM outbox WHERE endpoint = '{sink_url}' AND sent_at IS NULL
         AND last_error IS NOT NULL"
    );
    wait_until(
        "a post to the down sink failed",
        Duration::from_secs(30),
        || count(&db, &failing) > 0,
    );
    wait_until("the example heard of cy", Duration::from_secs(30), || {
        example
            .printed
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("cy@"))
    });
    // SIGKILL while the sink is down, then a restart (the sink still down), one more signup,
    // and an erasure from another process.
    drop(server);
    let server = Spawned::start_with(&db, &dir.0, &args, &[]);
    assert_eq!(
        submit(server.addr, &signup("eve@example.org", &policy)).status,
        201
    );
    let erased = cli(&[
        "erase",
        "--email",
        "cy@example.org",
        "--db",
        db.to_str().unwrap(),
    ]);
    assert!(erased.status.success(), "{erased:?}");
    let _sink = Receiver::sink(port, &[KEY_A, KEY_B], &log2, [0, 0, 0]);
    wait_until("every event is delivered", Duration::from_secs(90), || {
        count(
            &db,
            "SELECT count(*) FROM outbox WHERE kind = 'webhook' AND sent_at IS NULL",
        ) == 0
    });

    let first_life = deliveries(&log);
    let ns: Vec<u64> = first_life
        .iter()
        .map(|d| d["n"].as_u64().unwrap())
        .collect();
    assert_eq!(
        ns.first(),
        Some(&4),
        "the first three posts were answered 500"
    );
    assert!(
        !ns.contains(&5) && !ns.contains(&6),
        "the fifth was dropped, the sixth refused"
    );
    let mut got = first_life;
    got.extend(deliveries(&log2));
    let bad: Vec<&Value> = got.iter().filter(|d| d.get("bad").is_some()).collect();
    assert!(bad.is_empty(), "signatures the library refused: {bad:?}");
    let queued = rows(&db, &sink_url);
    let queued_ids: HashSet<&str> = queued.iter().map(|(id, _, _)| id.as_str()).collect();
    let got_ids: HashSet<&str> = got.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(
        got_ids, queued_ids,
        "every queued event arrived, nothing else"
    );
    // Duplicates only with the same webhook-id: one body per id, one id per body.
    let mut body_of: HashMap<&str, &str> = HashMap::new();
    for d in &got {
        let body = d["body"].as_str().unwrap();
        let first = body_of.entry(d["id"].as_str().unwrap()).or_insert(body);
        assert_eq!(*first, body, "a redelivery is the same event");
    }
    let bodies: HashSet<&&str> = body_of.values().collect();
    assert_eq!(
        bodies.len(),
        body_of.len(),
        "no event sent twice under two ids"
    );
    // Each contact's events arrived in the order they were queued.
    let mut arrived: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut seen = HashSet::new();
    for d in &got {
        let id = d["id"].as_str().unwrap();
        if seen.insert(id) {
            let body: Value = serde_json::from_str(d["body"].as_str().unwrap()).unwrap();
            let contact = body["data"]["contact"].as_str().unwrap().to_owned();
            arrived.entry(contact).or_default().push(id);
        }
    }
    let mut expected: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (id, body, _) in &queued {
        let contact = body["data"]["contact"].as_str().unwrap().to_owned();
        expected.entry(contact).or_default().push(id.as_str());
    }
    assert_eq!(arrived, expected, "order per contact");

    // What each change produced, and what a payload holds.
    let created_granted = ["contact.created", "consent.granted"];
    let mut ana_kinds = created_granted.to_vec();
    ana_kinds.push("consent.withdrawn");
    assert_eq!(kinds_for(&queued, "ana@example.org"), ana_kinds);
    let mut bea_kinds = created_granted.to_vec();
    bea_kinds.push("contact.updated");
    assert_eq!(kinds_for(&queued, "bea@example.org"), bea_kinds);
    assert_eq!(kinds_for(&queued, "di@example.org"), created_granted);
    assert_eq!(kinds_for(&queued, "eve@example.org"), created_granted);
    let (_, erasure, _) = queued
        .iter()
        .find(|(_, b, _)| b["type"] == "contact.erased")
        .expect("contact.erased was queued");
    let data = erasure["data"].as_object().unwrap();
    assert_eq!(data.keys().collect::<Vec<_>>(), ["contact"], "{erasure}");
    assert!(!erasure.to_string().contains("cy@"), "{erasure}");
    let withdrawal = &queued
        .iter()
        .find(|(_, b, _)| b["type"] == "consent.withdrawn")
        .unwrap()
        .1;
    assert_eq!(withdrawal["data"]["purpose"], "newsletter");
    assert_eq!(withdrawal["data"]["consent"]["newsletter"], "withdrawn");
    assert_eq!(withdrawal["data"]["phone"], Value::Null);
    assert!(
        withdrawal["data"].get("given_name").is_none(),
        "names only when an endpoint asks: {withdrawal}"
    );

    // The second endpoint got only the events its filter names, and the README's recipe made
    // one mailing-tool call per change despite redeliveries.
    let example_rows = rows(&db, &example_url);
    assert!(example_rows
        .iter()
        .all(|(_, b, _)| filter.contains(&b["type"].as_str().unwrap())));
    let want: HashSet<String> = [
        r#"add_contact {"email": "ana@example.org", "list": "newsletter"}"#,
        r#"unsubscribe {"email": "ana@example.org", "list": "newsletter"}"#,
        r#"add_contact {"email": "bea@example.org", "list": "newsletter"}"#,
        r#"add_contact {"email": "cy@example.org", "list": "newsletter"}"#,
        r#"delete_contact {"email": "cy@example.org"}"#,
        r#"add_contact {"email": "di@example.org", "list": "newsletter"}"#,
        r#"add_contact {"email": "eve@example.org", "list": "newsletter"}"#,
    ]
    .map(str::to_owned)
    .into();
    wait_until(
        "the example made every call",
        Duration::from_secs(30),
        || example.printed.lock().unwrap().len() >= want.len(),
    );
    let printed = example.printed.lock().unwrap().clone();
    assert_eq!(printed.len(), want.len(), "{printed:#?}");
    assert_eq!(printed.into_iter().collect::<HashSet<_>>(), want);
    drop(server);
}

#[test]
fn a_dead_letter_is_listed_retried_and_a_delivered_event_replayed_with_its_id() {
    let dir = TempDir::new("webhooks-cli");
    let db = dir.0.join("test.db");
    let db_arg = db.to_str().unwrap();
    let secret_file = dir.0.join("secret.txt");
    std::fs::write(&secret_file, format!("{KEY_A}\n")).unwrap();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/");
    // A webhook without its secret is refused before anything starts.
    let refused = cli(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--db",
        db_arg,
        "--webhook",
        &url,
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--webhook-secret-file"));
    let args = [
        "--webhook",
        &url,
        "--webhook-secret-file",
        secret_file.to_str().unwrap(),
        "--webhook-retry-ms",
        "20",
        "--webhook-give-up-ms",
        "200",
    ];
    let server = Spawned::start_with(&db, &dir.0, &args, &[]);
    let r = submit(server.addr, &signup("dewi@example.org", &demo_policy()));
    assert_eq!(r.status, 201);
    wait_until(
        "both events are dead letters",
        Duration::from_secs(30),
        || count(&db, "SELECT count(*) FROM outbox WHERE dead_at IS NOT NULL") == 2,
    );
    let listed = cli(&["webhooks", "list", "--db", db_arg]);
    assert!(listed.status.success(), "{listed:?}");
    let text = String::from_utf8(listed.stdout).unwrap();
    assert!(
        !text.contains("dewi"),
        "no personal data in the list: {text}"
    );
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(lines[0]["type"], "contact.created");
    assert_eq!(lines[1]["type"], "consent.granted");
    for l in &lines {
        assert_eq!(l["state"], "dead", "{l}");
        assert_eq!(l["endpoint"], url.as_str());
        assert!(l["attempts"].as_u64().unwrap() > 1, "{l}");
        assert!(!l["last_error"].as_str().unwrap().is_empty(), "{l}");
    }

    let log = dir.0.join("sink.jsonl");
    let _sink = Receiver::sink(port, &[KEY_A], &log, [0, 0, 0]);
    let retried = cli(&["webhooks", "retry", "--db", db_arg]);
    assert!(
        String::from_utf8_lossy(&retried.stdout).starts_with("2 "),
        "{retried:?}"
    );
    wait_until(
        "the retried events arrived",
        Duration::from_secs(30),
        || deliveries(&log).len() == 2,
    );
    let since = lines[0]["created_at"].as_str().unwrap();
    let replayed = cli(&["webhooks", "replay", "--since", since, "--db", db_arg]);
    assert!(
        String::from_utf8_lossy(&replayed.stdout).starts_with("2 "),
        "{replayed:?}"
    );
    wait_until(
        "the replayed events arrived",
        Duration::from_secs(30),
        || deliveries(&log).len() == 4,
    );
    let got = deliveries(&log);
    assert!(got.iter().all(|d| d.get("bad").is_none()), "{got:?}");
    let ids: Vec<&str> = got.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids[..2],
        ids[2..],
        "a replay keeps each webhook-id, in order"
    );
    assert_eq!(ids[0], lines[0]["event_id"]);
    assert_eq!(got[0]["body"], got[2]["body"]);
    let bad_since = cli(&["webhooks", "replay", "--since", "yesterday", "--db", db_arg]);
    assert_eq!(bad_since.status.code(), Some(2));
    drop(server);
}

#[test]
fn without_endpoints_a_signup_queues_no_webhook() {
    let server = TestServer::start(|_| {});
    let r = server.post_json(
        "/v1/submissions",
        &signup("budi@example.org", &demo_policy()),
    );
    assert_eq!(r.status, 201);
    assert_eq!(
        server.count("SELECT count(*) FROM outbox WHERE kind = 'webhook'"),
        0
    );
    assert_eq!(server.count("SELECT count(*) FROM webhook_endpoints"), 0);
}

#[test]
fn double_opt_in_sends_created_pending_then_confirmed_and_granted_with_the_fields_asked_for() {
    let dir = TempDir::new("webhooks-optin");
    let mail = MailSink::start(&dir.0, 0);
    let log = dir.0.join("sink.jsonl");
    let sink = Receiver::sink(0, &[KEY_A], &log, [0, 0, 0]);
    let clock = Clock::fixed(Clock::system().unix_ms());
    let server = optin::start(&mail.url(), &clock, |c| {
        c.webhooks.endpoints = vec![WebhookEndpoint {
            url: format!("http://127.0.0.1:{}/", sink.port),
            secrets: vec![KEY_A.into()],
            events: Vec::new(),
            include: vec!["name".into(), "country".into()],
        }];
    });
    let r = server.post_json(
        "/v1/submissions",
        &optin::signup("sari@example.org", "Sari", "id"),
    );
    assert_eq!(r.status, 202, "{}", r.text());
    wait_until("the mail arrives", optin::LIMIT, || mail.mails().len() == 1);
    let token = optin::token_of(&optin::link_of(&mail.mails()[0])).to_owned();
    assert_eq!(optin::post_token(&server, &token).status, 200);
    wait_until("three events arrive", optin::LIMIT, || {
        deliveries(&log).len() == 3
    });
    let events: Vec<Value> = deliveries(&log)
        .iter()
        .map(|d| serde_json::from_str(d["body"].as_str().unwrap()).unwrap())
        .collect();
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["contact.created", "contact.confirmed", "consent.granted"]
    );
    let created = &events[0]["data"];
    assert_eq!(created["confirmation"], "pending");
    assert_eq!(created["consent"]["newsletter"], "pending");
    assert_eq!(
        (&created["given_name"], &created["country"]),
        (&Value::from("Sari"), &Value::from("ID")),
        "the fields this endpoint asked for: {created}"
    );
    let granted = &events[2]["data"];
    assert_eq!(granted["confirmation"], "confirmed");
    assert_eq!(granted["consent"]["newsletter"], "granted");
    assert_eq!(granted["purpose"], "newsletter");
    assert_eq!(granted["email"], "sari@example.org");
}

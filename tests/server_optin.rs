//! Double opt-in (issue 15, point 1) over real HTTP, a real SQLite file and a real SMTP server
//! process on 127.0.0.1 (`scripts/mail-sink.py`, PyPI `aiosmtpd`): the mail that arrives (headers,
//! parts, localized, no name inside), its link (a GET changes nothing, the POST confirms), grants
//! active only after, the chain intact; the limits; a relay that is down; a SIGKILL between
//! commit and send; unconfirmed contacts erased after `confirm_within_days`.
#![cfg(feature = "server")]

#[path = "server_support/mod.rs"]
mod support;

use signup_guard::clock::Clock;
use std::time::Duration;
use support::optin::{
    export, link_of, optin_policy, post_token, signup, start, status, token_of, FROM, LIMIT, PUBLIC,
};
use support::{free_port, wait_until, MailSink, Spawned, TempDir};

#[test]
fn a_signup_counts_only_once_the_mailed_link_is_confirmed_by_post() {
    let mail_dir = TempDir::new("optin-mail");
    let sink = MailSink::start(&mail_dir.0, 0);
    let clock = Clock::fixed(Clock::system().unix_ms());
    let server = start(&sink.url(), &clock, |_| {});
    let answer = server.post_json(
        "/v1/submissions",
        &signup("zed@example.org", "Zebulon", "en"),
    );
    assert_eq!(answer.status, 202, "{}", answer.text());
    let body = answer.json();
    assert_eq!(body["status"], "confirmation_pending");
    assert!(
        body.get("unsubscribe").is_none(),
        "no links before confirmation"
    );
    assert_eq!(status(&server.db, "zed@example.org"), Some("pending"));

    wait_until("the mail arrives", LIMIT, || sink.mails().len() == 1);
    let mail = &sink.mails()[0];
    assert_eq!(mail["rcpt_to"], serde_json::json!(["zed@example.org"]));
    assert_eq!(mail["headers"]["To"], "zed@example.org");
    assert_eq!(mail["headers"]["From"], FROM);
    assert!(mail["headers"]["Subject"]
        .as_str()
        .unwrap()
        .contains("confirm"));
    assert!(mail["headers"]["Message-ID"]
        .as_str()
        .unwrap()
        .ends_with("@acme.example>"));
    assert_eq!(mail["content_type"], "multipart/alternative");
    let types: Vec<&str> = (0..2)
        .map(|i| mail["parts"][i]["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["text/plain", "text/html"]);
    let html = mail["parts"][1]["text"].as_str().unwrap();
    assert!(
        html.contains("dir=\"ltr\"") && html.contains("Monthly newsletter"),
        "{html}"
    );
    // Nothing typed but the address: a name field cannot carry spam into our mail.
    let raw = std::fs::read_to_string(mail_dir.0.join("0001.eml")).unwrap();
    assert!(!mail.to_string().contains("Zebulon") && !raw.contains("Zebulon"));

    let link = link_of(mail);
    let page = server.get(&link);
    assert_eq!(page.status, 200);
    assert!(page
        .text()
        .contains("<form method=\"post\" action=\"/v1/confirm"));
    assert_eq!(
        status(&server.db, "zed@example.org"),
        Some("pending"),
        "a GET (a mail scanner) confirms nothing"
    );

    clock.advance(Duration::from_secs(3600));
    let done = post_token(&server, token_of(&link));
    assert_eq!(done.status, 200, "{}", done.text());
    assert!(done.text().contains("Your subscription is confirmed"));
    assert_eq!(status(&server.db, "zed@example.org"), Some("granted"));
    let again = post_token(&server, token_of(&link));
    assert!(
        again.text().contains("already confirmed"),
        "{}",
        again.text()
    );

    let conn = server.sql();
    let events: Vec<(String, String, Option<String>)> = conn
        .prepare("SELECT action, method, text_hash FROM consent_events ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let shown = optin_policy().text_hash("newsletter", "en");
    assert_eq!(
        events,
        [
            ("request".into(), "api".into(), shown.clone()),
            ("grant".into(), "double_opt_in".into(), shown),
        ]
    );
    let (ok, said) = support::consent_log_verify(&server.db);
    assert!(ok, "{said}");

    // A Persian signup gets a Persian, right-to-left mail.
    let fa = server.post_json(
        "/v1/submissions",
        &signup("zahra@example.org", "زهرا", "fa"),
    );
    assert_eq!(fa.status, 202);
    wait_until("the Persian mail", LIMIT, || sink.mails().len() == 2);
    let mail = &sink.mails()[1];
    assert!(mail["headers"]["Subject"]
        .as_str()
        .unwrap()
        .contains("تأیید"));
    assert!(mail["parts"][1]["text"]
        .as_str()
        .unwrap()
        .contains("dir=\"rtl\""));
    assert!(!mail.to_string().contains("زهرا"));
}

#[test]
fn repeat_signups_answer_alike_and_mail_within_the_limits() {
    let mail_dir = TempDir::new("optin-limits");
    let sink = MailSink::start(&mail_dir.0, 0);
    let clock = Clock::fixed(Clock::system().unix_ms());
    let server = start(&sink.url(), &clock, |_| {});
    let body = signup("ann@example.org", "Ann", "en");
    let first = server.post_json("/v1/submissions", &body);
    assert_eq!(first.status, 202);
    let queued = || server.count("SELECT count(*) FROM outbox");
    assert_eq!(queued(), 1);
    // Pending, asked again at once: the same answer, no second mail within 10 minutes...
    let again = server.post_json("/v1/submissions", &body);
    assert_eq!((again.status, again.text()), (first.status, first.text()));
    assert_eq!(queued(), 1);
    // ...then one per 10 minutes, three a day.
    for expected in [2, 3, 3] {
        clock.advance(Duration::from_secs(11 * 60));
        assert_eq!(server.post_json("/v1/submissions", &body).status, 202);
        assert_eq!(queued(), expected);
    }
    wait_until("three mails", LIMIT, || sink.mails().len() == 3);
    let link = link_of(&sink.mails()[2]);
    assert_eq!(post_token(&server, token_of(&link)).status, 200);

    // A confirmed address signed up again, a day later: the same answer as a new one, no mail.
    clock.advance(Duration::from_secs(86_400));
    let known = server.post_json("/v1/submissions", &body);
    assert_eq!((known.status, known.text()), (first.status, first.text()));
    assert_eq!(queued(), 3);
    assert_eq!(status(&server.db, "ann@example.org"), Some("granted"));
}

#[test]
fn one_client_cannot_mail_many_addresses() {
    let mail_dir = TempDir::new("optin-client");
    let sink = MailSink::start(&mail_dir.0, 0);
    let clock = Clock::fixed(Clock::system().unix_ms());
    let server = start(&sink.url(), &clock, |c| c.mail_per_client_hour = 3);
    for n in 0..5 {
        let body = signup(&format!("victim{n}@example.org"), "V", "en");
        let answer = server.post_json("/v1/submissions", &body);
        assert_eq!(
            answer.status,
            202,
            "stored and answered alike: {}",
            answer.text()
        );
    }
    assert_eq!(server.count("SELECT count(*) FROM contacts"), 5);
    assert_eq!(server.count("SELECT count(*) FROM outbox"), 3);
    wait_until("three mails", LIMIT, || sink.mails().len() == 3);
}

#[test]
fn a_relay_that_is_down_gets_the_mail_later() {
    let port = free_port();
    let clock = Clock::fixed(Clock::system().unix_ms());
    let server = start(&format!("smtp://127.0.0.1:{port}"), &clock, |_| {});
    let answer = server.post_json("/v1/submissions", &signup("bo@example.org", "Bo", "id"));
    assert_eq!(answer.status, 202, "a signup never waits for the relay");
    wait_until("a failed attempt", LIMIT, || {
        server.count("SELECT count(*) FROM outbox WHERE attempts >= 1 AND last_error IS NOT NULL")
            == 1
    });
    assert_eq!(
        server.count("SELECT count(*) FROM outbox WHERE sent_at IS NULL"),
        1
    );
    let mail_dir = TempDir::new("optin-later");
    let sink = MailSink::start(&mail_dir.0, port);
    clock.advance(Duration::from_secs(60)); // past the backoff
    wait_until("the retried mail", LIMIT, || sink.mails().len() == 1);
    assert!(sink.mails()[0]["headers"]["Subject"]
        .as_str()
        .unwrap()
        .contains("Konfirmasikan"));
    wait_until("marked sent", LIMIT, || {
        server.count("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts >= 2") == 1
    });
}

#[test]
fn a_server_killed_between_commit_and_send_sends_the_mail_once_after_restart() {
    let dir = TempDir::new("optin-kill");
    let db = dir.0.join("optin.db");
    let policy = dir.0.join("policy.json");
    std::fs::write(&policy, serde_json::to_string(&optin_policy()).unwrap()).unwrap();
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let args = [
        "--policy",
        policy.to_str().unwrap(),
        "--smtp-url",
        &url,
        "--mail-from",
        FROM,
        "--public-url",
        PUBLIC,
        "--mail-retry-ms",
        "3000",
    ];
    let mut server = Spawned::start_with(&db, &dir.0, &args, &[]);
    let body = signup("kim@example.org", "Kim", "ar");
    let answer = support::submit(server.addr, &body);
    assert_eq!(answer.status, 202, "{}", answer.text());
    // The refusal recorded (not only the claim, which counts the attempt before it is made):
    // killed now, no attempt is in flight, so the restart need not wait out a lease.
    let failed = "SELECT count(*) FROM outbox
                  WHERE attempts >= 1 AND last_error IS NOT NULL AND sent_at IS NULL";
    wait_until("the relay refused", LIMIT, || {
        support::count(&db, failed) == 1
    });
    server.child.kill().unwrap(); // SIGKILL: the row is committed, the mail not sent
    server.child.wait().unwrap();

    let sink = MailSink::start(&dir.0.join("mail"), port);
    let restarted = Spawned::start_with(&db, &dir.0, &args, &[]);
    // Due again 3 s after the refusal (or, had the kill hit an attempt in flight, when its
    // 2-minute lease ends): either way it goes out once.
    let lease = Duration::from_secs(180);
    wait_until("the mail after restart", lease, || sink.mails().len() == 1);
    let sent = "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL";
    wait_until("marked sent", LIMIT, || support::count(&db, sent) == 1);
    // A few more sender turns: a sent row is never claimed again.
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(sink.mails().len(), 1, "exactly once");
    let mail = &sink.mails()[0];
    assert!(mail["parts"][1]["text"]
        .as_str()
        .unwrap()
        .contains("dir=\"rtl\""));
    let link = link_of(mail);
    let done = support::post_json(
        restarted.addr,
        "/v1/confirm",
        &format!("{{\"token\":\"{}\"}}", token_of(&link)),
    );
    assert_eq!(done.json()["status"], "confirmed", "{}", done.text());
    let (ok, said) = support::consent_log_verify(&db);
    assert!(ok, "{said}");
}

#[test]
fn contacts_never_confirmed_are_erased_after_confirm_within_days() {
    let mail_dir = TempDir::new("optin-expire");
    let sink = MailSink::start(&mail_dir.0, 0);
    let clock = Clock::fixed(Clock::system().unix_ms());
    let server = start(&sink.url(), &clock, |_| {});
    for email in ["kept@example.org", "gone@example.org"] {
        let answer = server.post_json("/v1/submissions", &signup(email, "P", "en"));
        assert_eq!(answer.status, 202);
    }
    wait_until("two mails", LIMIT, || sink.mails().len() == 2);
    let mails = sink.mails();
    let links: Vec<String> = mails.iter().map(link_of).collect();
    let to: Vec<&str> = mails
        .iter()
        .map(|m| m["headers"]["To"].as_str().unwrap())
        .collect();
    let kept = to.iter().position(|t| *t == "kept@example.org").unwrap();
    assert_eq!(post_token(&server, token_of(&links[kept])).status, 200);

    clock.advance(Duration::from_secs(6 * 86_400));
    std::thread::sleep(Duration::from_millis(1500)); // a sweep or two: nothing is due yet
    assert_eq!(status(&server.db, "gone@example.org"), Some("pending"));
    clock.advance(Duration::from_secs(86_400 + 60));
    let blanked = "SELECT count(*) FROM contacts WHERE email IS NULL AND given_name IS NULL";
    wait_until("the sweep erases it", LIMIT, || server.count(blanked) == 1);
    let rows = export(&server.db);
    assert!(rows.contains_key("kept@example.org") && !rows.contains_key("gone@example.org"));
    assert_eq!(
        server.count("SELECT count(*) FROM consent_events WHERE action = 'withdraw' AND method = 'unconfirmed'"),
        1
    );
    let (ok, said) = support::consent_log_verify(&server.db);
    assert!(ok, "{said}");
    let late = post_token(&server, token_of(&links[1 - kept]));
    assert_eq!(late.status, 400, "an erased contact's link is void");
}

#[test]
fn the_form_thanks_page_says_check_your_inbox_and_start_up_needs_a_relay() {
    let mail_dir = TempDir::new("optin-form");
    let sink = MailSink::start(&mail_dir.0, 0);
    let clock = Clock::fixed(Clock::system().unix_ms());
    let server = start(&sink.url(), &clock, |_| {});
    // A plain form post (no JavaScript), as the server's own page sends it.
    let stamp = server.get("/v1/form-token").json()["sg_t"]
        .as_str()
        .unwrap()
        .to_owned();
    let p = optin_policy();
    let form: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("email", "siti@example.org")
        .append_pair("given_name", "Siti")
        .append_pair("country", "ID")
        .append_pair("consent", "newsletter")
        .append_pair(
            "consent_shown.newsletter",
            &p.text_hash("newsletter", "id").unwrap(),
        )
        .append_pair("policy_id", &p.id)
        .append_pair("policy_version", &p.version)
        .append_pair("locale", "id")
        .append_pair("sg_hp", "")
        .append_pair("sg_t", &stamp)
        .finish();
    let posted = server.request(
        "POST",
        "/v1/submissions",
        &[("content-type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    );
    assert_eq!(posted.status, 303, "{}", posted.text());
    let thanks = server.get(posted.header("location").unwrap());
    assert!(
        thanks.text().contains("Periksa kotak masuk"),
        "{}",
        thanks.text()
    );
    wait_until("the form's mail", LIMIT, || sink.mails().len() == 1);
    assert_eq!(sink.mails()[0]["headers"]["To"], "siti@example.org");

    let dir = TempDir::new("optin-refuse");
    let policy = dir.0.join("policy.json");
    std::fs::write(&policy, serde_json::to_string(&optin_policy()).unwrap()).unwrap();
    let mut child = std::process::Command::new(support::binary())
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(dir.0.join("x.db"))
        .arg("--policy")
        .arg(&policy)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_until("serve refuses to start", LIMIT, || {
        child.try_wait().unwrap().is_some()
    });
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        said.contains("--smtp-url") && !said.contains("listening"),
        "{said}"
    );
}

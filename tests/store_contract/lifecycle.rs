//! A person's way through the store on every backend: signup, re-signup (one row per person, by
//! email or else by phone, in one batch or two) and idempotent replays,
//! withdrawal by token, erasure, double opt-in, and the webhook events each change queues.

use super::*;

#[test]
fn signups_resignups_and_idempotency_behave_alike() {
    for (label, db) in backends("signup") {
        let clock = clock();
        let (w, t) = start(&db, &clock);
        let rt = rt();
        let first = rt
            .block_on(w.submit(signup("Ann@example.org", "Ann", Some("k1"), &clock)))
            .unwrap();
        assert_eq!((first.status, first.replayed), (201, false), "{label}");
        assert_eq!(first.unsubscribe.len(), 1, "{label}");
        // The same key and payload: the stored answer, byte for byte.
        let replay = rt
            .block_on(w.submit(signup("Ann@example.org", "Ann", Some("k1"), &clock)))
            .unwrap();
        assert_eq!((replay.status, replay.replayed), (201, true), "{label}");
        assert_eq!(replay.body, first.body, "{label}");
        // The same key with another payload: refused.
        let reused = rt.block_on(w.submit(signup("Ann@example.org", "Anna", Some("k1"), &clock)));
        assert_eq!(reused.unwrap_err(), WriteError::KeyReused, "{label}");
        // The same person again: updated, one row.
        let again = rt
            .block_on(w.submit(signup("ann@example.org", "Anna", None, &clock)))
            .unwrap();
        assert_eq!(again.status, 200, "{label}");
        let other = rt
            .block_on(w.submit(signup("bob@example.org", "Bob", None, &clock)))
            .unwrap();
        assert_eq!(other.status, 201, "{label}");
        drop(w);
        t.join().unwrap();
        let store = Store::open_read(&db).unwrap();
        let stats = store.stats().unwrap();
        assert_eq!(
            (stats.contacts, stats.events, stats.idempotency),
            (2, 3, 1),
            "{label}"
        );
        let mut rows = Vec::new();
        store
            .export(|r| {
                rows.push(r);
                Ok::<_, signup_guard::store::StoreError>(())
            })
            .unwrap();
        assert_eq!(rows.len(), 2, "{label}");
        assert_eq!(rows[0].given_name.as_deref(), Some("Anna"), "{label}");
        let touch =
            |t: &Option<signup_guard::store::Touch>| t.as_ref().and_then(|t| t.source.path.clone());
        assert_eq!(
            touch(&rows[0].source.first).as_deref(),
            Some("/ann"),
            "{label}"
        );
        assert_eq!(
            touch(&rows[0].source.last).as_deref(),
            Some("/anna"),
            "{label}"
        );
        assert_eq!(rows[0].consent["newsletter"].status, "granted", "{label}");
        assert_eq!(store.purposes().unwrap(), vec!["newsletter"], "{label}");
        assert_chain(&db, 3, label);
    }
}

#[test]
fn a_person_is_one_row_however_the_signups_arrive() {
    for (label, db) in backends("one-row") {
        let clock = clock();
        let (w, t) = start(&db, &clock);
        let rt = rt();
        // Without an email the phone number names the person; with one, the email does (the
        // same number beside an email is another row).
        let by_phone = |name: &str, email: Option<&str>| {
            let mut s = signup("unused@example.org", name, None, &clock);
            s.contact.email = email.map(str::to_owned);
            s.contact.email_display = email.map(str::to_owned);
            s.contact.email_key = email.map(str::to_lowercase);
            s.contact.phone_e164 = Some("+6281234567890".into());
            s
        };
        let first = rt.block_on(w.submit(by_phone("Ann", None))).unwrap();
        let again = rt.block_on(w.submit(by_phone("Anna", None))).unwrap();
        let emailed = rt
            .block_on(w.submit(by_phone("Ann", Some("ann@example.org"))))
            .unwrap();
        assert_eq!(
            (first.status, again.status, emailed.status),
            (201, 200, 201),
            "{label}"
        );
        // Two signups of one new person queued together (most often in one batch): one
        // inserts, the other finds that row.
        let (a, b) = rt.block_on(async {
            tokio::join!(
                w.submit(signup("cat@example.org", "Cat", None, &clock)),
                w.submit(signup("CAT@example.org", "Cat", None, &clock)),
            )
        });
        let mut statuses = [a.unwrap().status, b.unwrap().status];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 201], "{label}");
        drop(w);
        t.join().unwrap();
        let store = Store::open_read(&db).unwrap();
        let stats = store.stats().unwrap();
        assert_eq!((stats.contacts, stats.events), (3, 5), "{label}");
        let mut names = Vec::new();
        store
            .export(|r| {
                names.push((r.given_name, r.email, r.phone_e164));
                Ok::<_, signup_guard::store::StoreError>(())
            })
            .unwrap();
        let phone = Some("+6281234567890".to_owned());
        assert!(
            names.contains(&(Some("Anna".into()), None, phone.clone())),
            "{label}: {names:?}"
        );
        assert!(
            names.contains(&(Some("Ann".into()), Some("ann@example.org".into()), phone)),
            "{label}: {names:?}"
        );
        assert_chain(&db, 5, label);
    }
}

#[test]
fn withdrawal_by_token_then_erasure_keep_the_chain() {
    for (label, db) in backends("withdraw") {
        let clock = clock();
        let (w, t) = start(&db, &clock);
        let rt = rt();
        let a = rt
            .block_on(w.submit(signup("cy@example.org", "Cy", Some("kc"), &clock)))
            .unwrap();
        let (id, purpose, mac) = token_parts(&a);
        let withdraw = |mac: &str| Withdraw {
            contact_id: id,
            purpose: purpose.clone(),
            mac: mac.to_owned(),
            meta: meta(&clock),
        };
        let forged = rt.block_on(w.withdraw(withdraw(&"0".repeat(mac.len()))));
        assert_eq!(forged.unwrap_err(), WriteError::TokenInvalid, "{label}");
        assert!(rt.block_on(w.withdraw(withdraw(&mac))).unwrap(), "{label}");
        assert!(!rt.block_on(w.withdraw(withdraw(&mac))).unwrap(), "{label}");
        // Granted again, then erased beside the running writer.
        rt.block_on(w.submit(signup("cy@example.org", "Cy", None, &clock)))
            .unwrap();
        let mut store = Store::open(&db).unwrap();
        let erased = store
            .erase(&EraseTarget::email("CY@example.org"), &clock.now())
            .unwrap();
        assert_eq!(
            (erased.contacts, erased.events, erased.idempotency),
            (1, 1, 1),
            "{label}"
        );
        // The writer continues the chain after the erasure's event.
        rt.block_on(w.submit(signup("dee@example.org", "Dee", None, &clock)))
            .unwrap();
        drop(w);
        t.join().unwrap();
        let stats = store.stats().unwrap();
        assert_eq!((stats.contacts, stats.erased), (2, 1), "{label}");
        let mut emails = Vec::new();
        store
            .export(|r| {
                emails.push(r.email);
                Ok::<_, signup_guard::store::StoreError>(())
            })
            .unwrap();
        assert_eq!(emails, vec![Some("dee@example.org".to_owned())], "{label}");
        assert_chain(&db, 5, label);
    }
}

#[test]
fn double_opt_in_queues_mail_and_confirms_once() {
    for (label, db) in backends("optin") {
        let clock = clock();
        let (w, t) = start(&db, &clock);
        let rt = rt();
        let mut s = signup("eve@example.org", "Eve", None, &clock);
        s.confirm = Some(ConfirmMail {
            base_url: "https://verifier.example".into(),
            within: Duration::from_secs(86_400),
            client_may_mail: true,
            now_ms: clock.unix_ms(),
        });
        let a = rt.block_on(w.submit(s)).unwrap();
        assert_eq!((a.status, a.mail_queued), (202, true), "{label}");
        let store = Store::open(&db).unwrap();
        let (now, until) = (clock.now(), format_ms(clock.unix_ms() + 60_000));
        let claimed = store.outbox_claim("mail", &now, &until, 10).unwrap();
        assert_eq!(claimed.len(), 1, "{label}");
        assert_eq!(claimed[0].attempts, 1, "{label}");
        // Leased: a second claim takes nothing.
        assert!(store
            .outbox_claim("mail", &now, &until, 10)
            .unwrap()
            .is_empty());
        let id = claimed[0].contact_id.unwrap();
        assert_eq!(
            store.mail_address(id).unwrap().as_deref(),
            Some("eve@example.org"),
            "{label}"
        );
        let payload: serde_json::Value = serde_json::from_str(&claimed[0].payload).unwrap();
        let link = payload["link"].as_str().unwrap();
        let token = link
            .split("token=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        let (cid, expires_ms, mac) = Keys::parse_confirm(token).unwrap();
        let confirm = || Confirm {
            contact_id: cid,
            expires_ms,
            mac: mac.to_owned(),
            now_ms: clock.unix_ms(),
            meta: EventMeta {
                method: "double_opt_in",
                ..meta(&clock)
            },
        };
        let now = rt.block_on(w.confirm(confirm())).unwrap();
        assert_eq!(now, Confirmed::Now(vec!["newsletter".into()]), "{label}");
        assert_eq!(
            rt.block_on(w.confirm(confirm())).unwrap(),
            Confirmed::Already
        );
        drop(w);
        t.join().unwrap();
        let sent = signup_guard::store::OutboxOutcome::Sent { at: clock.now() };
        store.outbox_finish(claimed[0].id, &sent).unwrap();
        let mut states = Vec::new();
        store
            .export(|r| {
                states.push(r.consent["newsletter"].status);
                Ok::<_, signup_guard::store::StoreError>(())
            })
            .unwrap();
        assert_eq!(states, vec!["granted"], "{label}");
        assert_chain(&db, 2, label);
    }
}

#[test]
fn webhook_events_are_queued_with_the_change_and_claimed_in_order() {
    use signup_guard::store::{Delivery, WebhookRoute};
    for (label, db) in backends("webhooks") {
        let clock = clock();
        let url = "http://127.0.0.1:9/hook";
        let route = WebhookRoute {
            url: url.into(),
            events: Vec::new(),
            include: vec!["name".into()],
        };
        let store = Store::open(&db).unwrap();
        store.set_webhook_endpoints(&[route], &clock.now()).unwrap();
        let (w, t) = start(&db, &clock);
        let rt = rt();
        rt.block_on(w.submit(signup("kim@example.org", "Kim", None, &clock)))
            .unwrap();
        rt.block_on(w.submit(signup("kim@example.org", "Kimberly", None, &clock)))
            .unwrap();
        drop(w);
        t.join().unwrap();
        let (now, lease) = (clock.now(), format_ms(clock.unix_ms() + 60_000));
        // In order per contact: one at a time while the earlier one is undelivered.
        let types = |items: &[signup_guard::store::WebhookItem]| -> Vec<String> {
            items
                .iter()
                .map(|i| {
                    let v: serde_json::Value = serde_json::from_str(&i.payload).unwrap();
                    v["type"].as_str().unwrap().to_owned()
                })
                .collect()
        };
        let mut seen = Vec::new();
        for _ in 0..5 {
            let items = store.webhook_claim(url, &now, &lease, 10).unwrap();
            if items.is_empty() {
                break;
            }
            assert_eq!(items.len(), 1, "{label}: one per contact at a time");
            seen.extend(types(&items));
            let sent = Delivery::Sent { at: clock.now() };
            store.webhook_finish(&[(items[0].id, sent)]).unwrap();
        }
        assert_eq!(
            seen,
            vec!["contact.created", "consent.granted", "contact.updated"],
            "{label}"
        );
        let mut listed = Vec::new();
        store.webhook_list("", |r| listed.push(r.state)).unwrap();
        assert_eq!(listed, vec!["sent"; 3], "{label}");
        assert_eq!(store.webhook_replay("", None, &now).unwrap(), 3, "{label}");
        let mut store = store;
        store
            .erase(&EraseTarget::email("kim@example.org"), &clock.now())
            .unwrap();
        // The replayed rows carried the person's data: gone with the erasure; the endpoint
        // hears `contact.erased` instead.
        let items = store.webhook_claim(url, &now, &lease, 10).unwrap();
        assert_eq!(types(&items), vec!["contact.erased"], "{label}");
    }
}

//! The pages the server renders: the plain HTML form without JavaScript, the thank-you page,
//! the demo page's languages, and a static page on an allowed origin.

use super::*;

#[test]
fn plain_html_form_works_without_javascript() {
    let server = TestServer::start(|c| c.min_fill_ms = 50);
    let page = server.get("/?lang=id").text();
    assert!(
        page.contains("name=\"consent\" value=\"newsletter\""),
        "{page}"
    );
    assert!(!page.contains("checked"));
    let stamp = hidden_value(&page, "sg_t").unwrap();
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

#[test]
fn the_demo_page_gets_the_consent_block_in_the_asked_language() {
    let server = TestServer::start(|_| {});
    server.write_file(
        "www/index.html",
        "<!doctype html><html lang=\"en\" dir=\"ltr\"><body><form><!--sg:consent--></form></body></html>",
    );
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
    server.write_file(
        "www/index.html",
        "<html lang=\"en\" dir=\"ltr\"><form><select id=\"sg-country\" name=\"country\">\
         <option value=\"\">Choose</option><option value=\"ID\">Indonesia</option>\
         <option value=\"IR\">Iran</option></select><select name=\"custom.state\">\
         <option value=\"ID\">Idaho</option></select><!--sg:consent--></form></html>",
    );
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

//! A row's status follows whether the person can be reached (issue 13): names never make a row
//! invalid, a phone can stand in for a bad email, countries set the phone's region, and
//! unsubscribed or suppressed people get no consent. Every case is a real CSV file through the
//! binary.

use super::*;

#[test]
fn a_valid_email_with_a_name_like_test_user_2_is_ok_and_the_name_issue_listed() {
    let dir = tmp_dir("name-digit");
    let csv = "Name,Email\n\
               Test User 2,test2@tokobudi.co.id\n\
               Budi (kantor),budi@tokobudi.co.id\n";
    let (code, rows, report) = run_audit(&dir, csv, &[]);
    for i in [1, 2] {
        assert_eq!(cell(&rows, i, "sg_status"), "ok", "{:?}", rows[i]);
        assert_eq!(cell(&rows, i, "sg_review"), "yes");
        assert_eq!(
            cell(&rows, i, "sg_issues"),
            "given_name:name.invalid_character"
        );
    }
    assert_eq!(
        (report.counts.ok, report.counts.invalid, report.review),
        (2, 0, 2)
    );
    assert_eq!(code, Some(1), "rows to review: not a clean list");
}

/// The issue's report: a generated list where every email is valid and every name has a digit
/// came out 100% invalid. Now none is.
#[test]
fn a_generated_list_of_valid_emails_and_names_with_digits_has_no_invalid_row() {
    let mut csv = String::from("First Name,Last Name,Email\n");
    for i in 0..2000 {
        csv.push_str(&format!("User {i},Test{i},user{i}@tokobudi.co.id\n"));
    }
    let report = audit(csv.as_bytes(), None::<Vec<u8>>, &Options::default()).unwrap();
    assert_eq!(report.counts.invalid, 0);
    assert_eq!(report.counts.ok, 2000);
    assert_eq!(report.review, 2000);
}

#[test]
fn a_row_reachable_by_phone_is_not_invalid_and_its_bad_email_is_listed() {
    let dir = tmp_dir("phone-only");
    let csv = "Name,Email,Mobile,Country\n\
               Agus,agus@gmail.con,0812 3456 7890,ID\n\
               Rina,rina-at-tokobudi,12,ID\n\
               Dedi,,,ID\n";
    let (code, rows, report) = run_audit(&dir, csv, &[]);
    assert_eq!(
        cell(&rows, 1, "sg_status"),
        "fixed",
        "the phone is normalized"
    );
    assert_eq!(cell(&rows, 1, "sg_email"), "", "the email is not usable");
    assert_eq!(cell(&rows, 1, "sg_phone_e164"), "+6281234567890");
    assert_eq!(cell(&rows, 1, "sg_issues"), "email.tld_unknown");
    assert_eq!(cell(&rows, 1, "sg_suggestion"), "agus@gmail.com");
    assert_eq!(cell(&rows, 1, "sg_review"), "yes");
    // Neither contact usable: invalid, whatever was typed.
    assert_eq!(cell(&rows, 2, "sg_status"), "invalid");
    assert_eq!(
        cell(&rows, 2, "sg_issues"),
        "email.missing_at;phone.too_short"
    );
    assert_eq!(
        cell(&rows, 2, "sg_review"),
        "",
        "the status already says it"
    );
    assert_eq!(cell(&rows, 3, "sg_status"), "invalid");
    assert_eq!(cell(&rows, 3, "sg_issues"), "email:input.required");
    assert_eq!((report.counts.fixed, report.counts.invalid), (1, 2));
    assert_eq!(code, Some(1));
}

#[test]
fn country_names_in_four_languages_are_fixed_to_their_iso_code() {
    let dir = tmp_dir("country-names");
    let names = [
        ("Indonesia", "ID"),
        ("إندونيسيا", "ID"),
        ("اندونزی", "ID"),
        ("Iran", "IR"),
        ("Iran, Islamic Republic of", "IR"),
        ("ایران", "IR"),
        ("Saudi Arabia", "SA"),
        ("KSA", "SA"),
        ("UAE", "AE"),
        ("South Korea", "KR"),
        ("Arab Saudi", "SA"),
        ("كوريا الجنوبية", "KR"),
    ];
    let mut csv = String::from("Email,Country\n");
    for (i, (name, _)) in names.iter().enumerate() {
        csv.push_str(&format!("u{i}@tokobudi.co.id,\"{name}\"\n"));
    }
    let (_, rows, report) = run_audit(&dir, &csv, &[]);
    for (i, (name, code)) in names.iter().enumerate() {
        let r = i + 1;
        assert_eq!(cell(&rows, r, "sg_country"), *code, "{name}");
        assert_eq!(cell(&rows, r, "sg_status"), "fixed", "{name}");
        assert_eq!(cell(&rows, r, "sg_issues"), "", "{name}");
        assert_eq!(rows[r][1], *name, "the cell as typed is kept");
    }
    assert_eq!(report.country_names, names.len() as u64);
}

#[test]
fn a_country_name_sets_the_phone_region_and_an_unknown_one_is_only_a_warning() {
    let dir = tmp_dir("country-unknown");
    let csv = "Nama,No. HP,Negara\n\
               Siti,0812-3456-7890,Indonesia\n\
               Budi,+62 813 1234 5678,Atlantis\n\
               Ani,+62 813 1234 5679,ID\n";
    let (code, rows, report) = run_audit(&dir, csv, &[]);
    assert_eq!(cell(&rows, 1, "sg_phone_e164"), "+6281234567890");
    assert_eq!(cell(&rows, 2, "sg_status"), "fixed", "reachable by phone");
    assert_eq!(cell(&rows, 2, "sg_issues"), "country.unknown");
    assert_eq!(cell(&rows, 2, "sg_country"), "");
    assert_eq!(cell(&rows, 2, "sg_review"), "yes");
    assert_eq!(cell(&rows, 3, "sg_country"), "ID", "a code is copied");
    assert_eq!(report.counts.invalid, 0);
    assert_eq!(code, Some(1), "a row to review");
}

#[test]
fn unsubscribed_columns_in_english_indonesian_and_persian_give_no_consent() {
    let dir = tmp_dir("consent");
    for (header, refused, given, unknown) in [
        ("Unsubscribed", "yes", "no", "maybe"),
        ("Subscribed", "no", "yes", "pending"),
        ("opt_in", "false", "true", "?"),
        ("Berlangganan", "tidak", "ya", "entah"),
        ("Berhenti Berlangganan", "ya", "tidak", "entah"),
        ("لغو اشتراک", "بله", "خیر", "شاید"),
        ("موافقة", "لا", "نعم", "ربما"),
    ] {
        let csv = format!(
            "Email,\"{header}\"\n\
             a@tokobudi.co.id,{refused}\n\
             b@tokobudi.co.id,{given}\n\
             c@tokobudi.co.id,{unknown}\n\
             d@tokobudi.co.id,\n\
             e@tokobudi.co.id,Unsubscribed\n"
        );
        let (code, rows, report) = run_audit(&dir, &csv, &[]);
        let got: Vec<(&str, &str, &str)> = (1..=5)
            .map(|i| {
                (
                    cell(&rows, i, "sg_status"),
                    cell(&rows, i, "sg_consent"),
                    cell(&rows, i, "sg_review"),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("no_consent", "no", ""),
                ("ok", "yes", ""),
                ("ok", "unknown", "yes"),
                ("ok", "", ""),
                ("no_consent", "no", ""),
            ],
            "{header}"
        );
        let c = &report.consent;
        assert_eq!((c.given, c.refused, c.unknown), (1, 2, 1), "{header}");
        assert_eq!(report.counts.no_consent, 2, "{header}");
        assert!(
            report.columns.iter().any(|c| c.header == header),
            "{header}"
        );
        assert_eq!(code, Some(1));
    }
}

#[test]
fn a_consent_column_can_be_named_with_its_polarity() {
    let dir = tmp_dir("consent-named");
    let csv = "Email,Blocked\na@tokobudi.co.id,1\nb@tokobudi.co.id,0\n";
    let (_, rows, _) = run_audit(&dir, csv, &["--columns", "unsubscribed=Blocked"]);
    assert_eq!(cell(&rows, 1, "sg_status"), "no_consent");
    assert_eq!(cell(&rows, 2, "sg_status"), "ok");
}

#[test]
fn suppress_matches_emails_by_key_and_phones_by_e164_and_keeps_the_rows() {
    let dir = tmp_dir("suppress");
    std::fs::write(
        dir.join("bounces.txt"),
        "email\n# bounced, March export\n  SITI.Rahma@GMAIL.com \n\n0813 1234 5678\nnot-an-address\n",
    )
    .unwrap();
    let csv = "Name,Email,Mobile,Country,Subscribed\n\
               Siti,siti.rahma@gmail.com,,ID,yes\n\
               Budi,,+62 813-1234-5678,ID,no\n\
               Ani,ani@tokobudi.co.id,,ID,yes\n\
               Siti again,Siti.Rahma@gmail.com,,ID,yes\n";
    let (code, rows, report) = run_audit(
        &dir,
        csv,
        &["--suppress", "bounces.txt", "--default-country", "ID"],
    );
    assert_eq!(rows.len(), 5, "nothing dropped");
    let status: Vec<&str> = (1..=4).map(|i| cell(&rows, i, "sg_status")).collect();
    assert_eq!(status, ["suppressed", "suppressed", "ok", "suppressed"]);
    assert_eq!(cell(&rows, 2, "sg_consent"), "no", "kept beside the status");
    assert_eq!(
        cell(&rows, 4, "sg_duplicate_of"),
        "2",
        "kept beside the status"
    );
    assert_eq!(report.counts.suppressed, 3);
    assert_eq!(report.duplicates.rows, 1);
    let list = &report.suppression;
    assert_eq!((list.emails, list.phones, list.unreadable_lines), (1, 1, 1));
    assert_eq!(code, Some(1));

    let run = sg(&dir, &["in.csv", "--suppress", "missing.txt"]);
    assert_eq!(
        run.status.code(),
        Some(2),
        "an unreadable list stops the audit"
    );
}

//! Each cell's verdict: the one the form and `check` give for the same value and policy, typo
//! suggestions, phones normalized and deduplicated, custom fields.

use super::*;

#[test]
fn typo_domains_are_invalid_with_a_suggestion_and_counted() {
    let csv = "email\nuser@gmail.con\nrina@gmail.com\nbudi@gmial.com\n";
    let mut out = Vec::new();
    let report = audit(csv.as_bytes(), Some(&mut out), &Options::default()).unwrap();
    let rows = read_csv(&out, b',');
    assert_eq!(rows[1][1], "invalid");
    assert_eq!(rows[1][6], "user@gmail.com");
    assert!(rows[1][5].contains("email.tld_unknown"), "{:?}", rows[1]);
    assert_eq!(rows[2][1], "ok");
    assert_eq!(rows[3][6], "budi@gmail.com");
    assert_eq!(report.suggestions.offered, 2);
    assert!(report
        .suggestions
        .top
        .iter()
        .any(|t| t.from == "gmail.con" && t.to == "gmail.com"));
}

#[test]
fn phones_are_normalized_and_deduplicated_when_the_email_is_missing() {
    let csv = "Nama,Surel,No. HP,Negara\n\
               Ani,ani@tokobudi.co.id,+62 812-3456-7890,ID\n\
               Ani,,0812-3456-7890,ID\n\
               Budi,,٠٨١٢٣٤٥٦٧٨٩١,\n\
               Citra,,12,ID\n";
    let options = Options {
        default_country: signup_guard::Country::from_code("ID"),
        ..Options::default()
    };
    let mut out = Vec::new();
    let report = audit(csv.as_bytes(), Some(&mut out), &options).unwrap();
    let rows = read_csv(&out, b',');
    let (status, phone, dup) = (
        column(&rows, "sg_status"),
        column(&rows, "sg_phone_e164"),
        column(&rows, "sg_duplicate_of"),
    );
    assert_eq!(rows[1][phone], "+6281234567890");
    assert_eq!(rows[1][status], "fixed");
    assert_eq!(
        (rows[2][status].as_str(), rows[2][dup].as_str()),
        ("duplicate", "2")
    );
    assert_eq!(
        rows[3][phone], "+6281234567891",
        "Arabic-Indic digits, default country"
    );
    assert_eq!(rows[4][status], "invalid");
    assert_eq!(report.counts.duplicate, 1);
}

/// The audit is a face: each cell's verdict is the one `check` (and the browser) gives.
#[test]
fn every_cell_gets_the_same_verdict_as_check_field() {
    use signup_guard::check::{check_field, FieldContext};
    use signup_guard::{Country, Field};
    let emails = [
        " Jane.Doe@GMAIL.COM ",
        "user@gmail.con",
        "a@localhost",
        "x@gmial.com",
        "Ani <ani@tokobudi.co.id>",
        "info@tokobudi.co.id",
        "ani..x@tokobudi.co.id",
    ];
    let phones = [
        "+62 812-3456-7890",
        "0812 3456 7890",
        "٠٨١٢٣٤٥٦٧٨٩٠",
        "12",
        "call me",
        "+44 20 7946 0018",
    ];
    let names = [
        "  María   José ",
        "www.spam.com",
        "محمد‌رضا",
        "123",
        "O'Brien",
    ];
    let countries = ["id", "UK", "XX", "ID", "ir"];
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["email", "phone", "first name", "last name", "country"])
        .unwrap();
    // Three passes over 210 combinations, so remembered name and country verdicts are reused.
    let mut cells = Vec::new();
    for round in 0..3 {
        for i in 0..210 {
            let row = [
                emails[i % emails.len()],
                phones[(i + round) % phones.len()],
                names[i % names.len()],
                names[(i / 5) % names.len()],
                countries[(i / 3) % countries.len()],
            ];
            w.write_record(row).unwrap();
            cells.push(row);
        }
    }
    let input = w.into_inner().unwrap();
    let mut out = Vec::new();
    let options = Options {
        threads: 2,
        chunk_rows: 50,
        ..Options::default()
    };
    audit(&input[..], Some(&mut out), &options).unwrap();
    let rows = read_csv(&out, b',');
    assert_eq!(rows.len(), cells.len() + 1);
    let (email, phone, issues) = (
        column(&rows, "sg_email"),
        column(&rows, "sg_phone_e164"),
        column(&rows, "sg_issues"),
    );
    for (row, [e, p, g, f, c]) in rows[1..].iter().zip(&cells) {
        let country = Country::from_code(c.trim());
        let ctx = FieldContext {
            country,
            ..FieldContext::default()
        };
        let verdicts = [
            check_field(Field::Email, e, &ctx),
            check_field(Field::Phone, p, &ctx),
            check_field(Field::GivenName, g, &ctx),
            check_field(Field::FamilyName, f, &ctx),
            check_field(Field::Country, c, &ctx),
        ];
        let labels: Vec<String> = verdicts
            .iter()
            .zip([
                Field::Email,
                Field::Phone,
                Field::GivenName,
                Field::FamilyName,
                Field::Country,
            ])
            .flat_map(|(v, field)| {
                v.issues.iter().map(move |i| {
                    let code = i.code.as_str();
                    if code.split('.').next() == Some(field.as_str()) {
                        code.to_owned()
                    } else {
                        format!("{}:{code}", field.as_str())
                    }
                })
            })
            .collect();
        assert_eq!(row[issues], labels.join(";"), "{row:?}");
        assert_eq!(
            row[email],
            verdicts[0].normalized.clone().unwrap_or_default()
        );
        assert_eq!(
            row[phone],
            verdicts[1].normalized.clone().unwrap_or_default()
        );
    }
}

/// Issue 13: the audit applies the policy's limits as the form does (`fields.email.max_chars`
/// used to be checked by the whole-submission path only), through the CLI on a real file.
#[test]
fn the_policy_email_limit_applies_in_the_audit_as_in_the_form() {
    let dir = tmp_dir("policy-limit");
    std::fs::write(
        dir.join("policy.json"),
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/vectors/policies/short-email.json"
        ))
        .unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("in.csv"),
        "email\nani.wijaya@gmail.com\nani.wijaya.kusuma@gmail.com\n",
    )
    .unwrap();
    let run = sg(
        &dir,
        &["in.csv", "--policy", "policy.json", "--out", "out.csv"],
    );
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    let rows = read_csv(&std::fs::read(dir.join("out.csv")).unwrap(), b',');
    let (status, issues) = (column(&rows, "sg_status"), column(&rows, "sg_issues"));
    assert_eq!(rows[1][status], "ok");
    assert_eq!(rows[2][status], "invalid");
    assert!(
        rows[2][issues].contains("email:input.too_long"),
        "{:?}",
        rows[2]
    );
}

/// Issue 16.2: the policy's custom fields, found by id, `custom_ID` or label, get the verdict
/// `verify` gives the same values (one core rule), and a required one left empty is listed.
#[test]
fn custom_field_columns_get_the_verdict_verify_gives() {
    let dir = tmp_dir("custom-fields");
    let policy = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/policies/custom.json"
    );
    let csv = "email,Role,custom_seats,Perusahaan,terms\n\
               ani@gmail.com,dev,12,Acme,true\n\
               budi@gmail.com,ceo,51,A,true\n\
               sari@gmail.com,marketing,,,\n";
    let (code, rows, _) = run_audit(&dir, csv, &["--policy", policy]);
    assert_eq!(code, Some(1), "rows to review");
    assert_eq!(cell(&rows, 1, "sg_issues"), "", "{:?}", rows[1]);
    let issues = |i| {
        cell(&rows, i, "sg_issues")
            .split(';')
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let verify = |line: &str| -> Vec<String> {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_signup-guard"))
            .args(["verify", "--policy", policy])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(line.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let verdict: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        verdict["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let budi = verify(
        r#"{"email":"budi@gmail.com","custom":{"role":"ceo","seats":"51","company":"A","terms":"true"}}"#,
    );
    assert_eq!(
        budi,
        [
            "custom.too_short",
            "custom.not_an_option",
            "custom.too_large"
        ]
    );
    let mut audited = issues(2);
    audited.sort();
    let mut verified = budi.clone();
    verified.sort();
    assert_eq!(audited, verified, "{:?}", rows[2]);
    assert_eq!(
        issues(3),
        ["custom.required"],
        "terms is required and empty"
    );
    assert_eq!(cell(&rows, 3, "sg_status"), "ok", "reachable, to review");
}

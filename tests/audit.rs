//! `audit` on CSV files the tests write, with errors placed at known rows.
//!
//! Run: `cargo test --features cli --test audit`.
#![cfg(feature = "cli")]

use signup_guard::audit::{audit, Options, Report};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch directory, removed when the test ends.
struct TmpDir(PathBuf);

impl std::ops::Deref for TmpDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TmpDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn tmp_dir(test: &str) -> TmpDir {
    let dir = std::env::temp_dir().join(format!("sg-audit-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TmpDir(dir)
}

fn sg(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_signup-guard"))
        .current_dir(dir)
        .arg("audit")
        .args(args)
        .output()
        .unwrap()
}

fn read_csv(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).unwrap()
}

/// A list with one kind of row per `i % 10`, so every count is known in advance.
fn known_list(n: usize) -> String {
    let mut s = String::from("ID,Nama,Surel,No. HP,Negara\n");
    for i in 0..n {
        let row = match i % 10 {
            0..=2 => format!("{i},Ani,ani{i}@tokobudi.co.id,,ID"),
            // Fixed: spaces around, domain in capitals.
            3 => format!("{i},Budi,\" Budi{i}@TokoBudi.CO.ID \",,ID"),
            // Fixed: a national phone number (the lowercase country code alone is no fix).
            4 => format!(
                "{i},Citra,citra{i}@tokobudi.co.id,0812-3456-{:04},id",
                i % 10_000
            ),
            5 => format!("{i},Dewi,dewi{i}.tokobudi.co.id,,ID"),
            // Reachable by email: an unknown country only flags the row for review.
            6 => format!("{i},Eka,eka{i}@tokobudi.co.id,,XX"),
            // Two errors in one row, neither in a contact cell: still ok, to review.
            7 => format!("{i},www.promo-murah.com,fajar{i}@tokobudi.co.id,,XX"),
            // The same person as row i-8 (kind 0), typed in capitals.
            8 => format!("{i},ANI,ANI{}@TOKOBUDI.CO.ID,,ID", i - 8),
            // No email and no phone: not a contact.
            _ => format!("{i},Gita,,,ID"),
        };
        s.push_str(&row);
        s.push('\n');
    }
    s
}

#[test]
fn report_counts_equal_the_known_errors_and_rows_keep_their_order() {
    let n = 5000;
    let csv = known_list(n);
    let options = Options {
        threads: 3,
        chunk_rows: 7, // many small chunks, finished out of order by three workers
        ..Options::default()
    };
    let mut out = Vec::new();
    let report = audit(csv.as_bytes(), Some(&mut out), &options).unwrap();

    let tenth = n as u64 / 10;
    assert_eq!(report.rows, n as u64);
    assert_eq!(report.counts.ok, 5 * tenth);
    assert_eq!(report.counts.fixed, 2 * tenth);
    assert_eq!(report.counts.invalid, 2 * tenth);
    assert_eq!(report.counts.duplicate, tenth);
    assert_eq!(report.shares.valid, 0.7);
    assert_eq!(report.review, 2 * tenth);
    let issue = |name: &str| {
        report
            .issues
            .iter()
            .find(|i| i.issue == name)
            .map_or(0, |i| i.rows)
    };
    assert_eq!(issue("email.missing_at"), tenth);
    assert_eq!(issue("country.unknown"), 2 * tenth);
    assert_eq!(issue("given_name:name.url"), tenth);
    assert_eq!(issue("email:input.required"), tenth);
    assert_eq!(
        report.issues[0].issue, "country.unknown",
        "most frequent first"
    );
    assert_eq!(report.duplicates.rows, tenth);
    assert_eq!(report.duplicates.groups, tenth);
    let found: Vec<(&str, &str)> = report
        .columns
        .iter()
        .map(|c| (c.field.as_str(), c.header.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("email", "Surel"),
            ("phone", "No. HP"),
            ("given_name", "Nama"),
            ("country", "Negara")
        ]
    );

    let rows = read_csv(&out, b',');
    assert_eq!(rows.len(), n + 1, "every row written, nothing dropped");
    let (status, email, dup, issues, review) = (
        column(&rows, "sg_status"),
        column(&rows, "sg_email"),
        column(&rows, "sg_duplicate_of"),
        column(&rows, "sg_issues"),
        column(&rows, "sg_review"),
    );
    for (i, row) in rows[1..].iter().enumerate() {
        assert_eq!(row[0], i.to_string(), "output order equals input order");
        let expected = match i % 10 {
            0..=2 | 6 | 7 => "ok",
            3 | 4 => "fixed",
            8 => "duplicate",
            _ => "invalid",
        };
        assert_eq!(row[status], expected, "row {i}: {row:?}");
        let to_review = if matches!(i % 10, 6 | 7) { "yes" } else { "" };
        assert_eq!(row[review], to_review, "row {i}: {row:?}");
    }
    // Spreadsheet numbering: header row 1, so input record i is row i + 2; rows[19] is record
    // 18, the repeat of record 10 (row 12).
    assert_eq!(rows[19][dup], "12");
    assert_eq!(rows[19][email], "ANI10@tokobudi.co.id");
    assert_eq!(rows[4][email], "Budi3@tokobudi.co.id");
    let phone = column(&rows, "sg_phone_e164");
    assert_eq!(rows[5][phone], "+6281234560004");
    assert_eq!(rows[8][issues], "given_name:name.url;country.unknown");

    // The same file through the binary with its default threads and chunks: identical output.
    let dir = tmp_dir("known");
    std::fs::write(dir.join("list.csv"), &csv).unwrap();
    let run = sg(
        &dir,
        &["list.csv", "--out", "clean.csv", "--report", "report.json"],
    );
    assert_eq!(run.status.code(), Some(1), "some rows invalid or duplicate");
    assert_eq!(std::fs::read(dir.join("clean.csv")).unwrap(), out);
    let json: Report =
        serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(json.counts, report.counts);
    assert_eq!(json.issues, report.issues);
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains("invalid") && stderr.contains("20.0%") && stderr.contains("review"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\r') && !stderr.contains('\u{1b}'),
        "no progress bar when stderr is not a terminal: {stderr:?}"
    );
}

#[test]
fn bom_semicolons_crlf_and_quoted_newlines_are_kept() {
    let dir = tmp_dir("bom");
    let input = "\u{FEFF}Nama;E-mail;Catatan\r\n\
                 Ani;ani@tokobudi.co.id;\"baris satu\r\nbaris; dua\"\r\n\
                 Budi;budi@tokobudi.co.id;\r\n";
    std::fs::write(dir.join("in.csv"), input).unwrap();
    let run = sg(&dir, &["in.csv", "--out", "out.csv", "--report", "r.json"]);
    assert_eq!(run.status.code(), Some(0), "{:?}", run);
    let out = std::fs::read(dir.join("out.csv")).unwrap();
    assert!(out.starts_with(b"\xEF\xBB\xBFNama;E-mail;Catatan;sg_status;"));
    assert!(out.ends_with(b"\r\n"), "line endings kept");
    let rows = read_csv(&out[3..], b';');
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][2], "baris satu\r\nbaris; dua");
    assert_eq!(rows[1][3], "ok");
    assert_eq!(rows[2][0], "Budi");
    let report: Report =
        serde_json::from_slice(&std::fs::read(dir.join("r.json")).unwrap()).unwrap();
    assert!(report.bom);
    assert_eq!(report.delimiter, ";");
    assert_eq!(report.rows, 2);
}

#[test]
fn undecodable_input_names_its_line_and_lossy_continues() {
    let dir = tmp_dir("latin1");
    let mut input = b"email,notes\n".to_vec();
    input.extend_from_slice(b"ani@tokobudi.co.id,\"two\nlines\"\n"); // lines 2-3
    input.extend_from_slice(b"budi@tokobudi.co.id,Jos\xE9\n"); // line 4: Latin-1 é in notes
    input.extend_from_slice(b"cit\xE9ra@tokobudi.co.id,\n"); // line 5: in the email
    std::fs::write(dir.join("in.csv"), &input).unwrap();

    let run = sg(&dir, &["in.csv", "--out", "out.csv"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.contains("line 4"), "{stderr}");
    assert!(stderr.contains("\"notes\""), "{stderr}");
    assert!(stderr.contains("--lossy"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(&*dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        ["in.csv"],
        "no output and no partial file after an error"
    );

    let run = sg(
        &dir,
        &[
            "in.csv", "--out", "out.csv", "--lossy", "--report", "r.json",
        ],
    );
    assert_eq!(run.status.code(), Some(1));
    let rows = read_csv(&std::fs::read(dir.join("out.csv")).unwrap(), b',');
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[2][1], "Jos\u{FFFD}");
    assert_eq!(
        rows[2][2], "ok",
        "an undecodable note does not touch the contact"
    );
    assert_eq!(rows[3][2], "invalid");
    assert_eq!(rows[3][6], "email:input.invalid_text");
    let report: Report =
        serde_json::from_slice(&std::fs::read(dir.join("r.json")).unwrap()).unwrap();
    assert_eq!(report.undecodable_rows, 2);
}

#[test]
fn headers_in_arabic_and_persian_are_found() {
    let dir = tmp_dir("rtl");
    std::fs::write(
        dir.join("ar.csv"),
        "الاسم,البريد الإلكتروني,جوال,الدولة\nمحمد,mohammed@tokobudi.co.id,,AE\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("fa.csv"),
        "نام\tنام خانوادگی\tایمیل\tموبایل\tکشور\nمحمد‌رضا\tاحمدی\treza@tokobudi.co.id\t\tIR\n",
    )
    .unwrap();
    for (file, fields) in [
        ("ar.csv", vec!["email", "phone", "given_name", "country"]),
        (
            "fa.csv",
            vec!["email", "phone", "given_name", "family_name", "country"],
        ),
    ] {
        let run = sg(&dir, &[file, "--report", "-", "--quiet"]);
        assert_eq!(run.status.code(), Some(0), "{file}: {run:?}");
        let report: Report = serde_json::from_slice(&run.stdout).unwrap();
        let found: Vec<&str> = report.columns.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(found, fields, "{file}");
        assert_eq!(report.counts.ok, 1, "{file}");
    }
}

#[test]
fn columns_can_be_named_and_a_list_without_contact_column_is_refused() {
    let dir = tmp_dir("columns");
    std::fs::write(dir.join("in.csv"), "who|kontak\nAni|ani@tokobudi.co.id\n").unwrap();
    let run = sg(&dir, &["in.csv"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains("who | kontak") && stderr.contains("--columns"),
        "{stderr}"
    );

    let run = sg(&dir, &["in.csv", "--columns", "email=kontak", "--out", "-"]);
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let rows = read_csv(&run.stdout, b'|');
    assert_eq!(rows[1][2], "ok");
}

#[test]
fn short_rows_are_padded_and_extra_cells_kept() {
    let csv = "email,name,country\nani@tokobudi.co.id\nbudi@tokobudi.co.id,Budi,ID,extra\n";
    let mut out = Vec::new();
    let report = audit(csv.as_bytes(), Some(&mut out), &Options::default()).unwrap();
    assert_eq!(report.ragged_rows, 1);
    let rows = read_csv(&out, b',');
    assert_eq!(rows[1].len(), 12, "3 cells + 9 sg_ columns");
    assert_eq!(rows[1][3], "ok");
    assert_eq!(rows[2].len(), 13);
    assert_eq!(rows[2][12], "extra");
}

// ---- These wait for the full email rules and the phone engine (the placeholders parse loosely
// ---- and refuse every phone number): the expected outcomes are the real ones.

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

// ---- Status follows reachability (issue 13): every case is a real CSV file through the binary.

/// Runs the binary on `csv` (written as `in.csv`) with `args`; returns the exit code, the output
/// rows (header first) and the report.
fn run_audit(dir: &Path, csv: &str, args: &[&str]) -> (Option<i32>, Vec<Vec<String>>, Report) {
    std::fs::write(dir.join("in.csv"), csv).unwrap();
    let mut all = vec!["in.csv", "--out", "out.csv", "--report", "report.json"];
    all.extend_from_slice(args);
    let run = sg(dir, &all);
    assert_ne!(run.status.code(), Some(2), "{run:?}");
    let rows = read_csv(&std::fs::read(dir.join("out.csv")).unwrap(), b',');
    let report = serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    (run.status.code(), rows, report)
}

/// The sg_ cells of data row `i` (1-based, as in `rows`) by column name.
fn cell<'a>(rows: &'a [Vec<String>], i: usize, name: &str) -> &'a str {
    &rows[i][column(rows, name)]
}

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

#[test]
fn exit_status_is_0_only_for_a_clean_list() {
    let dir = tmp_dir("exit");
    let (code, _, _) = run_audit(
        &dir,
        "Name,Email,Country\nAni,ani@tokobudi.co.id,Indonesia\n",
        &[],
    );
    assert_eq!(code, Some(0), "ok and fixed rows, nothing to review");
    for csv in [
        "Email\nani-at-tokobudi\n",
        "Email\nani@tokobudi.co.id\nANI@tokobudi.co.id\n",
        "Email,Unsubscribed\nani@tokobudi.co.id,yes\n",
        "Name,Email\nAni 2,ani@tokobudi.co.id\n",
    ] {
        let (code, _, _) = run_audit(&dir, csv, &[]);
        assert_eq!(code, Some(1), "{csv}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// Crafted CSV soup (quotes, delimiters, CR/LF, BOMs, undecodable bytes, Arabic digits):
    /// the audit either refuses the file with an error or writes exactly one line per row it
    /// counted, and never panics.
    #[test]
    fn any_input_gives_an_error_or_one_output_row_per_counted_row(
        body in proptest::collection::vec(
            proptest::sample::select(vec![
                &b"email"[..], b"phone", b"Surel", b"No. HP", b"negara", b",", b";", b"\t",
                b"|", b"\"", b"\n", b"\r\n", b"\r", b"a@b.co", b"ani@gmail.con", b"+62 812",
                b"0812-3456-7890", b"\xEF\xBB\xBF", b"\xE9", b"\xFF\xFE", "٠٨١٢".as_bytes(),
                b"ID", b" ", b"x",
            ]),
            0..40,
        ),
        lossy in proptest::bool::ANY,
    ) {
        let csv: Vec<u8> = body.concat();
        let options = Options { lossy, threads: 2, chunk_rows: 3, ..Options::default() };
        let mut out = Vec::new();
        if let Ok(report) = audit(&csv[..], Some(&mut out), &options) {
            let delimiter = report.delimiter.as_bytes()[0];
            let body = out.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&out);
            let rows = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(body)
                .byte_records()
                .count();
            proptest::prop_assert_eq!(rows as u64, report.rows + 1);
            let c = &report.counts;
            let sum = c.ok + c.fixed + c.invalid + c.duplicate + c.suppressed + c.no_consent;
            proptest::prop_assert_eq!(sum, report.rows);
        }
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

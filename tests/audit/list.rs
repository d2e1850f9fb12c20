//! The file as a whole: encodings, delimiters and quoting, headers in other scripts, columns
//! named on the command line, ragged rows, the report's counts and the exit status.

use super::*;

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

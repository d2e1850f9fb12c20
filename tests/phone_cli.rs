//! The CLI face of the phone check (issue 3 acceptance 4 and 5), through the real binary.
//! Runs with `cargo test --features cli --test phone_cli`.
#![cfg(feature = "cli")]

use std::io::Write;
use std::process::{Command, Stdio};

fn check_phone(args: &[&str], stdin: &str) -> Vec<serde_json::Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_signup-guard"))
        .args(["check", "phone"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run signup-guard");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON verdict per line"))
        .collect()
}

#[test]
fn persian_and_arabic_indic_digits_with_country_id() {
    let out = check_phone(&["--country", "ID"], "+98 ۹۱۲ ۳۴۵ ۶۷۸۹\n٠٨١٢-٣٤٥٦-٧٨٩٠\n");
    let normalized: Vec<&str> = out
        .iter()
        .filter_map(|v| v["normalized"].as_str())
        .collect();
    assert_eq!(normalized, ["+989123456789", "+6281234567890"]);
}

#[test]
fn default_policy_accepts_every_type_and_a_policy_narrows() {
    let input = "+62 21 2345 6789\n+44 800 123 4567\n+62 812 3456 7890\n";
    let all = check_phone(&[], input);
    let types: Vec<&str> = all
        .iter()
        .filter_map(|v| v["phone_type"].as_str())
        .collect();
    assert_eq!(types, ["fixed_line", "toll_free", "mobile"]);
    let policy = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/policies/acme-news.json"
    );
    let narrowed = check_phone(&["--policy", policy], input);
    let ok: Vec<bool> = narrowed.iter().map(|v| v["ok"] == true).collect();
    assert_eq!(ok, [false, false, true]);
    assert_eq!(narrowed[0]["issues"][0]["code"], "phone.not_mobile");
}

#[test]
fn version_names_the_vendored_phone_metadata_release() {
    // The release build.rs compiled, read from the vendored file itself.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/fields/phone/data/metadata.json"
    );
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read metadata")).expect("json");
    let (version, date) = (
        meta["version"].as_str().unwrap(),
        meta["released"].as_str().unwrap(),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_signup-guard"))
        .arg("--version")
        .output()
        .expect("run signup-guard --version");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.starts_with(&format!("signup-guard {} (", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(
        text.contains(&format!("phone metadata {version} of {date}")),
        "{text}"
    );
    assert!(
        text.contains("TLDs ") && text.contains("providers of "),
        "{text}"
    );
}

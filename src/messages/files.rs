//! The catalogues as data files, for the browser build (used by `build.rs`, and by a native test
//! that checks each file says what its catalogue says).
//!
//! The browser module embeds English only; each other locale ships as
//! `messages-<locale>.<hash>.txt` (the hash: the first 16 hex digits of its SHA-256, so the file
//! can be cached forever), fetched by the page for its own language. `build.rs` reads the
//! catalogue sources (`src/messages/<locale>.rs`, one `Code::X => "…",` line per code, the Rust
//! source staying the one place the words live) and the code list (`src/issue/code.rs`), and writes:
//!
//! ```text
//! signup-guard messages fa 1
//! input.required<TAB>لطفاً این بخش را پر کنید.
//! …                                   (one line per code, in `Code::ALL` order)
//! channel.email<TAB>ایمیل<TAB>نشانی ایمیل
//! channel.sms<TAB>…
//! channel.phone<TAB>…
//! ```

/// The locales that ship as files (English is compiled in).
pub(crate) const FILE_LOCALES: [&str; 3] = ["ar", "fa", "id"];

/// The wire codes in declaration order, from the `codes!` block of `src/issue/code.rs`.
pub(crate) fn codes(issue_rs: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in issue_rs.lines().map(str::trim) {
        let Some((variant, rest)) = line.split_once(" = \"") else {
            continue;
        };
        let Some((wire, sev)) = rest.split_once("\", ") else {
            continue;
        };
        if matches!(sev, "Error;" | "Warning;") && variant.chars().all(char::is_alphanumeric) {
            out.push((variant.to_owned(), wire.to_owned()));
        }
    }
    out
}

/// A Rust string literal's body with its `\u{…}` escapes decoded (the only ones the catalogues use).
fn unescape(lit: &str) -> String {
    let mut out = String::new();
    let mut rest = lit;
    while let Some(i) = rest.find("\\u{") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('}').expect("closed \\u{ escape") + i;
        let n = u32::from_str_radix(&rest[i + 3..end], 16).expect("hex escape");
        out.push(char::from_u32(n).expect("a char"));
        rest = &rest[end + 1..];
    }
    assert!(
        !rest.contains('\\'),
        "an escape other than \\u{{…}} in a catalogue: {lit}"
    );
    out.push_str(rest);
    out
}

/// The data file of one catalogue source, given the codes of `src/issue/code.rs`.
pub(crate) fn file(locale: &str, source: &str, codes: &[(String, String)]) -> String {
    let mut templates = std::collections::HashMap::new();
    let mut channels = std::collections::HashMap::new();
    for line in source.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("Code::") {
            if let Some((variant, lit)) = rest.split_once(" => \"") {
                let lit = lit
                    .strip_suffix("\",")
                    .expect("one catalogue line per code");
                templates.insert(variant.to_owned(), unescape(lit));
            }
        } else if let Some(rest) = line.strip_prefix("Channel::") {
            let (channel, pair) = rest.split_once(" => (\"").expect("a channel line");
            let (how, contact) = pair
                .strip_suffix("\"),")
                .and_then(|p| p.split_once("\", \""))
                .expect("a channel pair");
            channels.insert(channel.to_lowercase(), (unescape(how), unescape(contact)));
        }
    }
    let mut out = format!("signup-guard messages {locale} 1\n");
    for (variant, wire) in codes {
        let t = templates
            .get(variant)
            .unwrap_or_else(|| panic!("{locale}: no {variant}"));
        assert!(
            !t.contains(['\t', '\n']),
            "{locale} {variant}: tab or newline"
        );
        out.push_str(&format!("{wire}\t{t}\n"));
    }
    for channel in ["email", "sms", "phone"] {
        let (how, contact) = &channels[channel];
        out.push_str(&format!("channel.{channel}\t{how}\t{contact}\n"));
    }
    out
}

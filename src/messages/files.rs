//! The catalogues as data files, for the browser build (used by `build.rs`, and by a native test
//! that checks each file says what its catalogue says).
//!
//! Each locale ships as two files, named by their content (the first 16 hex digits of the
//! SHA-256, so the files can be cached forever). The npm package's module embeds English and
//! loads the others; the drop-in's module (`fields_only`) embeds none and loads English too, so
//! a page downloads its own language's messages only:
//!
//! - `messages-<locale>.<hash>.txt`, the page's part: every code a field's check finds, and the
//!   channel words. The drop-in loads this one only.
//! - `messages-<locale>.form.<hash>.txt`, the whole form's part: the codes only a check of the
//!   whole form finds (`Code::whole_form`: custom fields, consent, the submission), which the
//!   npm module's `validate` needs too. The drop-in asks the verifier for those verdicts, and
//!   its messages come with them.
//!
//! `build.rs` reads the catalogue sources (`src/messages/<locale>.rs`, one `Code::X => "…",` line
//! per code, the Rust source staying the one place the words live) and the code list
//! (`src/issue/code.rs`), and writes:
//!
//! ```text
//! signup-guard messages fa 1          (the form's part: signup-guard messages fa form 1)
//! input.required<TAB>لطفاً این بخش را پر کنید.
//! …                                   (one line per code of the part, in `Code::ALL` order)
//! channel.email<TAB>ایمیل<TAB>نشانی ایمیل       (the page's part only)
//! channel.sms<TAB>…
//! channel.phone<TAB>…
//! ui.check<TAB>لطفاً این بخش‌ها را بررسی کنید: {list}.   (the page's part only: the drop-in's
//! …                                   own words, `PAGE_WORDS` of the source, which it reads)
//! ```

/// The locales that ship as files: every one (English last: only the drop-in's module loads it;
/// its words of the page are the drop-in's own, `www/drop-in/dom.js`, so its file has no `ui.`).
pub(crate) const FILE_LOCALES: [&str; 4] = ["ar", "fa", "id", "en"];

/// One code as `src/issue/code.rs` declares it.
pub(crate) struct CodeLine {
    /// The variant, `InputRequired`.
    pub(crate) variant: String,
    /// The wire form, `input.required`.
    pub(crate) wire: String,
    /// Whether only a check of the whole form finds it (the line ends in `, form;`).
    pub(crate) whole_form: bool,
}

/// The codes in declaration order, from the `codes!` block of `src/issue/code.rs`.
pub(crate) fn codes(issue_rs: &str) -> Vec<CodeLine> {
    let mut out = Vec::new();
    for line in issue_rs.lines().map(str::trim) {
        let Some((variant, rest)) = line.split_once(" = \"") else {
            continue;
        };
        let Some((wire, sev)) = rest.split_once("\", ") else {
            continue;
        };
        let whole_form = match sev {
            "Error;" | "Warning;" => false,
            "Error, form;" | "Warning, form;" => true,
            _ => continue,
        };
        if variant.chars().all(char::is_alphanumeric) {
            out.push(CodeLine {
                variant: variant.to_owned(),
                wire: wire.to_owned(),
                whole_form,
            });
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

/// The two data files of one catalogue source, the page's part and the whole form's, given the
/// codes of `src/issue/code.rs`.
pub(crate) fn files(locale: &str, source: &str, codes: &[CodeLine]) -> (String, String) {
    let mut templates = std::collections::HashMap::new();
    let mut channels = std::collections::HashMap::new();
    // `PAGE_WORDS`: its string literals, in pairs (however rustfmt lays the tuples out).
    let mut words = Vec::new();
    if let Some(start) = source.find("pub(super) const PAGE_WORDS") {
        let block = &source[start..];
        let block = &block[block.find("= [").expect("PAGE_WORDS = [")..];
        let block = &block[..block.find("\n];").expect("PAGE_WORDS ends with ];")];
        let literals: Vec<&str> = block.split('"').skip(1).step_by(2).collect();
        assert!(
            literals.len() % 2 == 0,
            "{locale}: PAGE_WORDS holds (key, text) pairs"
        );
        for pair in literals.chunks(2) {
            words.push((pair[0].to_owned(), unescape(pair[1])));
        }
    }
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
    let mut page = format!("signup-guard messages {locale} 1\n");
    let mut form = format!("signup-guard messages {locale} form 1\n");
    for code in codes {
        let t = templates
            .get(&code.variant)
            .unwrap_or_else(|| panic!("{locale}: no {}", code.variant));
        assert!(
            !t.contains(['\t', '\n']),
            "{locale} {}: tab or newline",
            code.variant
        );
        let part = if code.whole_form {
            &mut form
        } else {
            &mut page
        };
        part.push_str(&format!("{}\t{t}\n", code.wire));
    }
    for channel in ["email", "sms", "phone"] {
        let (how, contact) = &channels[channel];
        page.push_str(&format!("channel.{channel}\t{how}\t{contact}\n"));
    }
    for (key, text) in &words {
        assert!(
            !text.contains(['\t', '\n']),
            "{locale} ui.{key}: tab or newline"
        );
        page.push_str(&format!("ui.{key}\t{text}\n"));
    }
    (page, form)
}

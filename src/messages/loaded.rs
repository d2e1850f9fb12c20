//! Catalogues loaded at run time from their data files: how the browser build gets every locale
//! but English, and the drop-in's module (`fields_only`) English too (see `files.rs` for the
//! format and its two parts). A file is accepted only if its SHA-256 is one this build wrote, so
//! bytes of another build or a damaged download never render a message. The drop-in's module
//! knows only the page's parts.

use crate::issue::Code;
use crate::policy::Channel;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

// `FILES` (the page's parts) and `FORM_FILES` (the whole form's): (locale, file name, first 8
// bytes of its SHA-256), written by build.rs.
include!(concat!(env!("OUT_DIR"), "/message_files.rs"));

/// One part of one locale's catalogue: templates by `Code` position (empty for the codes of the
/// other part) and, in the page's part, the channel words (email, SMS, phone).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Catalogue {
    templates: Vec<String>,
    channels: Vec<(String, String)>,
}

// Natively the compiled catalogues answer; these serve the browser build and the tests.
#[cfg_attr(
    not(any(all(target_arch = "wasm32", target_os = "unknown"), test)),
    allow(dead_code)
)]
impl Catalogue {
    /// The template for `code`.
    pub(crate) fn template(&self, code: Code) -> &str {
        &self.templates[code as usize]
    }
    /// The words for `channel` (the page's part).
    pub(crate) fn channel(&self, channel: Channel) -> (&str, &str) {
        let (how, contact) = &self.channels[channel as usize];
        (how, contact)
    }
}

/// Reads a catalogue file of `locale`, the whole form's part if `form`, else the page's: its
/// codes in order, then (the page's part) the three channels.
pub(crate) fn parse(locale: &str, form: bool, text: &str) -> Option<Catalogue> {
    let mut lines = text.lines();
    let part = if form { " form" } else { "" };
    if lines.next()? != ["signup-guard messages ", locale, part, " 1"].concat() {
        return None;
    }
    let mut templates = Vec::with_capacity(Code::ALL.len());
    for &code in Code::ALL {
        if code.whole_form() != form {
            templates.push(String::new());
            continue;
        }
        let (wire, template) = lines.next()?.split_once('\t')?;
        if wire != code.as_str() {
            return None;
        }
        templates.push(template.to_owned());
    }
    let mut channels = Vec::with_capacity(3);
    let names: &[&str] = if form {
        &[]
    } else {
        &["channel.email", "channel.sms", "channel.phone"]
    };
    for name in names {
        let (key, words) = lines.next()?.split_once('\t')?;
        let (how, contact) = words.split_once('\t')?;
        if key != *name {
            return None;
        }
        channels.push((how.to_owned(), contact.to_owned()));
    }
    // The page's part ends with the drop-in's own words (`ui.<key>`), which its script reads.
    let mut rest = lines.peekable();
    while !form
        && rest
            .peek()
            .is_some_and(|l| l.starts_with("ui.") && l.contains('\t'))
    {
        rest.next();
    }
    rest.next().is_none().then_some(Catalogue {
        templates,
        channels,
    })
}

/// The loaded parts: the page's of each locale in `FILES` order, then the whole form's.
static LOADED: [OnceLock<Catalogue>; 8] = [const { OnceLock::new() }; 8];

/// `locale`'s place in `FILES`, if this build loads its catalogue: English is compiled in but
/// in the drop-in's module.
fn slot(locale: &str) -> Option<usize> {
    if locale == "en" && !cfg!(fields_only) {
        return None;
    }
    FILES.iter().position(|(l, _, _)| *l == locale)
}

/// Why catalogue bytes were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotACatalogue;

/// Loads one catalogue file (its bytes, as fetched) and answers its locale.
pub fn load(bytes: &[u8]) -> Result<&'static str, NotACatalogue> {
    let hash = Sha256::digest(bytes);
    let find = |files: &[(&'static str, &str, [u8; 8])]| {
        files.iter().position(|(_, _, h)| hash[..8] == h[..])
    };
    let (i, form) = match find(&FILES) {
        Some(i) => (i, false),
        #[cfg(not(fields_only))]
        None => (find(&FORM_FILES).ok_or(NotACatalogue)?, true),
        #[cfg(fields_only)]
        None => return Err(NotACatalogue),
    };
    let locale = FILES[i].0;
    let slot = &LOADED[i + if form { FILES.len() } else { 0 }];
    if slot.get().is_none() {
        let text = std::str::from_utf8(bytes).map_err(|_| NotACatalogue)?;
        let _ = slot.set(parse(locale, form, text).ok_or(NotACatalogue)?);
    }
    Ok(locale)
}

/// The file `locale` (negotiated) still needs, or `None` when it is compiled in or loaded: the
/// page's part, then, if `whole_form` (messages of a whole form's check) and but in the
/// drop-in's module, the whole form's part.
pub fn needed(locale: &str, whole_form: bool) -> Option<&'static str> {
    let i = slot(locale)?;
    if LOADED[i].get().is_none() {
        return Some(FILES[i].1);
    }
    #[cfg(not(fields_only))]
    if whole_form && LOADED[FILES.len() + i].get().is_none() {
        return Some(FORM_FILES[i].1);
    }
    #[cfg(fields_only)]
    let _ = whole_form;
    None
}

/// The loaded part of `locale`'s catalogue that has `code`'s template, if any.
#[cfg_attr(
    not(any(all(target_arch = "wasm32", target_os = "unknown"), test)),
    allow(dead_code)
)]
pub(crate) fn get(locale: &str, code: Code) -> Option<&'static Catalogue> {
    let i = slot(locale)?;
    LOADED[i + if code.whole_form() { FILES.len() } else { 0 }].get()
}

/// The loaded page's part of `locale`'s catalogue (it has the channel words), if any.
#[cfg_attr(
    not(any(all(target_arch = "wasm32", target_os = "unknown"), test)),
    allow(dead_code)
)]
pub(crate) fn page(locale: &str) -> Option<&'static Catalogue> {
    LOADED[slot(locale)?].get()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each file build.rs wrote says, code for code, what the compiled catalogue says.
    #[test]
    fn every_file_matches_its_catalogue() {
        let read = |name: &str| {
            let path = std::path::Path::new(env!("OUT_DIR"))
                .join("messages")
                .join(name);
            std::fs::read(&path).expect("build.rs wrote the file")
        };
        for ((locale, name, _), (_, form_name, _)) in FILES.into_iter().zip(FORM_FILES) {
            let compiled_in = locale == "en";
            let bytes = read(name);
            let form_bytes = read(form_name);
            let cat = parse(locale, false, std::str::from_utf8(&bytes).unwrap()).expect("parses");
            let form =
                parse(locale, true, std::str::from_utf8(&form_bytes).unwrap()).expect("parses");
            for &code in Code::ALL {
                let part = if code.whole_form() { &form } else { &cat };
                assert_eq!(
                    part.template(code),
                    super::super::template(locale, code),
                    "{locale} {code}"
                );
            }
            for ch in [Channel::Email, Channel::Sms, Channel::Phone] {
                assert_eq!(
                    cat.channel(ch),
                    super::super::channel_words(locale, ch),
                    "{locale}"
                );
            }
            if compiled_in {
                // Natively English is compiled in: its file is never asked for.
                assert_eq!(needed(locale, true), None);
                continue;
            }
            assert_eq!(needed(locale, false), Some(name));
            assert_eq!(needed(locale, true), Some(name));
            assert_eq!(load(&bytes), Ok(locale));
            assert_eq!(needed(locale, false), None);
            assert_eq!(needed(locale, true), Some(form_name));
            assert!(get(locale, Code::InputRequired).is_some());
            assert!(get(locale, Code::SubmissionMalformed).is_none());
            assert_eq!(load(&form_bytes), Ok(locale));
            assert_eq!(needed(locale, true), None);
            assert!(get(locale, Code::SubmissionMalformed).is_some());
            assert!(page(locale).is_some());
        }
        assert_eq!(needed("en", true), None);
        assert_eq!(load(b"signup-guard messages fa 1\n"), Err(NotACatalogue));
    }

    #[test]
    fn a_file_with_a_missing_or_extra_line_is_refused() {
        let (locale, name, _) = FILES[1];
        let path = std::path::Path::new(env!("OUT_DIR"))
            .join("messages")
            .join(name);
        let text = std::fs::read_to_string(path).unwrap();
        assert!(parse(locale, false, &text).is_some());
        assert!(parse(locale, false, &format!("{text}extra\n")).is_none());
        let cut: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with("input.required"))
            .collect();
        assert!(parse(locale, false, &cut.join("\n")).is_none());
        assert!(parse("ar", false, &text).is_none());
        assert!(
            parse(locale, true, &text).is_none(),
            "the page's part is not the form's"
        );
        let (_, form_name, _) = FORM_FILES[1];
        let form = std::fs::read_to_string(
            std::path::Path::new(env!("OUT_DIR"))
                .join("messages")
                .join(form_name),
        )
        .unwrap();
        assert!(parse(locale, true, &form).is_some());
        assert!(
            parse(locale, false, &form).is_none(),
            "the form's part is not the page's"
        );
        assert!(!form.contains("input.required") && form.contains("submission.malformed"));
    }
}

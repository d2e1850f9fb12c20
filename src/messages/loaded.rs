//! Catalogues loaded at run time from their data files: how the browser build gets every locale
//! but English (see `files.rs` for the format). A file is accepted only if its SHA-256 is the one
//! this build wrote, so bytes of another build or a damaged download never render a message.

use crate::issue::Code;
use crate::policy::Channel;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

// `FILES`: (locale, file name, first 8 bytes of its SHA-256), written by build.rs.
include!(concat!(env!("OUT_DIR"), "/message_files.rs"));

/// One locale's templates (by `Code` position) and channel words (email, SMS, phone).
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
    /// The words for `channel`.
    pub(crate) fn channel(&self, channel: Channel) -> (&str, &str) {
        let (how, contact) = &self.channels[channel as usize];
        (how, contact)
    }
}

/// Reads a catalogue file of `locale`: every code in order, then the three channels.
pub(crate) fn parse(locale: &str, text: &str) -> Option<Catalogue> {
    let mut lines = text.lines();
    if lines.next()? != format!("signup-guard messages {locale} 1") {
        return None;
    }
    let mut templates = Vec::with_capacity(Code::ALL.len());
    for code in Code::ALL {
        let (wire, template) = lines.next()?.split_once('\t')?;
        if wire != code.as_str() {
            return None;
        }
        templates.push(template.to_owned());
    }
    let mut channels = Vec::with_capacity(3);
    for name in ["channel.email", "channel.sms", "channel.phone"] {
        let (key, words) = lines.next()?.split_once('\t')?;
        let (how, contact) = words.split_once('\t')?;
        if key != name {
            return None;
        }
        channels.push((how.to_owned(), contact.to_owned()));
    }
    lines.next().is_none().then_some(Catalogue {
        templates,
        channels,
    })
}

static LOADED: [OnceLock<Catalogue>; 3] = [const { OnceLock::new() }; 3];

fn slot(locale: &str) -> Option<usize> {
    FILES.iter().position(|(l, _, _)| *l == locale)
}

/// Why catalogue bytes were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotACatalogue;

/// Loads one catalogue file (its bytes, as fetched) and answers its locale.
pub fn load(bytes: &[u8]) -> Result<&'static str, NotACatalogue> {
    let hash = Sha256::digest(bytes);
    let i = FILES
        .iter()
        .position(|(_, _, h)| hash[..8] == h[..])
        .ok_or(NotACatalogue)?;
    let locale = FILES[i].0;
    if LOADED[i].get().is_none() {
        let text = std::str::from_utf8(bytes).map_err(|_| NotACatalogue)?;
        let _ = LOADED[i].set(parse(locale, text).ok_or(NotACatalogue)?);
    }
    Ok(locale)
}

/// The file `locale` (negotiated) still needs, or `None` when it is compiled in or loaded.
pub fn needed(locale: &str) -> Option<&'static str> {
    let i = slot(locale)?;
    LOADED[i].get().is_none().then_some(FILES[i].1)
}

/// The loaded catalogue of `locale`, if any.
#[cfg_attr(
    not(any(all(target_arch = "wasm32", target_os = "unknown"), test)),
    allow(dead_code)
)]
pub(crate) fn get(locale: &str) -> Option<&'static Catalogue> {
    LOADED[slot(locale)?].get()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each file build.rs wrote says, code for code, what the compiled catalogue says.
    #[test]
    fn every_file_matches_its_catalogue() {
        for (locale, name, _) in FILES {
            let path = std::path::Path::new(env!("OUT_DIR"))
                .join("messages")
                .join(name);
            let bytes = std::fs::read(&path).expect("build.rs wrote the file");
            let cat = parse(locale, std::str::from_utf8(&bytes).unwrap()).expect("parses");
            for &code in Code::ALL {
                assert_eq!(
                    cat.template(code),
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
            assert_eq!(needed(locale), Some(name));
            assert_eq!(load(&bytes), Ok(locale));
            assert_eq!(needed(locale), None);
            assert!(get(locale).is_some());
        }
        assert_eq!(needed("en"), None);
        assert_eq!(load(b"signup-guard messages fa 1\n"), Err(NotACatalogue));
    }

    #[test]
    fn a_file_with_a_missing_or_extra_line_is_refused() {
        let (locale, name, _) = FILES[1];
        let path = std::path::Path::new(env!("OUT_DIR"))
            .join("messages")
            .join(name);
        let text = std::fs::read_to_string(path).unwrap();
        assert!(parse(locale, &text).is_some());
        assert!(parse(locale, &format!("{text}extra\n")).is_none());
        let cut: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with("input.required"))
            .collect();
        assert!(parse(locale, &cut.join("\n")).is_none());
        assert!(parse("ar", &text).is_none());
    }
}

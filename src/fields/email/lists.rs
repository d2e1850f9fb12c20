//! The email rules' word lists: the IANA root zone (`tld_list.rs`), the mailbox providers
//! (`providers.rs`: typo suggestions and homographs) and the role mailboxes (`role_list.rs`).
//!
//! Native builds compile all three in. Browser builds load the root zone from the email data
//! file (`email.<hash>.txt`, written by `build.rs`) when an address first needs it; the drop-in's
//! build (`fields_only`) takes the providers and the role names from that file too, 1.4 KB brotli
//! off every first load, so every address it checks past the syntax rules waits for the file
//! (the drop-in fetches it when the person starts on the email field). Until it is loaded, a lookup answers `None` and
//! marks the check (`begin`/`waited_for`), and the email rules answer `email.pending` instead of
//! a verdict: never one made without the list.
//!
//! The file: the root zone, one ending per line (byte-sorted); a blank line; the providers, one
//! per line, most common first; a blank line; the role names, one per line (byte-sorted).

/// The most providers a list may hold: the typo scan keeps one byte per provider of its window
/// on the stack. The email data file is refused beyond it (the compiled-in list is far below).
pub(super) const MAX_PROVIDERS: usize = 512;

/// The root zone, one ending per line (`lines`), or `None` while it is not loaded.
pub(crate) fn root_zone() -> Option<&'static str> {
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    return Some(super::tld_list::ROOT_ZONE);
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    lazy::FILE.get().map(|l| l.root_zone)
}

/// The mailbox providers, most common first, or `None` while they are not loaded.
pub(super) fn providers() -> Option<&'static [&'static str]> {
    #[cfg(not(fields_only))]
    return Some(super::providers::PROVIDERS);
    #[cfg(fields_only)]
    lazy::FILE.get().map(|l| l.providers.as_slice())
}

/// The role mailbox names, one per line (`lines`), or `None` while they are not loaded.
pub(super) fn roles() -> Option<&'static str> {
    #[cfg(not(fields_only))]
    return Some(super::role_list::ROLES);
    #[cfg(fields_only)]
    lazy::FILE.get().map(|l| l.roles)
}

/// The lists as a file the browser build loads (see the module comment).
#[cfg(any(all(target_arch = "wasm32", target_os = "unknown"), test))]
pub(crate) mod lazy {
    use crate::lazy_file::LazyFile;

    // `EMAIL_FILE`: (file name, first 8 bytes of its SHA-256), written by build.rs.
    include!(concat!(env!("OUT_DIR"), "/email_file.rs"));

    /// The file, decoded.
    pub(crate) struct Lists {
        /// The root zone, one ending per line.
        pub(super) root_zone: &'static str,
        /// The providers, most common first.
        #[cfg_attr(not(fields_only), allow(dead_code))]
        pub(super) providers: Vec<&'static str>,
        /// The role names, one per line.
        #[cfg_attr(not(fields_only), allow(dead_code))]
        pub(super) roles: &'static str,
    }

    /// The email data file.
    pub(crate) static FILE: LazyFile<Lists> = LazyFile::new(EMAIL_FILE, decode);

    /// Reads the file's text, or `None` if it is not laid out as the module comment says. The
    /// text is kept for the life of the page (a static loaded once), so the lists borrow it.
    fn decode(bytes: &[u8]) -> Option<Lists> {
        let text: &'static str = Box::leak(std::str::from_utf8(bytes).ok()?.into());
        // A list and what follows the blank line after it.
        let cut = |s: &'static str| {
            let i = crate::fields::find_text(s, "\n\n")?;
            Some((s.get(..=i)?, s.get(i + 2..)?))
        };
        let (root_zone, rest) = cut(text)?;
        let (providers, roles) = cut(rest)?;
        let providers: Vec<&'static str> = providers.split_terminator('\n').collect();
        if providers.len() > super::MAX_PROVIDERS {
            return None;
        }
        Some(Lists {
            root_zone,
            providers,
            roles,
        })
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::fields::email::{lines, providers, role_list, tld_list};

        /// The file holds exactly the lists native builds compile in.
        #[test]
        fn the_email_data_file_holds_the_embedded_lists() {
            let lists = decode(&FILE.written()).expect("decodes");
            assert_eq!(lists.root_zone, tld_list::ROOT_ZONE);
            assert_eq!(lists.providers, providers::PROVIDERS);
            assert!(providers::PROVIDERS.len() <= super::super::MAX_PROVIDERS);
            assert_eq!(lists.roles, role_list::ROLES);
            assert!(lines::contains(lists.roles, "noreply"));
        }

        /// Before the file: a lookup marks the check; the file loads once; other bytes never.
        #[test]
        fn a_check_before_the_file_waits_and_other_bytes_are_refused() {
            let bytes = FILE.written();
            assert_eq!(FILE.name(), EMAIL_FILE.0);
            if FILE.needed().is_some() {
                FILE.begin();
                assert!(FILE.get().is_none());
                assert_eq!(
                    FILE.waited_for(),
                    Some(EMAIL_FILE.0),
                    "a check before the file waits"
                );
            }
            assert_eq!(FILE.load(b"com\n"), Err(()));
            let mut damaged = bytes.clone();
            damaged[0] ^= 1;
            assert_eq!(FILE.load(&damaged), Err(()));
            assert_eq!(FILE.load(&bytes), Ok(()));
            FILE.begin();
            assert!(FILE.get().is_some());
            assert_eq!(FILE.waited_for(), None);
            assert_eq!(FILE.needed(), None);
        }

        /// A file of this layout with a section missing does not decode.
        #[test]
        fn a_file_without_its_three_lists_does_not_decode() {
            assert!(decode(b"com\nnet\n").is_none());
            assert!(decode(b"com\n\ngmail.com\n").is_none());
            let three = decode(b"com\n\ngmail.com\nyahoo.com\n\ninfo\n").expect("decodes");
            assert_eq!(
                (three.root_zone, three.providers, three.roles),
                ("com\n", vec!["gmail.com", "yahoo.com"], "info\n")
            );
        }
    }
}

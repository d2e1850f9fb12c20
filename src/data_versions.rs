//! Which release of each embedded data set this build carries, and its date: the phone
//! metadata (libphonenumber), the IANA top-level domains and the curated mailbox providers.
//!
//! Every face reports them (`signup-guard --version`, `GET /healthz`, `dataVersions()` in JS),
//! so a verdict that changed can be traced to the data that changed it.
//!
//! ```
//! let v = signup_guard::data_versions();
//! assert!(v.phone_metadata.version.is_some_and(|r| r.starts_with("9.")));
//! assert_eq!(v.providers.version, None); // a list curated here: only a review date
//! assert!(v.summary().starts_with("phone metadata 9."));
//! ```

use crate::fields::{email, phone};
use serde::Serialize;

/// One embedded data set: its upstream release (when it has one) and that release's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DataVersion {
    /// The upstream release, e.g. `9.0.43`; `None` for a list curated here.
    pub version: Option<&'static str>,
    /// The release's date (for a curated list: its last review), `YYYY-MM-DD`.
    pub date: &'static str,
}

/// The versions of every data set compiled into this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DataVersions {
    /// libphonenumber's metadata, compiled into the phone tables.
    pub phone_metadata: DataVersion,
    /// The IANA root zone (npm package `tlds` release) that email domains are checked against.
    pub tlds: DataVersion,
    /// The curated list of mailbox providers behind typo suggestions.
    pub providers: DataVersion,
}

/// The versions of the data compiled into this build.
pub const fn data_versions() -> DataVersions {
    DataVersions {
        phone_metadata: DataVersion {
            version: Some(phone::METADATA_VERSION),
            date: phone::METADATA_RELEASED,
        },
        tlds: DataVersion {
            version: Some(email::TLD_LIST_VERSION),
            date: email::TLD_LIST_DATE,
        },
        providers: DataVersion {
            version: None,
            date: email::PROVIDERS_REVIEWED,
        },
    }
}

impl DataVersions {
    /// One line for humans: `phone metadata 9.0.43 of 2026-11-06, TLDs 1.261.0 of …, providers of …`.
    pub fn summary(&self) -> String {
        let one = |name: &str, d: &DataVersion| match d.version {
            Some(v) => format!("{name} {v} of {}", d.date),
            None => format!("{name} of {}", d.date),
        };
        format!(
            "{}, {}, {}",
            one("phone metadata", &self.phone_metadata),
            one("TLDs", &self.tlds),
            one("providers", &self.providers)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_date_is_a_calendar_date() {
        let v = data_versions();
        for d in [v.phone_metadata, v.tlds, v.providers] {
            let parts: Vec<&str> = d.date.split('-').collect();
            assert_eq!(
                parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
                [4, 2, 2],
                "{d:?}"
            );
            assert!(
                d.date.bytes().all(|b| b.is_ascii_digit() || b == b'-'),
                "{d:?}"
            );
        }
    }

    #[test]
    fn summary_names_each_data_set_with_its_version() {
        let v = data_versions();
        let s = v.summary();
        assert!(
            s.contains(&format!("phone metadata {}", phone::METADATA_VERSION)),
            "{s}"
        );
        assert!(
            s.contains(&format!("TLDs {}", email::TLD_LIST_VERSION)),
            "{s}"
        );
        assert!(s.contains("providers of "), "{s}");
    }
}

#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod check;
pub mod consent;
pub mod custom;
pub mod data_versions;
pub mod digest;
pub mod fields;
pub mod hygiene;
pub mod issue;
/// The browser build's JSON (tests compare it with `serde_json` natively).
#[cfg(any(all(target_arch = "wasm32", target_os = "unknown"), test))]
mod json;
// The browser build's data files loaded on demand (the email data file, the Unicode tables).
#[cfg(any(all(target_arch = "wasm32", target_os = "unknown"), test))]
mod lazy_file;
pub mod locale;
pub mod messages;
pub mod policy;
pub mod source;
pub mod submission;
pub mod unicode;
pub mod validate;
pub mod verdict;

#[cfg(feature = "cli")]
pub mod audit;
#[cfg(feature = "cli")]
pub mod cli;

#[cfg(feature = "store")]
pub mod clock;
#[cfg(feature = "store")]
pub(crate) mod log;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "store")]
pub mod store;
/// The JS API of the WebAssembly module (browser and Node).
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub mod wasm;

pub use data_versions::{data_versions, DataVersion, DataVersions};
pub use fields::country::Country;
pub use fields::email::Email;
pub use fields::name::Name;
pub use fields::phone::{Phone, PhoneType};
pub use issue::{Checked, Code, Field, Issue, Params, Severity};
pub use policy::{Channel, Confirm, Policy, PolicyError, Purpose};
pub use submission::{ConsentClaim, Submission};
pub use validate::{validate, validate_with};
pub use verdict::{Contact, Verdict};

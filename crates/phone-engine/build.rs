//! The phone tables, exactly as the crate at the root compiles them (the same generator over the
//! same vendored metadata, so the chunk files and their order agree), with no chunk embedded:
//! the page loads each calling code's file on demand.

#[path = "../../src/fields/phone/build/chunks.rs"]
mod chunks;
#[path = "../../src/fields/phone/build/dfa.rs"]
mod dfa;
#[path = "../../src/fields/phone/build/emit.rs"]
mod emit;
#[path = "../../src/fields/phone/build/encode.rs"]
mod encode;
#[path = "../../src/fields/phone/build/metadata.rs"]
mod metadata;
#[path = "../../src/fields/phone/build/pattern.rs"]
mod pattern;

const METADATA: &str = "../../src/fields/phone/data/metadata.json";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=../../src/fields/phone/build");
    println!("cargo:rerun-if-changed={METADATA}");
    println!("cargo:rustc-check-cfg=cfg(phone_bridge)");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let db = metadata::load(std::path::Path::new(METADATA));
    chunks::write(&out, &db, |_| false);
}

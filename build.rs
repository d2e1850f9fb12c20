//! Compiles libphonenumber's metadata, vendored in `src/fields/phone/data/metadata.json` (refresh
//! it with `scripts/refresh-phone-metadata.sh VERSION`), into the digit tables
//! `src/fields/phone` walks at run time: see DESIGN §3 and `src/fields/phone/build/` for the
//! pattern compiler and DFA builder.

#[path = "src/fields/phone/build/dfa.rs"]
mod dfa;
#[path = "src/fields/phone/build/emit.rs"]
mod emit;
#[path = "src/fields/phone/build/metadata.rs"]
mod metadata;
#[path = "src/fields/phone/build/pattern.rs"]
mod pattern;

const METADATA: &str = "src/fields/phone/data/metadata.json";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/fields/phone/build");
    println!("cargo:rerun-if-changed={METADATA}");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR is set by cargo");
    let db = metadata::load(&std::path::Path::new(&dir).join(METADATA));
    let code = emit::generate(&db);
    std::fs::write(out.join("phone_tables.rs"), code).expect("write phone_tables.rs");
}

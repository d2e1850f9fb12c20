//! Compiles libphonenumber's metadata (from the pinned `phonenumber` build-dependency) into the
//! digit tables `src/fields/phone` walks at run time: see DESIGN §3 and
//! `src/fields/phone/build/` for the pattern compiler and DFA builder.

#[path = "src/fields/phone/build/dfa.rs"]
mod dfa;
#[path = "src/fields/phone/build/emit.rs"]
mod emit;
#[path = "src/fields/phone/build/pattern.rs"]
mod pattern;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/fields/phone/build");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let code = emit::generate(&phonenumber::metadata::DATABASE);
    std::fs::write(out.join("phone_tables.rs"), code).expect("write phone_tables.rs");
}

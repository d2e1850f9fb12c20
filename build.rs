//! Compiles libphonenumber's metadata, vendored in `src/fields/phone/data/metadata.json` (refresh
//! it with `scripts/refresh-phone-metadata.sh VERSION`), into the digit tables
//! `src/fields/phone` walks at run time: see DESIGN §3 and `src/fields/phone/build/` for the
//! pattern compiler and DFA builder.
//!
//! The tables come as one chunk per calling code (`$OUT_DIR/phone/phone-<code>.<hash>.bin`, the hash
//! being the first 16 hex digits of the chunk's SHA-256) plus an index that is always compiled
//! in. Native builds embed every chunk. The browser build (wasm32-unknown-unknown) embeds only
//! the regions named in `SG_PHONE_REGIONS` (`ID,IR,SA`, `all`, or empty: none); the page loads
//! the others on demand (`scripts/build-wasm.sh` copies them into `pkg/`).

#[path = "src/fields/phone/build/chunks.rs"]
mod chunks;
#[path = "src/fields/phone/build/dfa.rs"]
mod dfa;
#[path = "src/fields/phone/build/emit.rs"]
mod emit;
#[path = "src/fields/phone/build/encode.rs"]
mod encode;
#[path = "src/messages/files.rs"]
mod message_files;
// Only LOOKALIKES, for the Unicode data file.
#[path = "src/unicode/lookalikes.rs"]
#[allow(dead_code)]
mod lookalikes;
#[path = "src/fields/phone/build/metadata.rs"]
mod metadata;
#[path = "src/fields/phone/build/pattern.rs"]
mod pattern;
#[path = "src/fields/email/providers.rs"]
#[allow(dead_code)]
mod providers;
#[path = "src/fields/email/role_list.rs"]
mod role_list;
#[path = "src/unicode/script_names.rs"]
mod script_names;
#[path = "src/fields/email/tld_list.rs"]
#[allow(dead_code)]
mod tld_list;

use sha2::{Digest, Sha256};

const METADATA: &str = "src/fields/phone/data/metadata.json";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/fields/phone/build");
    println!("cargo:rerun-if-changed={METADATA}");
    println!("cargo:rerun-if-env-changed=SG_PHONE_REGIONS");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR is set by cargo");
    let db = metadata::load(&std::path::Path::new(&dir).join(METADATA));
    let browser = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32")
        && std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("unknown");
    // The phone engine as a module of its own (browser builds only; natively the feature is a
    // no-op, so `--all-features` builds and tests the native engine as always).
    println!("cargo:rustc-check-cfg=cfg(phone_bridge)");
    let bridge = std::env::var_os("CARGO_FEATURE_PHONE_BRIDGE").is_some();
    if browser && bridge {
        println!("cargo:rustc-cfg=phone_bridge");
    }
    // The drop-in's module (browser builds only): no whole-submission `validate` and no custom
    // fields, which the drop-in asks the verifier for (`scripts/build-wasm.sh`, Cargo.toml).
    println!("cargo:rustc-check-cfg=cfg(fields_only)");
    if browser && std::env::var_os("CARGO_FEATURE_FIELDS_ONLY").is_some() {
        println!("cargo:rustc-cfg=fields_only");
    }
    let wanted = std::env::var("SG_PHONE_REGIONS").unwrap_or_default();
    let wanted: Vec<&str> = wanted
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let embed_code = |cc: u16| {
        !browser
            || wanted.contains(&"all")
            || db
                .regions
                .iter()
                .any(|m| m.country_code == cc && wanted.contains(&m.id.as_str()))
    };
    for id in &wanted {
        assert!(
            *id == "all" || db.regions.iter().any(|m| m.id == *id),
            "SG_PHONE_REGIONS: unknown region {id:?}"
        );
    }

    chunks::write(&out, &db, embed_code);
    catalogue_files(&out, std::path::Path::new(&dir));
    unicode_file(&out);
    email_file(&out);
}

/// Writes `$OUT_DIR/email/email.<hash>.txt`, the email data file the browser build loads when an
/// address first needs it (src/fields/email/lists.rs: the root zone, a blank line, the providers,
/// a blank line, the role names), and its name and hash for the module.
fn email_file(out: &std::path::Path) {
    for list in ["tld_list", "providers", "role_list"] {
        println!("cargo:rerun-if-changed=src/fields/email/{list}.rs");
    }
    let text = [
        tld_list::ROOT_ZONE,
        "\n",
        &providers::PROVIDERS.join("\n"),
        "\n\n",
        role_list::ROLES,
    ]
    .concat();
    lazy_file(out, "email", "txt", text.as_bytes(), "EMAIL_FILE");
}

/// Writes `bytes` as `$OUT_DIR/STEM/STEM.<hash>.EXT`, a file the browser build loads on demand
/// (src/lazy_file.rs), alone in that directory, and `$OUT_DIR/STEM_file.rs` declaring
/// `static CONST: (name, hash)` for the module.
fn lazy_file(out: &std::path::Path, stem: &str, ext: &str, bytes: &[u8], konst: &str) {
    let dir = out.join(stem);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a data file directory");
    let (name, hash) = write_named(&dir, stem, ext, bytes);
    std::fs::write(
        out.join(format!("{stem}_file.rs")),
        format!("pub(super) static {konst}: (&str, [u8; 8]) = ({name:?}, {hash:?});\n"),
    )
    .expect("write a data file's name");
}

/// Writes `bytes` as `dir/STEM.<hash>.EXT`, named by its content (the first 16 hex digits of its
/// SHA-256, so a host may cache it forever); answers the name and the hash's first 8 bytes.
fn write_named(dir: &std::path::Path, stem: &str, ext: &str, bytes: &[u8]) -> (String, [u8; 8]) {
    let hash: [u8; 8] = Sha256::digest(bytes)[..8].try_into().expect("8 bytes");
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    let name = format!("{stem}.{hex}.{ext}");
    std::fs::write(dir.join(&name), bytes).expect("write a data file");
    (name, hash)
}

/// Writes `$OUT_DIR/unicode/unicode.<hash>.bin`, the Unicode tables the browser build loads when
/// a value beyond ASCII needs them (src/unicode/lazy.rs: the identifier table's length and
/// bytes, the look-alike entries' count and entries, then the script names), and its name and
/// hash for the module.
fn unicode_file(out: &std::path::Path) {
    println!("cargo:rerun-if-changed=src/unicode/lookalikes.rs");
    println!("cargo:rerun-if-changed=src/unicode/script_names.rs");
    let identifier = identifier_table();
    let mut bytes = (identifier.len() as u32).to_le_bytes().to_vec();
    bytes.extend_from_slice(&identifier);
    bytes.extend_from_slice(&(lookalikes::LOOKALIKES.len() as u32).to_le_bytes());
    for entry in lookalikes::LOOKALIKES {
        bytes.extend_from_slice(&entry.to_le_bytes());
    }
    bytes.extend_from_slice(script_names::SCRIPT_NAMES.as_bytes());
    lazy_file(out, "unicode", "bin", &bytes, "UNICODE_FILE");
}

/// The code points UTS #39 allows in identifiers (Identifier_Status=Allowed, from
/// `unicode-security`), as LEB128 pairs (gap from the end of the previous range, length − 1):
/// 3.3 KB, 1.8 KB brotli, where the crate's table of `(char, char)` pairs is 13 KB. The browser
/// build reads it from the Unicode data file (src/unicode/identifier.rs).
fn identifier_table() -> Vec<u8> {
    use unicode_security::GeneralSecurityProfile;
    let allowed = |u: u32| char::from_u32(u).is_some_and(|c| c.identifier_allowed());
    let mut bytes = Vec::new();
    let mut push = |mut n: u32| loop {
        let low = (n & 0x7F) as u8;
        n >>= 7;
        if n == 0 {
            bytes.push(low);
            break;
        }
        bytes.push(low | 0x80);
    };
    let (mut next, mut u) = (0u32, 0u32);
    while u <= 0x10FFFF {
        if !allowed(u) {
            u += 1;
            continue;
        }
        let start = u;
        while u < 0x10FFFF && allowed(u + 1) {
            u += 1;
        }
        push(start - next);
        push(u - start);
        next = u + 1;
        u += 1;
    }
    bytes
}

/// Writes `$OUT_DIR/messages/messages-<locale>.<hash>.txt` and `messages-<locale>.form.<hash>.txt`
/// for each catalogue that the browser loads as files (see src/messages/files.rs), and their
/// names for the module.
fn catalogue_files(out: &std::path::Path, dir: &std::path::Path) {
    println!("cargo:rerun-if-changed=src/messages");
    println!("cargo:rerun-if-changed=src/issue/code.rs");
    let read = |p: &str| std::fs::read_to_string(dir.join(p)).expect("read a catalogue source");
    let codes = message_files::codes(&read("src/issue/code.rs"));
    let files = out.join("messages");
    let _ = std::fs::remove_dir_all(&files);
    std::fs::create_dir_all(&files).expect("create $OUT_DIR/messages");
    let write = |stem: String, text: &str| write_named(&files, &stem, "txt", text.as_bytes());
    let mut page = Vec::new();
    let mut form = Vec::new();
    for locale in message_files::FILE_LOCALES {
        let source = read(&format!("src/messages/{locale}.rs"));
        let (page_text, form_text) = message_files::files(locale, &source, &codes);
        let (name, hash) = write(format!("messages-{locale}"), &page_text);
        page.push((locale, name, hash));
        let (name, hash) = write(format!("messages-{locale}.form"), &form_text);
        form.push((locale, name, hash));
    }
    std::fs::write(
        out.join("message_files.rs"),
        format!(
            "pub(super) static FILES: [(&str, &str, [u8; 8]); 4] = {page:?};\n\
             #[allow(dead_code)] // the drop-in's module loads only the page's parts\n\
             pub(super) static FORM_FILES: [(&str, &str, [u8; 8]); 4] = {form:?};\n"
        ),
    )
    .expect("write message_files.rs");
}

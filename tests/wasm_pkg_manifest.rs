//! The npm manifest (`pkg.json`, copied to `pkg/package.json` by `scripts/build-wasm.sh`) stays in
//! step with the crate: same version, and every file it exports or types is one the build ships.

use serde_json::Value;

fn manifest() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/pkg.json"))
        .expect("pkg.json at the top level");
    serde_json::from_str(&text).expect("pkg.json is JSON")
}

#[test]
fn npm_version_equals_the_crate_version() {
    assert_eq!(manifest()["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn npm_name_is_the_crate_name() {
    assert_eq!(manifest()["name"], env!("CARGO_PKG_NAME"));
}

#[test]
fn every_exported_or_typed_file_is_in_the_files_list() {
    let m = manifest();
    let files: Vec<&str> = m["files"]
        .as_array()
        .expect("files is a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let mut targets = vec![m["types"].as_str().expect("types").to_owned()];
    for (_, target) in m["exports"].as_object().expect("exports is a map") {
        match target {
            Value::String(s) => targets.push(s.clone()),
            Value::Object(conds) => {
                targets.extend(conds.values().filter_map(|v| v.as_str().map(str::to_owned)))
            }
            other => panic!("unexpected export target {other}"),
        }
    }
    for t in targets {
        let name = t.trim_start_matches("./");
        assert!(
            name == "package.json" || files.contains(&name),
            "{t} is exported but not in files"
        );
    }
    // The hand-written sources the build copies must exist.
    for src in [
        "www/signup-guard.js",
        "www/signup-guard.css",
        "www/signup-guard.d.ts",
        "www/drop-in.d.ts",
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(src);
        assert!(path.is_file(), "{src} is missing");
    }
}

#[test]
fn the_module_is_esm_and_declares_its_side_effects() {
    let m = manifest();
    assert_eq!(m["type"], "module");
    let effects = m["sideEffects"]
        .as_array()
        .expect("sideEffects lists the drop-in");
    assert!(effects.iter().any(|e| e == "./signup-guard.js"));
}

//! Static files: where they may come from, and the demo's wasm compressed with its type and
//! cache headers.

use super::*;

/// The caching of a file whose name carries its content's hash.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[test]
fn assets_come_from_pkg_then_www_and_never_from_elsewhere() {
    let server = TestServer::start(|_| {});
    server.write_file("pkg/signup_guard_bg.wasm", b"\0asm");
    server.write_file("www/site.css", b"body{}");
    server.write_file("secret.txt", b"no");
    let wasm = server.get("/signup_guard_bg.wasm");
    assert_eq!(
        (wasm.status, wasm.header("content-type")),
        (200, Some("application/wasm"))
    );
    assert_eq!(
        server.get("/site.css").header("content-type"),
        Some("text/css; charset=utf-8")
    );
    for path in [
        "/..%2Fsecret.txt",
        "/../secret.txt",
        "/.hidden",
        "/pkg%2F..%2F..%2Fsecret.txt",
    ] {
        assert_eq!(server.get(path).status, 404, "{path}");
    }
    // Without www/index.html the built-in form is served, with the consent block.
    let page = server.get("/?lang=fa");
    assert!(page.text().contains("dir=\"rtl\""));
    assert!(page.text().contains("name=\"sg_hp\""));
    let policy = server.get("/v1/policy").json();
    assert_eq!(policy["id"], "acme-news");
}

/// Issue 12 point 2, "serve it as a CDN would": the wasm module travels brotli-compressed (so
/// `WebAssembly.instantiateStreaming` compiles it while it downloads, as `application/wasm`),
/// unhashed names revalidate after a short while, hashed ones are immutable, and the page keeps
/// a minute while pages with tokens are never stored.
#[test]
fn the_demo_wasm_travels_compressed_with_its_type_and_cache_headers() {
    let server = TestServer::start(|_| {});
    let pkg = server.dir.0.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    // The real bundle when it is built, else a module-shaped file that compresses like one.
    let built = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("pkg/signup_guard_bg.wasm");
    let wasm = std::fs::read(built).unwrap_or_else(|_| {
        let mut fake = b"\0asm\x01\0\0\0".to_vec();
        for i in 0..20_000u32 {
            fake.extend_from_slice(&[0x20, (i % 7) as u8, 0x41, (i % 13) as u8, 0x6a]);
        }
        fake
    });
    std::fs::write(pkg.join("signup_guard_bg.wasm"), &wasm).unwrap();
    std::fs::write(pkg.join("signup_guard_bg.3f9a1c2e.wasm"), &wasm).unwrap();
    let get = |path: &str, headers: &[(&str, &str)]| server.request("GET", path, headers, b"");

    let br = get("/signup_guard_bg.wasm", &[("accept-encoding", "br")]);
    assert_eq!(br.status, 200);
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.header("content-type"), Some("application/wasm"));
    assert!(
        br.body.len() < wasm.len(),
        "{} >= {}",
        br.body.len(),
        wasm.len()
    );
    let mut decoded = Vec::new();
    brotli_decompressor::BrotliDecompress(&mut br.body.as_slice(), &mut decoded).unwrap();
    assert!(decoded == wasm, "the brotli stream decodes to the file");
    assert!(br
        .headers
        .iter()
        .any(|(k, v)| k == "vary" && v.to_ascii_lowercase().contains("accept-encoding")));
    // No hash in the name: a short max-age, then revalidation by Last-Modified.
    assert_eq!(br.header("cache-control"), Some("public, max-age=300"));
    let modified = br.header("last-modified").unwrap().to_owned();
    let again = get(
        "/signup_guard_bg.wasm",
        &[("if-modified-since", modified.as_str())],
    );
    assert_eq!(again.status, 304);

    let gz = get("/signup_guard_bg.wasm", &[("accept-encoding", "gzip")]);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert!(gz.body.len() < wasm.len());
    let raw = get("/signup_guard_bg.wasm", &[]);
    assert_eq!(
        (raw.header("content-encoding"), raw.body.len()),
        (None, wasm.len())
    );

    let hashed = get(
        "/signup_guard_bg.3f9a1c2e.wasm",
        &[("accept-encoding", "br")],
    );
    assert_eq!(hashed.header("cache-control"), Some(IMMUTABLE));
    // A precompressed copy beside a file (`scripts/build-wasm.sh` writes `.br` at quality 11 and
    // `.gz`) goes out as it is, to a client that accepts it, keyed by Accept-Encoding.
    let engine = "phone-engine.0a1b2c3d4e5f6789.wasm";
    std::fs::write(pkg.join(engine), &wasm).unwrap();
    std::fs::write(pkg.join(format!("{engine}.br")), b"the .br copy").unwrap();
    let pre = get(&format!("/{engine}"), &[("accept-encoding", "gzip, br")]);
    assert_eq!(pre.body, b"the .br copy");
    assert_eq!(
        (pre.header("content-encoding"), pre.header("content-type")),
        (Some("br"), Some("application/wasm"))
    );
    assert!(pre
        .headers
        .iter()
        .any(|(k, v)| k == "vary" && v.to_ascii_lowercase().contains("accept-encoding")));
    assert_eq!(pre.header("cache-control"), Some(IMMUTABLE));
    assert_eq!(get(&format!("/{engine}"), &[]).body, wasm);
    // The data files a page fetches on demand: a message catalogue (text, compressed) and a
    // calling code's phone data (bytes), both immutable under their content-hashed names.
    let catalogue =
        "signup-guard messages fa 1\ninput.required\tلطفاً این بخش را پر کنید.\n".repeat(8);
    std::fs::write(pkg.join("messages-fa.0a1b2c3d4e5f6789.txt"), &catalogue).unwrap();
    std::fs::write(pkg.join("phone-62.0a1b2c3d4e5f6789.bin"), [7u8; 300]).unwrap();
    std::fs::write(
        pkg.join("email.0a1b2c3d4e5f6789.txt"),
        "aaa\naarp\nabb\n".repeat(40),
    )
    .unwrap();
    let email_data = get(
        "/email.0a1b2c3d4e5f6789.txt",
        &[("accept-encoding", "gzip")],
    );
    assert_eq!(
        email_data.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(email_data.header("content-encoding"), Some("gzip"));
    assert_eq!(email_data.header("cache-control"), Some(IMMUTABLE));
    let text = get(
        "/messages-fa.0a1b2c3d4e5f6789.txt",
        &[("accept-encoding", "br")],
    );
    assert_eq!(text.status, 200);
    assert_eq!(
        text.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(text.header("content-encoding"), Some("br"));
    assert_eq!(text.header("cache-control"), Some(IMMUTABLE));
    let phone = get("/phone-62.0a1b2c3d4e5f6789.bin", &[]);
    assert_eq!(
        phone.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(phone.header("cache-control"), Some(IMMUTABLE));
    // The page and the policy keep a minute; the unsubscribe page (it holds a token) none.
    let page = get("/", &[("accept-encoding", "br, gzip")]);
    assert_eq!(page.header("cache-control"), Some("public, max-age=60"));
    assert_eq!(page.header("content-encoding"), Some("br"));
    assert_eq!(
        get("/v1/policy", &[]).header("cache-control"),
        Some("public, max-age=60")
    );
    let etag = get("/v1/policy", &[]).header("etag").unwrap().to_owned();
    assert_eq!(
        get("/v1/policy", &[("if-none-match", etag.as_str())]).status,
        304
    );
    let unsubscribe = get("/v1/unsubscribe?token=1.newsletter.x", &[]);
    assert_eq!(unsubscribe.header("cache-control"), Some("no-store"));
}

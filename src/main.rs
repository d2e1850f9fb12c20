//! The `signup-guard` command: a thin face over the library (see `signup_guard::cli`).

/// The server's allocator: cross-thread frees (a submission allocated on a tokio worker, freed on
/// the writer thread) without glibc's arena lock; see Cargo.toml and benches/server-profile.md.
#[cfg(feature = "server")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    signup_guard::cli::main()
}

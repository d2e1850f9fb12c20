//! The `signup-guard` command: a thin face over the library (see `signup_guard::cli`).

fn main() -> std::process::ExitCode {
    signup_guard::cli::main()
}

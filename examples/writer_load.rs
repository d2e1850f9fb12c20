//! The store's write path alone, without HTTP: `N` valid signups through the SQLite writer
//! thread (group commit, WAL fsync before each answer), `C` in flight at once, submitted from one
//! current-thread runtime. It prints submissions/s and the CPU the whole process used per
//! submission, the ceiling a durable `POST /v1/submissions` cannot pass however fast HTTP is.
//!
//! ```sh
//! cargo run --release --features server --example writer_load -- --dir /tmp/wl --requests 100000 --in-flight 64
//! taskset -c 0 target/release/examples/writer_load --dir /tmp/wl2 --requests 100000   # one core
//! ```
//!
//! `--dir` must be an empty or missing directory on the disk to measure (the database is created
//! there and left behind).

use signup_guard::clock::Clock;
use signup_guard::store::{Keys, Store, Submit, WriterOptions};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

struct Args {
    dir: PathBuf,
    requests: usize,
    in_flight: usize,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        dir: PathBuf::new(),
        requests: 100_000,
        in_flight: 64,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let number = |v: &str| v.parse::<usize>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--dir" => a.dir = PathBuf::from(value),
            "--requests" => a.requests = number(&value)?,
            "--in-flight" => a.in_flight = number(&value)?.max(1),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if a.dir.as_os_str().is_empty() {
        return Err("--dir is required".into());
    }
    Ok(a)
}

/// CPU (user + system) this process has used, in milliseconds, from `/proc/self/stat`.
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks * 1000.0 / 100.0)
}

fn run(a: &Args) -> Result<(), String> {
    std::fs::create_dir_all(&a.dir).map_err(|e| format!("{}: {e}", a.dir.display()))?;
    let clock = Clock::system();
    let store = Store::open(&a.dir.join("writer-load.db")).map_err(|e| e.0)?;
    let options = WriterOptions {
        idempotency_ttl: Duration::from_secs(86_400),
        clock: clock.clone(),
        confirm_within: Duration::from_secs(7 * 86_400),
        pause_after_commit: None,
    };
    let (writer, thread) = store
        .start_writer(Keys::new(b"writer_load".to_vec()), options)
        .map_err(|e| e.0)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    let signups: Vec<Submit> = (0..a.requests)
        .map(|n| Submit::sample(n, clock.now()))
        .collect();
    let (cpu0, started) = (cpu_ms(), Instant::now());
    let stored = runtime.block_on(async {
        let mut running = tokio::task::JoinSet::new();
        let mut next = signups.into_iter();
        let mut stored = 0usize;
        loop {
            while running.len() < a.in_flight {
                let Some(s) = next.next() else { break };
                let w = writer.clone();
                running.spawn(async move { w.submit(s).await });
            }
            match running.join_next().await {
                Some(Ok(Ok(answer))) if answer.status == 201 => stored += 1,
                Some(other) => return Err(format!("a signup was not stored: {other:?}")),
                None => return Ok(stored),
            }
        }
    })?;
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu_ms().zip(cpu0).map(|(b, a)| b - a);
    drop(writer);
    thread
        .join()
        .map_err(|_| "the writer thread panicked".to_owned())?;
    let per = cpu.map_or("?".into(), |ms| {
        format!("{:.1}", ms * 1000.0 / stored as f64)
    });
    println!(
        "writer_load: {stored} stored, {} in flight: {:.0}/s, process CPU {per} us per submission",
        a.in_flight,
        stored as f64 / seconds
    );
    Ok(())
}

fn main() -> ExitCode {
    match args().and_then(|a| run(&a)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("writer_load: {e}");
            ExitCode::from(2)
        }
    }
}

//! Phone numbers checked per second on one core, per-call latency and the first (cold) call,
//! over one list of numbers from every region in random order.
//!
//! Run: `bash scripts/phone-bench.sh` (makes the list, runs this and libphonenumber-js side by
//! side). Directly: `PHONE_BENCH_LIST=list.tsv cargo bench --bench phone`; each line of the list
//! is `text<TAB>default_region`. Prints one JSON object.

use signup_guard::fields::{country::Country, phone};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let Ok(path) = std::env::var("PHONE_BENCH_LIST") else {
        eprintln!("phone bench: set PHONE_BENCH_LIST (see scripts/phone-bench.sh); skipped");
        return;
    };
    let text = std::fs::read_to_string(&path).expect("read the list");
    let list: Vec<(String, Option<Country>)> = text
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(n, r)| (n.to_owned(), Country::from_code(r)))
        .collect();
    assert!(!list.is_empty(), "empty list");

    // The very first call of the process: tables are static data, so there is nothing to load.
    let t = Instant::now();
    let first = phone::parse(&list[0].0, list[0].1);
    let first_ns = t.elapsed().as_nanos();
    black_box(&first);

    let rounds = 5;
    let t = Instant::now();
    let mut valid = 0usize;
    for _ in 0..rounds {
        for (n, r) in &list {
            valid += usize::from(black_box(phone::parse(black_box(n), *r)).is_ok());
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let per_sec = (rounds * list.len()) as f64 / secs;

    let mut lat: Vec<u128> = Vec::with_capacity(list.len());
    for (n, r) in &list {
        let t = Instant::now();
        black_box(phone::parse(black_box(n), *r));
        lat.push(t.elapsed().as_nanos());
    }
    lat.sort_unstable();
    let q = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    println!(
        "{{\"engine\":\"signup-guard\",\"numbers\":{},\"valid\":{},\"per_sec\":{:.0},\"first_call_us\":{:.1},\"p50_ns\":{},\"p99_ns\":{},\"p999_ns\":{},\"max_ns\":{}}}",
        list.len(),
        valid / rounds,
        per_sec,
        first_ns as f64 / 1000.0,
        q(0.5),
        q(0.99),
        q(0.999),
        lat[lat.len() - 1]
    );
}

//! Email verdicts per second on one core, over a realistic mixed list.
//!
//! Run: `cargo bench --bench email` (criterion prints `thrpt` in elements/s, one element = one
//! address checked with the default options, including warnings).
//! The list mimics a CRM export: mostly big providers, company domains, country variants,
//! typos, a few internationalized addresses, display-name forms and plain garbage.

use criterion::{black_box, criterion_main, Criterion, Throughput};
use signup_guard::fields::email;

fn mixed_list(n: usize) -> Vec<String> {
    const DOMAINS: &[(&str, u32)] = &[
        ("gmail.com", 30),
        ("yahoo.com", 8),
        ("hotmail.com", 6),
        ("outlook.com", 5),
        ("yahoo.co.id", 4),
        ("icloud.com", 3),
        ("acme-corp.com", 6),
        ("example.co.uk", 3),
        ("uni.ac.id", 2),
        ("mail.ru", 2),
        ("qq.com", 2),
        ("gmx.de", 2),
        ("naver.com", 1),
        ("gmial.com", 1),
        ("gmail.con", 1),
        ("yaho.co.id", 1),
        ("bücher.de", 1),
        ("mailinator.com", 1),
        ("localhost", 1),
    ];
    const LOCALS: &[&str] = &[
        "jane.doe",
        "Budi.Santoso",
        "info",
        "ahmad99",
        "m.rossi+news",
        "li.wei",
        "o'brien",
        "ivan.petrov",
        "sales",
        "k.tanaka",
        "user_2020",
        "ANI",
    ];
    const ODD: &[&str] = &[
        " Jane Doe <jane@example.org> ",
        "mailto:ani@yahoo.co.id",
        "иван@пример.рф",
        "张伟@qq.com",
        "not an email",
        "a@b@c.com",
        "user@exam!ple.com",
        "\"john\"@example.com",
    ];
    let total: u32 = DOMAINS.iter().map(|d| d.1).sum();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|_| {
            let r = next();
            if r % 25 == 0 {
                return ODD[(r / 25) as usize % ODD.len()].to_owned();
            }
            let mut pick = (r >> 8) as u32 % total;
            let domain = DOMAINS
                .iter()
                .find(|(_, w)| {
                    if pick < *w {
                        true
                    } else {
                        pick -= w;
                        false
                    }
                })
                .map_or("gmail.com", |d| d.0);
            let local = LOCALS[(r >> 40) as usize % LOCALS.len()];
            format!("{local}{}@{domain}", (r >> 20) % 1000)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let list = mixed_list(10_000);
    let mut group = c.benchmark_group("email");
    group.throughput(Throughput::Elements(list.len() as u64));
    group.bench_function("parse_mixed_10k", |b| {
        b.iter(|| {
            let mut valid = 0usize;
            for input in &list {
                valid += usize::from(email::parse(black_box(input)).is_ok());
            }
            valid
        })
    });
    group.finish();
}

// The macro defines an undocumented `pub fn benches`.
#[allow(missing_docs)]
mod group {
    criterion::criterion_group!(benches, super::bench);
}
criterion_main!(group::benches);

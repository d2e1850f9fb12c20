//! Writes a realistic contact list (a CRM export) for the audit benchmark.
//!
//! `cargo run --release --example audit_gen -- ROWS > list.csv` (default 1,000,000 rows).
//! Deterministic (fixed seed). Mixed regions and scripts (Indonesia, India, US, UK, Brazil,
//! Germany, Japan in Latin, Devanagari and Kanji; UAE, Saudi Arabia, Egypt in Arabic; Iran in
//! Persian), phones in national, international, `00` and native-digit forms, about 15% invalid
//! emails (missing `@`, `.con` typos, doubled dots, spaces, one-label domains…), about 10% rows
//! repeating an earlier contact (other case, spaces, or phone only). What was injected is
//! printed on stderr.

use std::io::{self, BufWriter, Write};

/// splitmix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

struct Region {
    code: &'static str,
    weight: usize,
    given: &'static [&'static str],
    family: &'static [&'static str],
    /// Latin spellings for the mailbox.
    latin: &'static [&'static str],
    providers: &'static [&'static str],
    company_tld: &'static str,
    calling: &'static str,
    /// National mobile prefixes (with trunk 0 where the region uses one) and digits after them.
    mobile: &'static [&'static str],
    rest: usize,
    trunk: bool,
    /// Digits people type there: 0 ASCII, 1 Arabic-Indic, 2 Persian.
    native_digits: u8,
    /// Whether `00` is the region's international prefix (people there type `00CC…`).
    intl_00: bool,
}

const REGIONS: &[Region] = &[
    Region {
        code: "ID",
        weight: 30,
        given: &[
            "Budi", "Siti", "Agus", "Dewi", "Rina", "Andi", "Putri", "Wahyu", "Nur", "Eko",
        ],
        family: &[
            "Santoso", "Wijaya", "Saputra", "Lestari", "Hidayat", "Kusuma", "Pratama",
        ],
        latin: &[
            "budi", "siti", "agus", "dewi", "rina", "andi", "putri", "wahyu",
        ],
        providers: &[
            "gmail.com",
            "yahoo.co.id",
            "yahoo.com",
            "hotmail.com",
            "outlook.co.id",
        ],
        company_tld: "co.id",
        calling: "62",
        mobile: &["0812", "0813", "0821", "0852", "0857", "0878", "0896"],
        rest: 8,
        trunk: true,
        native_digits: 0,
        intl_00: false,
    },
    Region {
        code: "IN",
        weight: 10,
        given: &[
            "राहुल",
            "प्रिया",
            "Amit",
            "Sunita",
            "Vikram",
            "Anjali",
            "अमित",
        ],
        family: &["शर्मा", "Verma", "Patel", "Singh", "गुप्ता", "Reddy"],
        latin: &["rahul", "priya", "amit", "sunita", "vikram", "anjali"],
        providers: &["gmail.com", "rediffmail.com", "yahoo.co.in", "outlook.com"],
        company_tld: "in",
        calling: "91",
        mobile: &["98", "97", "96", "94", "91", "88", "70"],
        rest: 8,
        trunk: false,
        native_digits: 0,
        intl_00: true,
    },
    Region {
        code: "US",
        weight: 12,
        given: &[
            "James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "Linda",
        ],
        family: &[
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "O'Brien",
        ],
        latin: &["james", "mary", "robert", "patricia", "michael", "jennifer"],
        providers: &[
            "gmail.com",
            "yahoo.com",
            "outlook.com",
            "aol.com",
            "icloud.com",
        ],
        company_tld: "com",
        calling: "1",
        mobile: &["2125", "4157", "6463", "3128", "6172", "2134", "3059"],
        rest: 6,
        trunk: false,
        native_digits: 0,
        intl_00: false,
    },
    Region {
        code: "GB",
        weight: 8,
        given: &["Oliver", "Amelia", "Harry", "Isla", "George", "Siobhan"],
        family: &[
            "Taylor",
            "Davies",
            "Evans",
            "Thomas",
            "Wilson",
            "Smith-Jones",
        ],
        latin: &["oliver", "amelia", "harry", "isla", "george"],
        providers: &[
            "gmail.com",
            "hotmail.co.uk",
            "btinternet.com",
            "yahoo.co.uk",
        ],
        company_tld: "co.uk",
        calling: "44",
        mobile: &["0781", "0783", "0795", "0742", "0758"],
        rest: 7,
        trunk: true,
        native_digits: 0,
        intl_00: true,
    },
    Region {
        code: "BR",
        weight: 8,
        given: &["João", "Maria", "José", "Ana", "Conceição", "Luís"],
        family: &[
            "Silva",
            "Santos",
            "Oliveira",
            "Souza",
            "Conceição",
            "Araújo",
        ],
        latin: &["joao", "maria", "jose", "ana", "luis"],
        providers: &["gmail.com", "uol.com.br", "bol.com.br", "hotmail.com"],
        company_tld: "com.br",
        calling: "55",
        mobile: &["119", "219", "319", "419", "519"],
        rest: 8,
        trunk: false,
        native_digits: 0,
        intl_00: false,
    },
    Region {
        code: "DE",
        weight: 5,
        given: &["Jürgen", "Anna", "Lukas", "Sophie", "Björn", "Käthe"],
        family: &["Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Groß"],
        latin: &["juergen", "anna", "lukas", "sophie", "bjoern"],
        providers: &["gmx.de", "web.de", "t-online.de", "gmail.com"],
        company_tld: "de",
        calling: "49",
        mobile: &["01512", "01701", "01761", "01601", "01573"],
        rest: 7,
        trunk: true,
        native_digits: 0,
        intl_00: true,
    },
    Region {
        code: "JP",
        weight: 4,
        given: &["太郎", "花子", "翔", "さくら", "Yuki"],
        family: &["佐藤", "鈴木", "高橋", "田中", "Watanabe"],
        latin: &["taro", "hanako", "sho", "sakura", "yuki"],
        providers: &["gmail.com", "yahoo.co.jp", "docomo.ne.jp", "icloud.com"],
        company_tld: "co.jp",
        calling: "81",
        mobile: &["0901", "0802", "0703", "0905", "0808"],
        rest: 7,
        trunk: true,
        native_digits: 0,
        intl_00: false,
    },
    Region {
        code: "AE",
        weight: 6,
        given: &["محمد", "أحمد", "فاطمة", "مريم", "Khalid", "عائشة"],
        family: &["المنصوري", "الهاشمي", "Al Nuaimi", "الشامسي", "الكعبي"],
        latin: &["mohammed", "ahmed", "fatima", "maryam", "khalid"],
        providers: &["gmail.com", "hotmail.com", "outlook.com", "yahoo.com"],
        company_tld: "ae",
        calling: "971",
        mobile: &["050", "052", "054", "055", "056", "058"],
        rest: 7,
        trunk: true,
        native_digits: 1,
        intl_00: true,
    },
    Region {
        code: "SA",
        weight: 6,
        given: &["عبدالله", "نورة", "سارة", "فهد", "Abdulaziz"],
        family: &["العتيبي", "القحطاني", "الغامدي", "Al-Harbi", "الدوسري"],
        latin: &["abdullah", "noura", "sara", "fahad", "abdulaziz"],
        providers: &["gmail.com", "hotmail.com", "outlook.sa", "yahoo.com"],
        company_tld: "com.sa",
        calling: "966",
        mobile: &["050", "053", "054", "055", "056", "059"],
        rest: 7,
        trunk: true,
        native_digits: 1,
        intl_00: true,
    },
    Region {
        code: "EG",
        weight: 5,
        given: &["مصطفى", "هبة", "كريم", "Yasmin", "عمرو"],
        family: &["عبد الرحمن", "حسن", "Mahmoud", "السيد", "إبراهيم"],
        latin: &["mostafa", "heba", "karim", "yasmin", "amr"],
        providers: &["gmail.com", "yahoo.com", "hotmail.com"],
        company_tld: "com.eg",
        calling: "20",
        mobile: &["010", "011", "012", "015"],
        rest: 8,
        trunk: true,
        native_digits: 1,
        intl_00: true,
    },
    Region {
        code: "IR",
        weight: 6,
        given: &["محمدرضا", "زهرا", "علی", "فاطمه", "مهسا", "امیر‌حسین"],
        family: &["احمدی", "حسینی", "رضایی", "محمدی", "کریمی", "Tehrani"],
        latin: &["mohammadreza", "zahra", "ali", "fatemeh", "mahsa", "amir"],
        providers: &["gmail.com", "yahoo.com", "chmail.ir", "outlook.com"],
        company_tld: "ir",
        calling: "98",
        mobile: &["0912", "0935", "0919", "0901", "0990"],
        rest: 7,
        trunk: true,
        native_digits: 2,
        intl_00: true,
    },
];

const SYLLABLES: &[&str] = &[
    "ka", "ri", "mo", "ta", "sen", "lu", "ber", "to", "na", "vi", "sol", "mar", "den", "ko",
];

fn native(s: &str, kind: u8) -> String {
    let zero = match kind {
        1 => 0x0660,
        2 => 0x06F0,
        _ => return s.to_owned(),
    };
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(zero + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

struct Contact {
    given: String,
    family: String,
    email: String,
    phone: String,
    country: String,
}

fn phone(rng: &mut Rng, r: &Region) -> String {
    let national = format!("{}{}", rng.pick(r.mobile), rng.digits(r.rest));
    let significant = if r.trunk {
        national.strip_prefix('0').unwrap_or(&national).to_owned()
    } else {
        national.clone()
    };
    let spaced = |s: &str, sep: char| {
        let chars: Vec<char> = s.chars().collect();
        chars
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(&sep.to_string())
    };
    let text = match rng.below(10) {
        0..=3 => spaced(&national, '-'),
        4 | 5 => format!("+{} {}", r.calling, spaced(&significant, ' ')),
        6 => format!("+{}{}", r.calling, significant),
        7 if r.intl_00 => format!("00{}{}", r.calling, significant),
        7 => format!("+{}{}", r.calling, significant),
        8 => spaced(&national, '.'),
        _ => national,
    };
    if r.native_digits > 0 && rng.percent(30) {
        native(&text, r.native_digits)
    } else {
        text
    }
}

fn email(rng: &mut Rng, r: &Region, id: usize, kinds: &mut [usize; 9]) -> String {
    let name = rng.pick(r.latin);
    // A bijection of the row id below 10^7: every new contact gets its own mailbox.
    let n = (id as u64 * 7_654_321 + 12_345) % 10_000_000;
    let local = match rng.below(4) {
        0 => format!("{name}{n}"),
        1 => format!("{name}.{}{n}", rng.pick(r.latin)),
        2 => format!("{name}_{n}"),
        _ => format!("{}.{name}{n}", rng.pick(r.latin)),
    };
    let domain = if rng.percent(75) {
        rng.pick(r.providers).to_owned()
    } else {
        format!(
            "{}{}{}.{}",
            rng.pick(SYLLABLES),
            rng.pick(SYLLABLES),
            rng.pick(SYLLABLES),
            r.company_tld
        )
    };
    let roll = rng.below(1000);
    let (kind, address) = match roll {
        0..=29 => (1, format!("{local}{domain}")), // missing @
        30..=59 => (
            2,
            format!(
                "{local}@{}.con",
                domain.rsplit_once('.').map_or(domain.as_str(), |(h, _)| h)
            ),
        ),
        60..=79 => (3, format!("{local}..x@{domain}")), // doubled dot
        80..=99 => (4, format!("{local} @{domain}")),   // space inside
        100..=109 => (5, format!("{local}@@{domain}")), // two @
        110..=119 => (6, format!("{local}@")),          // no domain
        120..=139 => (
            7,
            format!("{local}@{}", domain.split('.').next().unwrap_or("gmail")),
        ), // one label
        140..=149 => (8, format!("{local}@{domain},")), // trailing comma
        150..=169 => (0, format!("{local}@gmial.com")), // a typo warning, still valid
        _ => (0, format!("{local}@{domain}")),
    };
    kinds[kind] += 1;
    if rng.percent(10) {
        address.to_uppercase()
    } else {
        address
    }
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn main() -> io::Result<()> {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = Rng(0x5167_4E55_A0D1_7000);
    let total: usize = REGIONS.iter().map(|r| r.weight).sum();
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    writeln!(
        out,
        "Contact ID,First Name,Last Name,Email,Phone,Country,Created,Tags"
    )?;
    let mut recent: Vec<Contact> = Vec::with_capacity(50_000);
    let mut kinds = [0usize; 9];
    let (mut repeats, mut phone_only) = (0, 0);
    for id in 0..rows {
        let repeat = !recent.is_empty() && rng.percent(10);
        let c = if repeat {
            repeats += 1;
            let old = &recent[rng.below(recent.len())];
            let email = match rng.below(3) {
                0 => old.email.to_uppercase(),
                1 => format!(" {} ", old.email),
                _ => old.email.clone(),
            };
            Contact {
                given: old.given.clone(),
                family: old.family.clone(),
                email,
                phone: old.phone.clone(),
                country: old.country.clone(),
            }
        } else {
            let mut pick = rng.below(total);
            let r = REGIONS
                .iter()
                .find(|r| {
                    let hit = pick < r.weight;
                    pick = pick.saturating_sub(r.weight);
                    hit
                })
                .unwrap_or(&REGIONS[0]);
            let country = match rng.below(20) {
                0 => String::new(),
                1 => r.code.to_lowercase(),
                _ => r.code.to_owned(),
            };
            let phone_only_row = rng.percent(3);
            phone_only += usize::from(phone_only_row);
            let c = Contact {
                given: rng.pick(r.given).to_owned(),
                family: rng.pick(r.family).to_owned(),
                email: if phone_only_row {
                    String::new()
                } else {
                    email(&mut rng, r, id, &mut kinds)
                },
                phone: if phone_only_row || rng.percent(60) {
                    phone(&mut rng, r)
                } else {
                    String::new()
                },
                country,
            };
            if recent.len() < recent.capacity() {
                recent.push(Contact {
                    given: c.given.clone(),
                    family: c.family.clone(),
                    email: c.email.clone(),
                    phone: c.phone.clone(),
                    country: c.country.clone(),
                });
            } else {
                let slot = rng.below(recent.len());
                recent[slot] = Contact {
                    given: c.given.clone(),
                    family: c.family.clone(),
                    email: c.email.clone(),
                    phone: c.phone.clone(),
                    country: c.country.clone(),
                };
            }
            c
        };
        let day = 1 + rng.below(28);
        let tags = ["newsletter", "lead", "customer;vip", "event, 2025", ""][rng.below(5)];
        writeln!(
            out,
            "{id},{},{},{},{},{},2025-{:02}-{day:02},{}",
            csv_cell(&c.given),
            csv_cell(&c.family),
            csv_cell(&c.email),
            csv_cell(&c.phone),
            c.country,
            1 + rng.below(12),
            csv_cell(tags)
        )?;
    }
    out.flush()?;
    let fresh = rows - repeats;
    let invalid: usize = kinds[1..].iter().sum();
    eprintln!(
        "{rows} rows: {repeats} repeat an earlier contact ({:.1}%), {phone_only} phone only; \
         emails invalid by construction {invalid} ({:.1}% of new emails): missing @ {}, .con {}, \
         doubled dot {}, space {}, two @ {}, no domain {}, one label {}, trailing comma {}",
        repeats as f64 * 100.0 / rows.max(1) as f64,
        invalid as f64 * 100.0 / fresh.max(1) as f64,
        kinds[1],
        kinds[2],
        kinds[3],
        kinds[4],
        kinds[5],
        kinds[6],
        kinds[7],
        kinds[8]
    );
    Ok(())
}

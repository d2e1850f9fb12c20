//! Display forms: libphonenumber's `INTERNATIONAL` and `NATIONAL` formats, from the main
//! region of the calling code (as libphonenumber formats a Canadian number with US rules).

use super::tables::{self, Code, Format, Region, NONE};

/// The first format whose last leading-digits pattern matches a prefix of `nsn` and whose
/// pattern matches all of it (`chooseFormattingPatternForNumber`).
fn choose<'a>(code: &Code, list: &'a [Format], nsn: &str) -> Option<(&'a Format, tables::Slots)> {
    list.iter().find_map(|f| {
        if f.leading != NONE && !code.dfa_match(f.leading, nsn.as_bytes(), true) {
            return None;
        }
        code.run(f.pattern, nsn.as_bytes(), true)
            .map(|slots| (f, slots))
    })
}

/// The national significant number grouped for display, with the national prefix when
/// `national` (e.g. `020 7946 0018`), without it otherwise (`20 7946 0018`).
fn format_nsn(nsn: &str, r: &Region, national: bool) -> String {
    let list = if national || r.intl.1 == 0 {
        r.code.formats(r.formats)
    } else {
        r.code.formats(r.intl)
    };
    let Some((f, slots)) = choose(r.code, list, nsn) else {
        return nsn.to_owned();
    };
    let mut out = String::new();
    if national && !f.np_rule.is_empty() {
        // Replace the first `$n` of the format with the national prefix rule (`0$1`).
        let mut rule = String::new();
        let mut done = false;
        let mut chars = f.format.chars().peekable();
        while let Some(c) = chars.next() {
            if !done && c == '$' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                let d = chars.next().unwrap_or('1');
                rule.push_str(
                    &f.np_rule
                        .replace("$1", &['$', d].iter().collect::<String>()),
                );
                done = true;
            } else {
                rule.push(c);
            }
        }
        tables::expand(&rule, nsn, &slots, &mut out);
    } else {
        tables::expand(f.format, nsn, &slots, &mut out);
    }
    out
}

/// The international display form of `+cc nsn` (`+44 20 7946 0018`).
pub(super) fn international(cc: u16, nsn: &str) -> String {
    match tables::by_code(cc).ok().and_then(<[Region]>::first) {
        Some(main) => plus_code(cc) + " " + &format_nsn(nsn, main, false),
        None => plus_code(cc) + " " + nsn,
    }
}

/// The national display form of `+cc nsn` (`020 7946 0018`).
pub(super) fn national(cc: u16, nsn: &str) -> String {
    match tables::by_code(cc).ok().and_then(<[Region]>::first) {
        Some(main) => format_nsn(nsn, main, true),
        None => nsn.to_owned(),
    }
}

/// `+cc` (`+62`), written without `fmt` (the browser's phone engine module carries no formatting
/// machinery).
pub(super) fn plus_code(cc: u16) -> String {
    let mut out = String::from("+");
    push_decimal(&mut out, u32::from(cc));
    out
}

/// Appends `n` in decimal.
pub(super) fn push_decimal(out: &mut String, n: u32) {
    if n >= 10 {
        push_decimal(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

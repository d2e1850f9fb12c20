//! The server's clock, written as RFC 3339 UTC with milliseconds (`2026-11-23T15:04:05.123Z`):
//! the record of when something was received, whatever the client claims.
//!
//! Every part of the service that asks "now" (received times, fill-time stamps, the age of an
//! `Idempotency-Key` answer) asks one [`Clock`], so a test can set it. [`Clock::system`] is the
//! machine's clock, shifted when `SG_TEST_NOW` names an instant (`SG_TEST_NOW=2027-12-06T00:00:00Z`
//! starts the clock there and lets it run): CI runs the suite once a year ahead with it, which
//! proves no test depends on today's date.
//!
//! ```
//! use signup_guard::clock::Clock;
//! let clock = Clock::fixed(0);
//! clock.advance(std::time::Duration::from_secs(86_400));
//! assert_eq!(clock.now(), "1970-01-02T00:00:00.000Z");
//! ```

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The environment variable that moves [`Clock::system`] to another instant (tests and CI only).
pub const TEST_NOW_VAR: &str = "SG_TEST_NOW";

/// Where "now" comes from: the system clock (possibly shifted by `SG_TEST_NOW`) or a fixed
/// instant that only moves when a test moves it. Clones share the instant.
#[derive(Debug, Clone)]
pub struct Clock {
    fixed: Option<Arc<AtomicU64>>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// The machine's clock, shifted by `SG_TEST_NOW` when that is set.
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    /// A clock stopped at `unix_ms` (milliseconds since the epoch); tests move it with
    /// [`Clock::advance`] or [`Clock::set`].
    pub fn fixed(unix_ms: u64) -> Clock {
        Clock {
            fixed: Some(Arc::new(AtomicU64::new(unix_ms))),
        }
    }

    /// Moves a fixed clock forward by `by`; returns false (and does nothing) on the system clock.
    pub fn advance(&self, by: Duration) -> bool {
        let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        match &self.fixed {
            Some(ms) => {
                ms.fetch_add(by, Ordering::SeqCst);
                true
            }
            None => false,
        }
    }

    /// Sets a fixed clock to `unix_ms`; returns false (and does nothing) on the system clock.
    pub fn set(&self, unix_ms: u64) -> bool {
        match &self.fixed {
            Some(ms) => {
                ms.store(unix_ms, Ordering::SeqCst);
                true
            }
            None => false,
        }
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_ms(&self) -> u64 {
        match &self.fixed {
            Some(ms) => ms.load(Ordering::SeqCst),
            None => shifted_system_ms(),
        }
    }

    /// Now, as RFC 3339 UTC with milliseconds.
    pub fn now(&self) -> String {
        format_ms(self.unix_ms())
    }

    /// The instant `age` before now, as RFC 3339 (stored times compare as text in this form).
    pub fn ago(&self, age: Duration) -> String {
        let age = u64::try_from(age.as_millis()).unwrap_or(u64::MAX);
        format_ms(self.unix_ms().saturating_sub(age))
    }
}

/// Milliseconds since the epoch on the machine's clock (0 before 1970).
fn real_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// The machine's clock plus the `SG_TEST_NOW` shift, read once per process. An unreadable value
/// is reported once on stderr and ignored, so a typo never silently moves a real service.
fn shifted_system_ms() -> u64 {
    static SHIFT: OnceLock<i128> = OnceLock::new();
    let shift = *SHIFT.get_or_init(|| match std::env::var(TEST_NOW_VAR) {
        Ok(v) if !v.is_empty() => match parse_rfc3339(&v) {
            Some(at) => {
                eprintln!("signup-guard: {TEST_NOW_VAR}={v}: the clock starts at that instant");
                i128::from(at) - i128::from(real_ms())
            }
            None => {
                eprintln!("signup-guard: ignoring {TEST_NOW_VAR}={v:?}: not an RFC 3339 UTC time");
                0
            }
        },
        _ => 0,
    });
    u64::try_from((i128::from(real_ms()) + shift).max(0)).unwrap_or(u64::MAX)
}

/// `ms` since the epoch as RFC 3339 UTC with milliseconds.
pub fn format_ms(ms: u64) -> String {
    let secs = ms / 1000;
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    // Written digit by digit: this runs for every request and every idempotency check.
    let mut out = String::with_capacity(24);
    push_padded(&mut out, u64::try_from(y).unwrap_or(0), 4);
    out.push('-');
    push_padded(&mut out, u64::from(m), 2);
    out.push('-');
    push_padded(&mut out, u64::from(d), 2);
    out.push('T');
    push_padded(&mut out, rem / 3600, 2);
    out.push(':');
    push_padded(&mut out, rem % 3600 / 60, 2);
    out.push(':');
    push_padded(&mut out, rem % 60, 2);
    out.push('.');
    push_padded(&mut out, ms % 1000, 3);
    out.push('Z');
    out
}

/// Appends `n` in decimal, zero-padded to at least `width` digits.
fn push_padded(out: &mut String, n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut at = digits.len();
    let mut rest = n;
    while rest > 0 || at == digits.len() {
        at -= 1;
        // `rest % 10` is below 10.
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let start = at.min(digits.len().saturating_sub(width));
    for &b in digits.get(start..).unwrap_or_default() {
        out.push(char::from(b));
    }
}

/// Reads `YYYY-MM-DDTHH:MM:SS[.fff]Z` (UTC only) as milliseconds since the epoch.
pub fn parse_rfc3339(s: &str) -> Option<u64> {
    let (date, time) = s.trim().split_once(['T', 't', ' '])?;
    let time = time.strip_suffix(['Z', 'z'])?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, mo, da) = (d.next()??, d.next()??, d.next()??);
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let mut t = hms.splitn(3, ':').map(|p| p.parse::<u64>().ok());
    let (h, mi, se) = (t.next()??, t.next()??, t.next()??);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&da) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let ms = match frac.get(..frac.len().min(3)) {
        Some("") | None => 0,
        Some(f) if f.bytes().all(|b| b.is_ascii_digit()) => {
            f.parse::<u64>().ok()? * 10u64.pow(3 - f.len() as u32)
        }
        Some(_) => return None,
    };
    let days = u64::try_from(days_from_civil(y, mo as u32, da as u32)).ok()?;
    Some(((days * 86_400 + h * 3600 + mi * 60 + se) * 1000) + ms)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's method).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01 (H. Hinnant's method).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants_format_as_rfc3339() {
        assert_eq!(format_ms(0), "1970-01-01T00:00:00.000Z");
        // 2000-02-29 (a leap day in a century leap year) 12:34:56.789 UTC.
        assert_eq!(format_ms(951_827_696_789), "2000-02-29T12:34:56.789Z");
        assert_eq!(format_ms(1_795_000_000_000), "2026-11-18T11:06:40.000Z");
    }

    #[test]
    fn formatting_matches_the_fmt_form_digit_for_digit() {
        for ms in [
            0,
            9,
            61_001,
            951_827_696_789,
            1_795_000_000_000,
            253_402_300_799_999,
        ] {
            let secs = ms / 1000;
            let (y, m, d) = civil_from_days(i64::try_from(secs / 86_400).unwrap());
            let rem = secs % 86_400;
            let expected = format!(
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
                rem / 3600,
                rem % 3600 / 60,
                rem % 60,
                ms % 1000
            );
            assert_eq!(format_ms(ms), expected);
        }
    }

    #[test]
    fn parsing_reads_back_what_formatting_writes() {
        for ms in [0, 951_827_696_789, 1_795_000_000_000, 4_102_444_800_000] {
            assert_eq!(parse_rfc3339(&format_ms(ms)), Some(ms), "{ms}");
        }
        // Checked against Python: datetime(2027, 12, 6, tzinfo=timezone.utc).timestamp().
        assert_eq!(
            parse_rfc3339("2027-12-06T00:00:00Z"),
            Some(1_828_051_200_000)
        );
        assert_eq!(
            parse_rfc3339("2027-12-06T00:00:00.5Z"),
            Some(1_828_051_200_500)
        );
        for bad in [
            "",
            "2027-12-06",
            "2027-13-01T00:00:00Z",
            "2027-12-06T00:00:00+01:00",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_fixed_clock_moves_only_when_told_and_clones_share_it() {
        let c = Clock::fixed(1_000);
        let twin = c.clone();
        assert!(c.advance(Duration::from_millis(500)));
        assert_eq!(twin.unix_ms(), 1_500);
        assert_eq!(twin.ago(Duration::from_secs(1)), "1970-01-01T00:00:00.500Z");
        assert!(twin.set(0));
        assert_eq!(c.unix_ms(), 0);
        assert!(!Clock::system().advance(Duration::from_secs(1)));
    }
}

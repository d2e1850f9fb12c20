//! Reading the file: byte-order mark, delimiter sniffing, and UTF-8 decoding that names the line.
//!
//! The delimiter is the one of `,` `;` tab `|` that occurs most often (outside quotes) in the
//! header line; a tie or none keeps `,`. A UTF-8 byte-order mark is skipped (and written back to
//! the cleaned file, since spreadsheet programs use it to detect UTF-8). Records are read as bytes
//! and decoded field by field, so undecodable input is an error that names its line and column.

use super::AuditError;
use csv::ByteRecord;
use std::io::{BufRead, BufReader, Read};

const BOM: &[u8] = b"\xEF\xBB\xBF";
/// How many bytes are looked at to sniff the delimiter.
const PEEK: usize = 64 * 1024;

/// What the start of the file told us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// The field delimiter.
    pub delimiter: u8,
    /// Whether the file began with a UTF-8 byte-order mark.
    pub bom: bool,
    /// Whether the header line ends with CR LF (kept for the cleaned file).
    pub crlf: bool,
}

/// Skips a byte-order mark and sniffs the dialect; `delimiter` overrides the sniffed one.
pub fn sniff<R: Read>(
    input: R,
    delimiter: Option<u8>,
) -> Result<(BufReader<R>, Dialect), AuditError> {
    let mut reader = BufReader::with_capacity(PEEK, input);
    let head = reader.fill_buf().map_err(AuditError::read)?;
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Err(AuditError::Utf16);
    }
    let bom = head.starts_with(BOM);
    if bom {
        reader.consume(BOM.len());
    }
    let head = reader.fill_buf().map_err(AuditError::read)?;
    let line_end = first_line_end(head);
    let line = head.get(..line_end).unwrap_or(head);
    let crlf = line_end < head.len() && line.ends_with(b"\r");
    let delimiter = delimiter.unwrap_or_else(|| most_frequent_delimiter(line));
    Ok((
        reader,
        Dialect {
            delimiter,
            bom,
            crlf,
        },
    ))
}

/// The end of the first record's line: the first newline outside double quotes.
fn first_line_end(head: &[u8]) -> usize {
    let mut quoted = false;
    for (i, &b) in head.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => return i,
            _ => {}
        }
    }
    head.len()
}

fn most_frequent_delimiter(line: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(i) = candidates.iter().position(|&c| c == b) {
                counts[i] += 1;
            }
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], std::cmp::Reverse(i)));
    match best {
        Some(i) if counts[i] > 0 => candidates[i],
        _ => b',',
    }
}

/// Parses `--delimiter`: one ASCII character, or `tab`/`\t`.
pub fn parse_delimiter(arg: &str) -> Result<u8, String> {
    match arg {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        s if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" && s != "\r" => {
            Ok(s.as_bytes()[0])
        }
        _ => Err(format!(
            "--delimiter {arg:?}: give one ASCII character, e.g. ',' ';' '|' or 'tab'"
        )),
    }
}

/// One record's fields as text.
pub enum Decoded<'a> {
    /// Every field is valid UTF-8: the record's text and its field boundaries.
    Clean(&'a str, &'a ByteRecord),
    /// `--lossy`: undecodable bytes became U+FFFD; the flag says which fields were touched.
    Lossy(Vec<(String, bool)>),
}

impl Decoded<'_> {
    /// Cell `col` and whether `--lossy` replaced bytes in it.
    pub fn cell(&self, col: usize) -> Option<(&str, bool)> {
        match self {
            Decoded::Clean(text, record) => record
                .range(col)
                .and_then(|r| text.get(r))
                .map(|s| (s, false)),
            Decoded::Lossy(f) => f.get(col).map(|(s, t)| (s.as_str(), *t)),
        }
    }
}

/// Decodes `record`; without `lossy`, the first undecodable field is an error naming its line.
///
/// One UTF-8 check over the whole record, plus a check that every field boundary falls between
/// characters (a character split across two fields makes both fields undecodable).
/// `headers` name the column in the message.
pub fn decode<'a>(
    record: &'a ByteRecord,
    lossy: bool,
    headers: &[String],
) -> Result<Decoded<'a>, AuditError> {
    if let Ok(text) = std::str::from_utf8(record.as_slice()) {
        let aligned = (0..record.len()).all(|i| {
            record
                .range(i)
                .is_some_and(|r| text.is_char_boundary(r.start) && text.is_char_boundary(r.end))
        });
        if aligned {
            return Ok(Decoded::Clean(text, record));
        }
    }
    for (col, bytes) in record.iter().enumerate() {
        if let Err(e) = std::str::from_utf8(bytes) {
            if !lossy {
                return Err(undecodable(record, col, e.valid_up_to(), headers));
            }
            let all = record
                .iter()
                .map(|b| match String::from_utf8_lossy(b) {
                    std::borrow::Cow::Borrowed(s) => (s.to_owned(), false),
                    std::borrow::Cow::Owned(s) => (s, true),
                })
                .collect();
            return Ok(Decoded::Lossy(all));
        }
    }
    // Unreachable in practice: the whole was invalid, so some field is.
    Err(AuditError::Internal(
        "a record failed UTF-8 decoding without a faulty field".into(),
    ))
}

fn undecodable(
    record: &ByteRecord,
    col: usize,
    valid_up_to: usize,
    headers: &[String],
) -> AuditError {
    let start = record.position().map_or(0, |p| p.line());
    // Newlines inside earlier quoted fields, and inside this one before the bad byte.
    let before: usize = record
        .iter()
        .take(col)
        .map(|f| f.iter().filter(|&&b| b == b'\n').count())
        .sum();
    let field = record.get(col).unwrap_or_default();
    let within = field
        .get(..valid_up_to)
        .map_or(0, |f| f.iter().filter(|&&b| b == b'\n').count());
    let byte = field.get(valid_up_to).copied().unwrap_or(0);
    let column = headers.get(col).map_or_else(
        || format!("column {}", col + 1),
        |h| format!("column {:?}", h),
    );
    AuditError::Undecodable {
        line: start + (before + within) as u64,
        detail: format!("{column}: byte 0x{byte:02X} is not UTF-8"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_is_refused_by_name() {
        let err = sniff(&b"\xFF\xFEe\0m\0"[..], None)
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.starts_with("the file is UTF-16")));
    }

    #[test]
    fn delimiter_is_the_most_frequent_outside_quotes() {
        assert_eq!(most_frequent_delimiter(b"a;b;c"), b';');
        assert_eq!(most_frequent_delimiter(b"\"a,b,c\"|x|y"), b'|');
        assert_eq!(most_frequent_delimiter(b"name\temail"), b'\t');
        assert_eq!(most_frequent_delimiter(b"email"), b',');
    }

    #[test]
    fn a_character_split_across_two_fields_is_undecodable() {
        // "é" is C3 A9: a delimiter between its bytes leaves the whole record valid UTF-8.
        let mut record = ByteRecord::new();
        record.push_field(b"ab\xC3");
        record.push_field(b"\xA9cd");
        assert!(std::str::from_utf8(record.as_slice()).is_ok());
        assert!(matches!(
            decode(&record, false, &[]),
            Err(AuditError::Undecodable { .. })
        ));
        let Ok(Decoded::Lossy(f)) = decode(&record, true, &[]) else {
            panic!("lossy decoding")
        };
        assert_eq!(f[0], ("ab\u{FFFD}".to_owned(), true));
    }

    #[test]
    fn bom_is_skipped_and_crlf_noticed() {
        let (mut r, d) = sniff(&b"\xEF\xBB\xBFa;b\r\n1;2\r\n"[..], None).unwrap();
        assert_eq!((d.bom, d.crlf, d.delimiter), (true, true, b';'));
        let mut rest = String::new();
        r.read_to_string(&mut rest).unwrap();
        assert!(rest.starts_with("a;b"));
    }
}

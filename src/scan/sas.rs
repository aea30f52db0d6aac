//! Azure shared access signatures judged offline by their own expiry.
//!
//! A SAS URL carries its validity window in its query: `se=` (signed expiry, an ISO 8601
//! UTC date, often percent-encoded: `se=2023-01-04T18%3A15%3A00Z`). Azure refuses a SAS
//! after that instant, and the signature reveals nothing of the account key that made it,
//! so an expired SAS grants nothing as it stands: it is a sample or a test's recording.
//! See: issue 18.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// True if the SAS query around `matched` on `line` (the `?…&sig=…` text it sits in,
/// bounded by whitespace or quotes) has a signed expiry (`se=`) whose date is before the
/// date of `now` (seconds since the Unix epoch).
pub(crate) fn expired(line: &[u8], matched: std::ops::Range<usize>, now: i64) -> bool {
    let bound = |b: &u8| b.is_ascii_whitespace() || b"\"'<>`".contains(b);
    let start = line[..matched.start.min(line.len())]
        .iter()
        .rposition(bound)
        .map_or(0, |i| i + 1);
    let end = line[matched.end.min(line.len())..]
        .iter()
        .position(bound)
        .map_or(line.len(), |i| matched.end + i);
    let query = &line[start..end.max(start)];
    let today = Timestamp::from_second(now).map(|t| t.to_zoned(TimeZone::UTC).date());
    signed_expiry(query).is_some_and(|day| today.is_ok_and(|today| day < today))
}

/// The date of the first `se=YYYY-MM-DD` parameter in `query`.
fn signed_expiry(query: &[u8]) -> Option<Date> {
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&query[at..], b"se=") {
        let pos = at + found;
        at = pos + 3;
        // A parameter starts the query or follows `?`, `&` or `&amp;`'s `;`.
        if pos > 0 && !b"?&;".contains(&query[pos - 1]) {
            continue;
        }
        if let Some(day) = query.get(at..at + 10).and_then(parse_date) {
            return Some(day);
        }
    }
    None
}

/// The date `YYYY-MM-DD` (a real day of the proleptic Gregorian calendar), if it is one.
fn parse_date(text: &[u8]) -> Option<Date> {
    std::str::from_utf8(text).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A SAS URL expiring on `expiry`, with a signature drawn at test time.
    fn sas_line(expiry: &str) -> (Vec<u8>, std::ops::Range<usize>) {
        let mut state: u64 = 0x51A5_0C0F_FEE5_EED5;
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let sig: String = (0..43)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                alphabet[(state >> 11) as usize % alphabet.len()] as char
            })
            .collect();
        let line = format!(
            "url = \"https://acct.blob.core.windows.net/c?sp=r&se={expiry}&sv=2022-11-02&sr=c&sig={sig}%3D\" # x"
        );
        let start = line.find("sv=").unwrap();
        let end = line.find("%3D").unwrap() + 3;
        (line.into_bytes(), start..end)
    }

    #[test]
    fn a_sas_is_expired_only_after_its_signed_expiry() {
        let now = 1_800_000_000; // 2027-01-15
        for (expiry, want) in [
            ("2023-01-04T18%3A15%3A00Z", true),
            ("2015-04-30T02:23:26Z", true),
            ("2027-01-14", true),
            ("2027-01-15T00:00:00Z", false),
            ("2031-01-01T00%3A00%3A00Z", false),
            ("soon", false),
            ("2023-13-01", false),
        ] {
            let (line, matched) = sas_line(expiry);
            assert_eq!(expired(&line, matched, now), want, "{expiry}");
        }
        // `se=` must be a parameter of the query, not the tail of another (`rse=`).
        let line = b"?sv=2022-11-02&rse=2001-01-01&sig=abc";
        assert!(!expired(line, 0..line.len(), now));
        let amp = b"?sv=2021-06-08&amp;se=2023-12-20T22:54:52Z&amp;sig=abc";
        assert!(expired(amp, 0..amp.len(), now));
        assert_eq!(
            parse_date(b"2000-03-01"),
            Some(jiff::civil::date(2000, 3, 1))
        );
        assert_eq!(parse_date(b"2023-02-29"), None);
    }
}

//! Binary content: how it is told apart, and the text runs in it that are still scanned.
//!
//! One NUL byte must not hide a secret (issue 19): content that looks binary is not skipped,
//! its runs of text are scanned instead. [`mask`] keeps every run of at least [`MIN_RUN`]
//! text bytes where it is and overwrites everything else with NUL, so the copy has the same
//! length and the same line breaks: offsets, lines and columns of a finding in it are those
//! of the original. One linear pass and one copy, and only for content that looks binary;
//! in an image or archive almost nothing survives the mask, so the keyword prefilter and the
//! regexes find the noise they used to be spared.

/// How many bytes are inspected for a NUL byte to call content binary (as git does).
const BINARY_SNIFF: usize = 8 << 10;

/// The shortest run of text kept by [`mask`]. Shorter runs are everywhere in compressed data
/// by chance (12 printable bytes in a row occur about once per 100 KiB of random bytes, and
/// must still hold a keyword and match a regex to be reported); a secret with its keyword
/// or assignment is longer.
pub(crate) const MIN_RUN: usize = 12;

/// True if `bytes` look binary: a NUL byte in the first 8 KiB.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF)]).is_some()
}

/// A copy of `bytes` with only its text runs: printable ASCII, tabs, carriage returns, form
/// feeds and well-formed multi-byte UTF-8, in runs of at least [`MIN_RUN`] bytes. Every
/// other byte becomes NUL, except line feeds, which stay so that line numbers hold.
pub(crate) fn mask(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; bytes.len()];
    let mut at = 0;
    let mut run_start = 0;
    while at < bytes.len() {
        let width = text_width(&bytes[at..]);
        if width == 0 {
            keep_run(bytes, &mut out, run_start..at);
            if bytes[at] == b'\n' {
                out[at] = b'\n';
            }
            at += 1;
            run_start = at;
        } else {
            at += width;
        }
    }
    keep_run(bytes, &mut out, run_start..bytes.len());
    out
}

/// Copies `bytes[run]` into `out` if the run is long enough to be text.
fn keep_run(bytes: &[u8], out: &mut [u8], run: std::ops::Range<usize>) {
    if run.len() >= MIN_RUN {
        out[run.clone()].copy_from_slice(&bytes[run]);
    }
}

/// The length of the text character at the start of `rest`, or 0 if it is not text.
fn text_width(rest: &[u8]) -> usize {
    let width = match rest[0] {
        b'\t' | b'\r' | 0x0c | 0x20..=0x7e => return 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return 0,
    };
    match rest.get(..width) {
        Some(char) if std::str::from_utf8(char).is_ok() => width,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_text_runs_in_place() {
        let cases: &[(&[u8], &[u8])] = &[
            (b"", b""),
            (b"\0token = abcdefgh\n", b"\0token = abcdefgh\n"),
            (b"\x01\x02ab\x03\ncd\xff", b"\0\0\0\0\0\n\0\0\0"),
            (
                b"short\0\nlong enough text",
                b"\0\0\0\0\0\0\nlong enough text",
            ),
            (
                "\0caf\u{e9} au lait, s'il vous pla\u{ee}t".as_bytes(),
                "\0caf\u{e9} au lait, s'il vous pla\u{ee}t".as_bytes(),
            ),
            (b"\0twelve chars\xc3(", b"\0twelve chars\0\0"),
        ];
        for &(input, want) in cases {
            let got = mask(input);
            assert_eq!(got.len(), input.len());
            assert_eq!(
                got,
                want,
                "{:?} -> {:?}",
                String::from_utf8_lossy(input),
                String::from_utf8_lossy(&got)
            );
        }
    }

    #[test]
    fn binary_means_a_nul_in_the_first_8_kib() {
        let late = [vec![b'a'; BINARY_SNIFF], vec![0]].concat();
        let cases: &[(&[u8], bool)] = &[(b"", false), (b"text\n", false), (b"\0x", true)];
        for &(input, want) in cases {
            assert_eq!(looks_binary(input), want, "{input:?}");
        }
        assert!(!looks_binary(&late));
    }
}

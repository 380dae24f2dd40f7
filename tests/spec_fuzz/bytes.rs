//! Byte-level breakage of a spec file: what an editor crash, a bad merge or a hostile upload leaves.
//! The loader must answer every one of them with a located diagnostic, never a panic.

use super::rng::Rng;

/// Bytes worth inserting: invalid UTF-8, a BOM, NUL, and JSON punctuation out of place.
const HOSTILE_BYTES: &[&[u8]] = &[
    b"\xff",
    b"\xfe",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\x80",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"{",
    b"[",
    b"\"",
    b"\\",
    b",",
    b"}",
    b"]",
    b":",
    b"\\u",
    b"\\ud800",
    b"/*",
    b"\n",
    b"\r",
    b"NaN",
    b"-",
    b"1e999999",
];

/// Applies one byte-level mutation to `text`, returning what it did.
pub fn mutate(rng: &mut Rng, text: &mut Vec<u8>) -> String {
    if text.is_empty() {
        text.extend_from_slice(HOSTILE_BYTES[rng.below(HOSTILE_BYTES.len())]);
        return "bytes: fill empty".into();
    }
    let at = rng.below(text.len());
    match rng.below(8) {
        0 => {
            text.truncate(at);
            format!("bytes: truncate at {at}")
        }
        1 => {
            text[at] ^= 1 << rng.below(8);
            format!("bytes: flip a bit at {at}")
        }
        2 => {
            let inserted = HOSTILE_BYTES[rng.below(HOSTILE_BYTES.len())];
            text.splice(at..at, inserted.iter().copied());
            format!("bytes: insert {:?} at {at}", String::from_utf8_lossy(inserted))
        }
        3 => {
            let end = (at + rng.between(1, 64)).min(text.len());
            text.drain(at..end);
            format!("bytes: delete {at}..{end}")
        }
        4 => {
            let (start, end) = line_around(text, at);
            let line = text[start..end].to_vec();
            text.splice(end..end, line);
            format!("bytes: duplicate the line at {at}")
        }
        5 => {
            let depth = *rng.pick(&[127usize, 128, 129, 500, 5000]);
            let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
            let (start, end) = line_around(text, at);
            let value_start = text[start..end].iter().position(|&b| b == b':').map_or(start, |p| start + p + 1);
            let value_end = if text[start..end].ends_with(b",") { end - 1 } else { end };
            text.splice(value_start..value_end.max(value_start), nested.into_bytes());
            format!("bytes: nest {depth} deep at {at}")
        }
        6 => {
            let (start, end) = line_around(text, at);
            let other = rng.below(text.len());
            let (other_start, other_end) = line_around(text, other);
            if other_start >= end {
                let second = text[other_start..other_end].to_vec();
                let first = text[start..end].to_vec();
                text.splice(other_start..other_end, first);
                text.splice(start..end, second);
            }
            format!("bytes: swap the lines at {at} and {other}")
        }
        _ => {
            text.splice(at..at, std::iter::repeat_n(b' ', rng.between(1, 4096)));
            format!("bytes: pad at {at}")
        }
    }
}

/// The line containing byte `at`, without its newline.
fn line_around(text: &[u8], at: usize) -> (usize, usize) {
    let start = text[..at].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let end = text[at..].iter().position(|&b| b == b'\n').map_or(text.len(), |p| at + p);
    (start, end)
}

//! The pieces canonical texts are made of, written without intermediate strings: [`Sink`]s that take
//! the text (a hasher or an HMAC that signs it, a buffer that keeps it to be shown), hex, dates and
//! numbers on the stack, and RFC 3986 percent-encoding.

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Where canonical text goes: a hasher or an HMAC, which sign it, or a buffer, which keeps it to be
/// shown. Signing writes its pieces to a sink one by one; building each piece as a string first was
/// most of what signing cost.
pub(crate) trait Sink {
    /// Appends bytes (always UTF-8 text or ASCII made by this module).
    fn put(&mut self, bytes: &[u8]);

    /// Appends `text` with its ASCII letters lower-cased (header names, the TC3 action).
    fn put_lowercase(&mut self, text: &str) {
        if !text.bytes().any(|b| b.is_ascii_uppercase()) {
            return self.put(text.as_bytes());
        }
        // Lower-casing ASCII bytes keeps UTF-8 valid, so the text can be cut anywhere.
        let mut chunk = [0u8; 64];
        for piece in text.as_bytes().chunks(chunk.len()) {
            let lower = &mut chunk[..piece.len()];
            lower.copy_from_slice(piece);
            lower.make_ascii_lowercase();
            self.put(lower);
        }
    }
}

impl Sink for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        Digest::update(self, bytes);
    }
}

impl Sink for Hmac<Sha256> {
    fn put(&mut self, bytes: &[u8]) {
        Mac::update(self, bytes);
    }
}

impl Sink for Hmac<Sha1> {
    fn put(&mut self, bytes: &[u8]) {
        Mac::update(self, bytes);
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// Keeps nothing: the client's signing path, which needs only the hash.
impl Sink for () {
    fn put(&mut self, _: &[u8]) {}
}

impl<S: Sink + ?Sized> Sink for &mut S {
    fn put(&mut self, bytes: &[u8]) {
        (**self).put(bytes);
    }
}

/// Two sinks at once: the hasher that signs the text and the buffer that shows what was signed, so
/// the text shown is the text signed.
pub(crate) struct Tee<A, B>(pub A, pub B);

impl<A: Sink, B: Sink> Sink for Tee<A, B> {
    fn put(&mut self, bytes: &[u8]) {
        self.0.put(bytes);
        self.1.put(bytes);
    }
}

/// What a buffer sink kept, as a string. Every piece written was UTF-8, so nothing is ever replaced.
pub(crate) fn into_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// Appends ASCII bytes (hex digits, a date) to a string.
pub(crate) fn push_ascii(out: &mut String, ascii: &[u8]) {
    // Checking the bytes and copying them at once is quicker than pushing them one by one; they are
    // always ASCII, so the second branch is there only to need no panic.
    match std::str::from_utf8(ascii) {
        Ok(text) => out.push_str(text),
        Err(_) => out.extend(ascii.iter().map(|&byte| char::from(byte))),
    }
}

/// SHA-256 of some bytes.
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Lower-case hex SHA-256 of some bytes (`x-acs-content-sha256`).
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Hex::of(&sha256(bytes)).to_text()
}

/// An HMAC-SHA256 keyed with `key`, ready for the message.
pub(crate) fn hmac_sha256(key: &[u8]) -> Hmac<Sha256> {
    Hmac::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"))
}

/// Lower-case hex of a 32-byte digest, on the stack.
pub(crate) struct Hex([u8; 64]);

impl Hex {
    pub(crate) fn of(digest: &[u8; 32]) -> Hex {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = [0u8; 64];
        for (pair, byte) in hex.chunks_exact_mut(2).zip(digest) {
            pair[0] = DIGITS[usize::from(byte >> 4)];
            pair[1] = DIGITS[usize::from(byte & 0x0f)];
        }
        Hex(hex)
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub(crate) fn to_text(&self) -> String {
        let mut text = String::with_capacity(self.0.len());
        push_ascii(&mut text, &self.0);
        text
    }
}

/// An integer in decimal, on the stack (the TC3 timestamp).
pub(crate) struct Decimal {
    /// The digits, right-aligned: `i64::MIN` takes all 20 places.
    places: [u8; 20],
    start: usize,
}

impl Decimal {
    pub(crate) fn of(number: i64) -> Decimal {
        let mut places = [0u8; 20];
        let mut start = places.len();
        let mut rest = number.unsigned_abs();
        loop {
            start -= 1;
            places[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if number < 0 {
            start -= 1;
            places[start] = b'-';
        }
        Decimal { places, start }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.places[self.start..]
    }
}

/// The UTC calendar date of a Unix timestamp, `YYYY-MM-DD`: the date of a TC3 credential scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UtcDate([u8; 10]);

impl UtcDate {
    /// The date of `timestamp`. A timestamp outside the years 0 to 9999, which no server accepts,
    /// gets the epoch's date, so a date always has ten characters.
    pub(crate) fn of(timestamp: i64) -> UtcDate {
        let date = time::OffsetDateTime::from_unix_timestamp(timestamp)
            .map(|moment| moment.date())
            .ok()
            .filter(|date| (0..=9999).contains(&date.year()))
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH.date());
        let mut text = *b"0000-00-00";
        let year = date.year().unsigned_abs();
        for (place, digit) in text[..4].iter_mut().zip([year / 1000, year / 100 % 10, year / 10 % 10, year % 10]) {
            *place = b'0' + digit as u8;
        }
        let month = u8::from(date.month());
        text[5] = b'0' + month / 10;
        text[6] = b'0' + month % 10;
        text[8] = b'0' + date.day() / 10;
        text[9] = b'0' + date.day() % 10;
        UtcDate(text)
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub(crate) fn to_text(self) -> String {
        let mut text = String::with_capacity(self.0.len());
        push_ascii(&mut text, &self.0);
        text
    }
}

/// Characters RFC 3986 leaves unencoded: letters, digits, `-`, `_`, `.`, `~`.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes everything but RFC 3986's unreserved characters (space is `%20`, `*` is `%2A`).
pub fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(encoded_len(text));
    push_encoded(&mut encoded, text);
    encoded
}

/// Appends `text`, percent-encoded as [`percent_encode`] does.
pub(crate) fn push_encoded(out: &mut String, text: &str) {
    out.extend(utf8_percent_encode(text, UNRESERVED));
}

/// Writes `text`, percent-encoded as [`percent_encode`] does, to a sink.
pub(crate) fn put_encoded(sink: &mut impl Sink, text: &str) {
    for piece in utf8_percent_encode(text, UNRESERVED) {
        sink.put(piece.as_bytes());
    }
}

/// The length of `text` percent-encoded, to size a string once: every byte but an unreserved
/// character's becomes `%XX`.
pub(crate) fn encoded_len(text: &str) -> usize {
    // A table lookup per byte, not a branch per character class: queries mix letters and digits.
    text.len() + 2 * text.bytes().filter(|&byte| ENCODED[usize::from(byte)]).count()
}

/// Which bytes [`percent_encode`] encodes: all but RFC 3986's unreserved characters.
const ENCODED: [bool; 256] = {
    let mut encoded = [true; 256];
    let mut byte = 0;
    while byte < 128 {
        let unreserved = (byte as u8).is_ascii_alphanumeric() || matches!(byte as u8, b'-' | b'_' | b'.' | b'~');
        encoded[byte] = !unreserved;
        byte += 1;
    }
    encoded
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_rfc_3986() {
        assert_eq!(percent_encode("a b*c~d-_.é/+="), "a%20b%2Ac~d-_.%C3%A9%2F%2B%3D");
    }

    #[test]
    fn sizes_every_encoding_exactly() {
        let every_ascii: String = (0..=127u8).map(char::from).collect();
        for text in [every_ascii.as_str(), "é中😀", "", "plain", "%41"] {
            assert_eq!(encoded_len(text), percent_encode(text).len(), "{text:?}");
            assert_eq!(percent_encode(text).capacity(), percent_encode(text).len(), "{text:?}");
        }
    }

    #[test]
    fn lower_cases_across_chunks_without_breaking_characters() {
        // 70 bytes: the 64-byte cut falls inside the two-byte `É`, which ASCII lower-casing leaves alone.
        let text = format!("{}É-X-ACS-Ünicode", "A".repeat(63));
        let mut kept = Vec::new();
        kept.put_lowercase(&text);
        assert_eq!(into_text(kept), format!("{}É-x-acs-Ünicode", "a".repeat(63)));
    }

    #[test]
    fn writes_hex_decimals_and_dates_on_the_stack() {
        assert_eq!(Hex::of(&sha256(b"")).to_text(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        for number in [0, 7, -7, 1_700_000_000, i64::MAX, i64::MIN] {
            assert_eq!(Decimal::of(number).as_bytes(), number.to_string().as_bytes());
        }
        assert_eq!(UtcDate::of(1_551_113_065).to_text(), "2019-02-25");
        assert_eq!(UtcDate::of(0).to_text(), "1970-01-01");
        assert_eq!(UtcDate::of(-1).to_text(), "1969-12-31");
        assert_eq!(UtcDate::of(253_402_300_799).to_text(), "9999-12-31");
        // Before year 0 and beyond what `time` represents: the epoch's date, never a panic.
        assert_eq!(UtcDate::of(-62_167_219_201).to_text(), "1970-01-01");
        assert_eq!(UtcDate::of(i64::MIN).to_text(), "1970-01-01");
        assert_eq!(UtcDate::of(i64::MAX).to_text(), "1970-01-01");
    }
}

//! Request signatures: Tencent Cloud TC3-HMAC-SHA256, Alibaba Cloud ACS3-HMAC-SHA256 (signature V3)
//! and the legacy Alibaba RPC HMAC-SHA1 signature.
//!
//! Each function is pure: it takes every input (time and nonce included) and returns the signature with
//! its intermediate values, so the official test vectors can be checked step by step.

pub mod acs3;
pub mod rpc_v2;
pub mod tc3;

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha2::{Digest, Sha256};

/// Characters RFC 3986 leaves unencoded: letters, digits, `-`, `_`, `.`, `~`.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes everything but RFC 3986's unreserved characters (space is `%20`, `*` is `%2A`).
pub fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

pub(crate) fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_rfc_3986() {
        assert_eq!(percent_encode("a b*c~d-_.é/+="), "a%20b%2Ac~d-_.%C3%A9%2F%2B%3D");
    }
}

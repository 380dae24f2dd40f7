//! The legacy Alibaba Cloud RPC signature (signature version 1.0, HMAC-SHA1): the `Signature` query
//! parameter over the sorted, encoded parameters.
//!
//! [`signature`] streams the string to sign into the HMAC; [`sign`] does the same and keeps every
//! intermediate value, for the official test vectors.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};
use zeroize::Zeroizing;

use super::acs3::canonical_query;
use super::text::{Sink, Tee, into_text, put_encoded};

/// The signature and its intermediate values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcSignature {
    /// The sorted, encoded parameters.
    pub canonicalized_query: String,
    /// `METHOD&%2F&<encoded canonicalized query>`.
    pub string_to_sign: String,
    /// Base64 HMAC-SHA1 keyed with `secret&`.
    pub signature: String,
}

/// The `Signature` of an RPC request's parameters (without `Signature` itself).
pub fn signature(method: &str, params: &[(&str, &str)], access_key_secret: &str) -> String {
    signed(method, &canonical_query(params), access_key_secret, ())
}

/// Signs the parameters of an RPC request (without `Signature` itself) and keeps every intermediate
/// value; the signature is [`signature`]'s.
pub fn sign(method: &str, params: &[(&str, &str)], access_key_secret: &str) -> RpcSignature {
    let canonicalized_query = canonical_query(params);
    let mut string_to_sign = Vec::new();
    let signature = signed(method, &canonicalized_query, access_key_secret, &mut string_to_sign);
    RpcSignature { canonicalized_query, string_to_sign: into_text(string_to_sign), signature }
}

/// HMAC-SHA1 of `METHOD&%2F&<encoded canonical query>` (`%2F` is `/` encoded), keyed with `secret&`,
/// in base64. The string to sign is also written to the copy sink (`()` keeps nothing).
fn signed(method: &str, canonical_query: &str, access_key_secret: &str, string_to_sign_copy: impl Sink) -> String {
    let mut mac = keyed_mac(access_key_secret);
    let mut string_to_sign = Tee(&mut mac, string_to_sign_copy);
    string_to_sign.put(method.as_bytes());
    string_to_sign.put(b"&%2F&");
    put_encoded(&mut string_to_sign, canonical_query);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// An HMAC-SHA1 keyed with `secret&`, the key made on the stack and zeroed after use. A key longer
/// than SHA-1's 64-byte block is its SHA-1 in HMAC (RFC 2104), which is hashed here in two pieces.
fn keyed_mac(access_key_secret: &str) -> Hmac<Sha1> {
    let mut key = Zeroizing::new([0u8; 64]);
    let length = access_key_secret.len() + 1;
    let key = match key.get_mut(..length) {
        Some(short) => {
            let (secret, ampersand) = short.split_at_mut(length - 1);
            secret.copy_from_slice(access_key_secret.as_bytes());
            ampersand.copy_from_slice(b"&");
            short
        }
        None => {
            let digest: [u8; 20] = Sha1::new().chain_update(access_key_secret).chain_update("&").finalize().into();
            let hashed = &mut key[..digest.len()];
            hashed.copy_from_slice(&digest);
            hashed
        }
    };
    Hmac::<Sha1>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_every_length_sign_as_the_plain_key_does() {
        for length in [0, 1, 62, 63, 64, 65, 200] {
            let secret = "k".repeat(length);
            let mut plain = Hmac::<Sha1>::new_from_slice(format!("{secret}&").as_bytes()).unwrap();
            plain.update(b"GET&%2F&a%3D1");
            let mut ours = keyed_mac(&secret);
            ours.update(b"GET&%2F&a%3D1");
            assert_eq!(ours.finalize().into_bytes(), plain.finalize().into_bytes(), "{length}");
        }
        let signed = sign("GET", &[("b", "x y"), ("a", "1")], "secret");
        assert_eq!(signed.string_to_sign, "GET&%2F&a%3D1%26b%3Dx%2520y");
        assert_eq!(signature("GET", &[("b", "x y"), ("a", "1")], "secret"), signed.signature);
    }
}

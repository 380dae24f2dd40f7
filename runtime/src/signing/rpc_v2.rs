//! The legacy Alibaba Cloud RPC signature (signature version 1.0, HMAC-SHA1): the `Signature` query
//! parameter over the sorted, encoded parameters.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::acs3::canonical_query;
use super::percent_encode;

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

/// Signs the parameters of an RPC request (without `Signature` itself).
pub fn sign(method: &str, params: &[(&str, &str)], access_key_secret: &str) -> RpcSignature {
    let canonicalized_query = canonical_query(params);
    let string_to_sign = format!("{method}&{}&{}", percent_encode("/"), percent_encode(&canonicalized_query));
    let mut mac = Hmac::<Sha1>::new_from_slice(format!("{access_key_secret}&").as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(string_to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    RpcSignature { canonicalized_query, string_to_sign, signature }
}

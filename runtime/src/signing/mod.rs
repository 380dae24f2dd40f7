//! Request signatures: Tencent Cloud TC3-HMAC-SHA256, Alibaba Cloud ACS3-HMAC-SHA256 (signature V3)
//! and the legacy Alibaba RPC HMAC-SHA1 signature.
//!
//! Each signature has two entry points over one signing path. The client calls the lean one per
//! attempt ([`tc3::authorization`], [`acs3::authorize`]): it streams the canonical request and the
//! string to sign into the hasher and the HMAC piece by piece, keeps hex on the stack, and for TC3
//! takes the derived key from the client's [`SigningKeyCache`]. The other, `sign`, is pure: it takes
//! every input (time and nonce included) and returns the signature with its intermediate values, so the
//! official test vectors can be checked step by step; it runs the same path with the text also copied
//! into buffers. The figures are in docs/performance.md, from `cargo bench -p cloudspec-runtime --bench
//! signing`.

pub mod acs3;
mod keys;
pub mod rpc_v2;
pub mod tc3;
mod text;

pub use keys::SigningKeyCache;
pub use text::percent_encode;
pub(crate) use text::sha256_hex;

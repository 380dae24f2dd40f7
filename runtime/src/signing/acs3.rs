//! Alibaba Cloud signature V3, ACS3-HMAC-SHA256.
//!
//! The canonical request covers the method, the canonical URI, the sorted and encoded query, the
//! `host`, `content-type` and `x-acs-*` headers (lower-cased, sorted, values trimmed, repeated names
//! joined by `,`) and the hashed payload (`x-acs-content-sha256`).
//!
//! [`authorize`] is what the client sends; [`sign`] computes the same with every intermediate value,
//! for the official test vectors.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;

use hmac::Mac as _;
use sha2::{Digest, Sha256};

use super::percent_encode;
use super::text::{Hex, Sink, Tee, encoded_len, hmac_sha256, into_text, push_ascii, push_encoded};
use crate::SecretString;

/// What is signed.
#[derive(Debug, Clone, Copy)]
pub struct Acs3Request<'a> {
    /// The HTTP method (`POST`).
    pub method: &'a str,
    /// The canonical URI: the path, each segment percent-encoded (`/` for RPC).
    pub canonical_uri: &'a str,
    /// Query parameters, unencoded; order does not matter (sorted ones are not copied).
    pub query: &'a [(&'a str, &'a str)],
    /// Headers, any case; only `host`, `content-type` and `x-acs-*` are signed.
    pub headers: &'a [(&'a str, &'a str)],
    /// Hex SHA-256 of the body (the `x-acs-content-sha256` value).
    pub hashed_payload: &'a str,
}

/// The signature and its intermediate values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acs3Signature {
    /// The canonical query string.
    pub canonical_query: String,
    /// The canonical headers, each line ending in `\n`.
    pub canonical_headers: String,
    /// The signed header names, `;`-separated.
    pub signed_headers: String,
    /// The canonical request.
    pub canonical_request: String,
    /// Hex SHA-256 of the canonical request.
    pub hashed_canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signature, in hex.
    pub signature: String,
    /// The `Authorization` header.
    pub authorization: String,
}

/// What the client sends: the query of the URL and the `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct Acs3Authorization {
    /// The canonical query string, which is also the URL's query.
    pub canonical_query: String,
    /// The `Authorization` header.
    pub authorization: String,
}

/// Query values may be secrets and the header is a credential: only the sizes are shown.
impl fmt::Debug for Acs3Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Acs3Authorization").field("query_bytes", &self.canonical_query.len()).finish_non_exhaustive()
    }
}

const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The canonical query string: pairs sorted by name (then value), then `name=value`, both encoded,
/// joined by `&`.
///
/// The sort is on the unencoded names (by code point), as Alibaba's documentation and official SDKs
/// sort them; sorting the encoded names differs for names with other characters than RFC 3986's
/// unreserved ones (`%` sorts before letters and digits, `/` or `é` after `-`).
pub fn canonical_query(query: &[(&str, &str)]) -> String {
    // The client's query is sorted already: then it is not copied to be sorted.
    let sorted = if query.is_sorted() {
        Cow::Borrowed(query)
    } else {
        let mut copy = query.to_vec();
        copy.sort_unstable();
        Cow::Owned(copy)
    };
    let length: usize = sorted.iter().map(|(name, value)| encoded_len(name) + 1 + encoded_len(value) + 1).sum();
    let mut canonical = String::with_capacity(length.saturating_sub(1));
    for (name, value) in sorted.iter() {
        if !canonical.is_empty() {
            canonical.push('&');
        }
        push_encoded(&mut canonical, name);
        canonical.push('=');
        push_encoded(&mut canonical, value);
    }
    canonical
}

/// Signs a request as the client sends it: the canonical query and the `Authorization` header.
pub fn authorize(
    request: &Acs3Request<'_>,
    access_key_id: &str,
    access_key_secret: &SecretString,
) -> Acs3Authorization {
    let canonical_query = canonical_query(request.query);
    let headers = SignedHeaders::of(request.headers);
    let signed = signed(request, &canonical_query, &headers, access_key_id, access_key_secret.expose_secret(), (), ());
    Acs3Authorization { canonical_query, authorization: signed.authorization }
}

/// Signs a request and returns every intermediate value; the signature is [`authorize`]'s.
pub fn sign(request: &Acs3Request<'_>, access_key_id: &str, access_key_secret: &str) -> Acs3Signature {
    let canonical_query = canonical_query(request.query);
    let headers = SignedHeaders::of(request.headers);
    let mut canonical_headers = Vec::new();
    headers.write_canonical(&mut canonical_headers);
    let (mut canonical_request, mut string_to_sign) = (Vec::new(), Vec::new());
    let signed = signed(
        request,
        &canonical_query,
        &headers,
        access_key_id,
        access_key_secret,
        &mut canonical_request,
        &mut string_to_sign,
    );
    Acs3Signature {
        canonical_headers: into_text(canonical_headers),
        signed_headers: signed.authorization.get(signed.names.clone()).unwrap_or_default().to_string(),
        canonical_request: into_text(canonical_request),
        hashed_canonical_request: signed.hashed_request.to_text(),
        string_to_sign: into_text(string_to_sign),
        signature: signed.signature.to_text(),
        authorization: signed.authorization,
        canonical_query,
    }
}

/// The canonical URI of a path: each segment percent-encoded, `/` kept.
pub fn canonical_uri(path: &str) -> String {
    if path.is_empty() {
        return "/".into();
    }
    path.split('/').map(percent_encode).collect::<Vec<_>>().join("/")
}

/// What [`signed`] made.
struct Signed {
    authorization: String,
    /// Where the signed header names are in `authorization`.
    names: Range<usize>,
    hashed_request: Hex,
    signature: Hex,
}

/// The one signing path of [`authorize`] and [`sign`]: builds the `Authorization` header around the
/// signature of the canonical request. The canonical request and the string to sign are also written
/// to the two copy sinks (`()` keeps nothing).
fn signed(
    request: &Acs3Request<'_>,
    canonical_query: &str,
    headers: &SignedHeaders<'_>,
    access_key_id: &str,
    access_key_secret: &str,
    canonical_request_copy: impl Sink,
    string_to_sign_copy: impl Sink,
) -> Signed {
    const CREDENTIAL: &str = " Credential=";
    const SIGNED_HEADERS: &str = ",SignedHeaders=";
    const SIGNATURE: &str = ",Signature=";
    let length = ALGORITHM.len()
        + CREDENTIAL.len()
        + access_key_id.len()
        + SIGNED_HEADERS.len()
        + headers.names_len()
        + SIGNATURE.len()
        + 64;
    let mut authorization = String::with_capacity(length);
    for piece in [ALGORITHM, CREDENTIAL, access_key_id, SIGNED_HEADERS] {
        authorization.push_str(piece);
    }
    // The signed header names are written once, here, and hashed from here.
    let start = authorization.len();
    headers.push_names(&mut authorization);
    let names = start..authorization.len();

    let mut hasher = Sha256::new();
    let mut canonical_request = Tee(&mut hasher, canonical_request_copy);
    for piece in [request.method, "\n", request.canonical_uri, "\n", canonical_query, "\n"] {
        canonical_request.put(piece.as_bytes());
    }
    headers.write_canonical(&mut canonical_request);
    canonical_request.put(b"\n");
    canonical_request.put(authorization.get(names.clone()).unwrap_or_default().as_bytes());
    canonical_request.put(b"\n");
    canonical_request.put(request.hashed_payload.as_bytes());
    let hashed_request = Hex::of(&hasher.finalize().into());

    let mut mac = hmac_sha256(access_key_secret.as_bytes());
    let mut string_to_sign = Tee(&mut mac, string_to_sign_copy);
    string_to_sign.put(ALGORITHM.as_bytes());
    string_to_sign.put(b"\n");
    string_to_sign.put(hashed_request.as_bytes());
    let signature = Hex::of(&mac.finalize().into_bytes().into());

    authorization.push_str(SIGNATURE);
    push_ascii(&mut authorization, signature.as_bytes());
    Signed { authorization, names, hashed_request, signature }
}

/// The signed headers, `host`, `content-type` and `x-acs-*` in any case, with their values trimmed,
/// in the canonical order: by lower-cased name, then value. The spellings of one name form a group,
/// whose values are joined.
struct SignedHeaders<'a>(Vec<(&'a str, &'a str)>);

impl<'a> SignedHeaders<'a> {
    fn of(headers: &'a [(&'a str, &'a str)]) -> Self {
        let mut signed = Vec::with_capacity(headers.len());
        signed.extend(headers.iter().filter(|(name, _)| is_signed(name)).map(|&(name, value)| (name, value.trim())));
        if signed.iter().all(|(name, _)| !name.bytes().any(|b| b.is_ascii_uppercase())) {
            // The client's names are lower-case already: compared as they are, which is quicker.
            signed.sort_unstable();
        } else {
            signed.sort_unstable_by(|a, b| cmp_lowercase(a.0, b.0).then_with(|| a.1.cmp(b.1)));
        }
        SignedHeaders(signed)
    }

    /// One group per lower-cased name: its headers, values in order.
    fn groups(&self) -> impl Iterator<Item = &[(&'a str, &'a str)]> {
        self.0.chunk_by(|a, b| a.0.eq_ignore_ascii_case(b.0))
    }

    /// `name:value[,value…]\n` per group.
    fn write_canonical(&self, sink: &mut impl Sink) {
        for group in self.groups() {
            for (i, (name, value)) in group.iter().enumerate() {
                if i == 0 {
                    sink.put_lowercase(name);
                    sink.put(b":");
                } else {
                    sink.put(b",");
                }
                sink.put(value.as_bytes());
            }
            sink.put(b"\n");
        }
    }

    /// The names, lower-cased and `;`-separated.
    fn push_names(&self, out: &mut String) {
        for (i, group) in self.groups().enumerate() {
            if i > 0 {
                out.push(';');
            }
            match group.first() {
                Some((name, _)) if name.bytes().any(|b| b.is_ascii_uppercase()) => {
                    out.extend(name.chars().map(|c| c.to_ascii_lowercase()));
                }
                Some((name, _)) => out.push_str(name),
                None => {}
            }
        }
    }

    /// The length of [`push_names`](Self::push_names)'s text.
    fn names_len(&self) -> usize {
        self.groups().map(|group| group.first().map_or(0, |(name, _)| name.len()) + 1).sum::<usize>().saturating_sub(1)
    }
}

fn is_signed(name: &str) -> bool {
    name.eq_ignore_ascii_case("host")
        || name.eq_ignore_ascii_case("content-type")
        || name.get(..6).is_some_and(|prefix| prefix.eq_ignore_ascii_case("x-acs-"))
}

/// Orders names as their lower-cased forms would be ordered, without making them.
fn cmp_lowercase(a: &str, b: &str) -> Ordering {
    a.bytes().map(|b| b.to_ascii_lowercase()).cmp(b.bytes().map(|b| b.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_the_query_by_unencoded_name() {
        // `-` < `/` < `z` < `é` unencoded; encoded, `%2F` and `%C3%A9` would sort first.
        let query = [("z", "4"), ("a/b", "2"), ("é", "3"), ("a-b", "1")];
        assert_eq!(canonical_query(&query), "a-b=1&a%2Fb=2&z=4&%C3%A9=3");
        // alibabacloud_openapi_util 0.2.4: Client.get_rpcsignature(<the same>, "GET", "secret").
        assert_eq!(super::super::rpc_v2::sign("GET", &query, "secret").signature, "tzEpvsEBgM34d2uafV8VTK6tQOQ=");
        let sorted = canonical_query(&[("a", "1"), ("b", "x y")]);
        assert_eq!((sorted.as_str(), sorted.capacity()), ("a=1&b=x%20y", 11));
        assert_eq!(canonical_query(&[]), "");
    }

    #[test]
    fn the_client_signs_as_sign_does() {
        // Names in several spellings (joined, lower-cased), unsigned headers, untrimmed and repeated
        // values, a query out of order.
        let headers = [
            ("X-Acs-Meta", " b "),
            ("host", "ecs.aliyuncs.com"),
            ("accept", "application/json"),
            ("x-acs-meta", "a"),
            ("Content-Type", "application/json"),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("X-ACS-META", "a"),
            ("user-agent", "test"),
            ("x-acs-é", "é"),
        ];
        let request = Acs3Request {
            method: "POST",
            canonical_uri: "/clusters/c%201",
            query: &[("b", "2"), ("a", "x y"), ("a", "1")],
            headers: &headers,
            hashed_payload: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        };
        let signature = sign(&request, "LTAI", "secret");
        assert_eq!(
            signature.canonical_headers,
            "content-type:application/json\nhost:ecs.aliyuncs.com\nx-acs-date:2023-10-26T10:22:32Z\n\
             x-acs-meta:a,a,b\nx-acs-é:é\n"
        );
        assert_eq!(signature.signed_headers, "content-type;host;x-acs-date;x-acs-meta;x-acs-é");
        assert_eq!(signature.canonical_query, "a=1&a=x%20y&b=2");
        assert_eq!(
            signature.canonical_request,
            format!(
                "POST\n/clusters/c%201\na=1&a=x%20y&b=2\n{}\n{}\n{}",
                signature.canonical_headers, signature.signed_headers, request.hashed_payload
            )
        );
        assert_eq!(
            signature.authorization,
            format!(
                "ACS3-HMAC-SHA256 Credential=LTAI,SignedHeaders={},Signature={}",
                signature.signed_headers, signature.signature
            )
        );
        assert_eq!(signature.authorization.len(), signature.authorization.capacity());
        let authorized = authorize(&request, "LTAI", &SecretString::from("secret"));
        assert_eq!(authorized.authorization, signature.authorization);
        assert_eq!(authorized.canonical_query, signature.canonical_query);
        let shown = format!("{authorized:?}");
        assert!(!shown.contains("Signature") && !shown.contains("x%20y"), "{shown}");

        // Nothing signed but the payload: no headers, no query.
        let bare = Acs3Request { headers: &[], query: &[], ..request };
        assert!(sign(&bare, "LTAI", "secret").authorization.contains(",SignedHeaders=,Signature="));
    }
}

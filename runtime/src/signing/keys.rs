//! TC3 signing keys: derived from a secret, a UTC date and a service by three HMACs, and kept per
//! client in a [`SigningKeyCache`], so signing a request costs one HMAC instead of four.

use std::fmt;
use std::sync::{Mutex, PoisonError};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::text::{UtcDate, hmac_sha256};
use crate::SecretString;

/// A key as secret as the secret it comes from: zeroed when dropped, never shown.
type Key = Zeroizing<[u8; 32]>;

/// HMAC-SHA256 of a message, as a key for the next step.
fn derive_step(key: &[u8], message: &[u8]) -> Key {
    let mut mac = hmac_sha256(key);
    mac.update(message);
    Zeroizing::new(mac.finalize().into_bytes().into())
}

/// The key that signs TC3 strings to sign for one secret, date and service.
#[derive(Clone)]
pub(crate) struct Tc3SigningKey(Key);

impl fmt::Debug for Tc3SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Tc3SigningKey(***)")
    }
}

impl Tc3SigningKey {
    /// The three derivation steps, each keyed with the one before: the date key (keyed with
    /// `TC3` + the secret), the service key, the signing key.
    pub(crate) fn derive_steps(secret_key: &str, date: &[u8], service: &str) -> (Key, Key, Tc3SigningKey) {
        let mut prefixed = Zeroizing::new(Vec::with_capacity(3 + secret_key.len()));
        prefixed.extend_from_slice(b"TC3");
        prefixed.extend_from_slice(secret_key.as_bytes());
        let date_key = derive_step(&prefixed, date);
        let service_key = derive_step(&*date_key, service.as_bytes());
        let signing_key = derive_step(&*service_key, b"tc3_request");
        (date_key, service_key, Tc3SigningKey(signing_key))
    }

    /// The signing key alone.
    pub(crate) fn derive(secret_key: &str, date: &[u8], service: &str) -> Tc3SigningKey {
        Self::derive_steps(secret_key, date, service).2
    }

    /// The key's bytes, to show them next to the official test vectors'.
    pub(crate) fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    /// An HMAC keyed with this key, for a string to sign.
    pub(crate) fn mac(&self) -> Hmac<Sha256> {
        hmac_sha256(&*self.0)
    }
}

/// How many keys a cache keeps: one per credentials and service a client signs for on one day.
const CAPACITY: usize = 16;

/// The TC3 signing keys a client has derived, shared by its clones.
///
/// A key is kept per access key id, secret, UTC date and service. The secret is compared too, so
/// credentials whose secret changes under the same id (a profile file fixed, a rotated key) never sign
/// with a stale key. Keys and the secrets they were derived from are zeroed when dropped, and `Debug`
/// shows only how many keys are kept.
#[derive(Default)]
pub struct SigningKeyCache {
    entries: Mutex<Vec<Entry>>,
}

struct Entry {
    access_key_id: String,
    secret_key: SecretString,
    date: UtcDate,
    service: String,
    key: Tc3SigningKey,
}

impl Entry {
    fn signs_for(&self, access_key_id: &str, secret_key: &SecretString, service: &str) -> bool {
        self.access_key_id == access_key_id
            && self.service == service
            && self.secret_key.expose_secret() == secret_key.expose_secret()
    }
}

impl fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeyCache").field("keys", &self.len()).finish()
    }
}

impl SigningKeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        SigningKeyCache::default()
    }

    /// How many keys are kept.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Whether no key is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The key for these credentials, date and service: the kept one, or one derived now and kept.
    pub(crate) fn tc3_key(
        &self,
        access_key_id: &str,
        secret_key: &SecretString,
        date: UtcDate,
        service: &str,
    ) -> Tc3SigningKey {
        // Nothing below panics, so the lock is never poisoned; were it, the keys are still whole.
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let same_signer = entries.iter().position(|entry| entry.signs_for(access_key_id, secret_key, service));
        if let Some(entry) = same_signer.and_then(|index| entries.get(index)).filter(|entry| entry.date == date) {
            return entry.key.clone();
        }
        let key = Tc3SigningKey::derive(secret_key.expose_secret(), date.as_bytes(), service);
        match same_signer.and_then(|index| entries.get_mut(index)) {
            // A new day: the old day's key is not needed again (a retry signs with a new time).
            Some(entry) => {
                entry.date = date;
                entry.key = key.clone();
            }
            None => {
                if entries.len() >= CAPACITY {
                    entries.remove(0);
                }
                entries.push(Entry {
                    access_key_id: access_key_id.to_string(),
                    secret_key: secret_key.clone(),
                    date,
                    service: service.to_string(),
                    key: key.clone(),
                });
            }
        }
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(key: &Tc3SigningKey) -> String {
        key.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn keeps_one_key_per_signer_and_day_and_never_a_stale_one() {
        let cache = SigningKeyCache::new();
        let secret = SecretString::from("secret-one");
        let day = UtcDate::of(1_700_000_000);
        let next_day = UtcDate::of(1_700_000_000 + 86_400);
        let expected =
            |secret: &str, date: UtcDate, service: &str| hex(&Tc3SigningKey::derive(secret, date.as_bytes(), service));

        let first = cache.tc3_key("AKID", &secret, day, "cvm");
        assert_eq!(hex(&first), expected("secret-one", day, "cvm"));
        assert_eq!(hex(&cache.tc3_key("AKID", &secret, day, "cvm")), hex(&first));
        assert_eq!(cache.len(), 1);

        // Another service is another key; a new day replaces the old day's key.
        assert_eq!(hex(&cache.tc3_key("AKID", &secret, day, "cbs")), expected("secret-one", day, "cbs"));
        assert_eq!(hex(&cache.tc3_key("AKID", &secret, next_day, "cvm")), expected("secret-one", next_day, "cvm"));
        assert_eq!(cache.len(), 2);

        // The same id with a new secret: the new secret's key, not the kept one.
        let rotated = SecretString::from("secret-two");
        assert_eq!(hex(&cache.tc3_key("AKID", &rotated, next_day, "cvm")), expected("secret-two", next_day, "cvm"));
        assert_ne!(expected("secret-two", next_day, "cvm"), expected("secret-one", next_day, "cvm"));
    }

    #[test]
    fn stays_bounded() {
        let cache = SigningKeyCache::new();
        let secret = SecretString::from("s");
        for service in 0..3 * CAPACITY {
            cache.tc3_key("AKID", &secret, UtcDate::of(0), &format!("service{service}"));
        }
        assert_eq!(cache.len(), CAPACITY);
    }

    #[test]
    fn shows_neither_secrets_nor_keys() {
        let cache = SigningKeyCache::new();
        let key = cache.tc3_key("AKID", &SecretString::from("hunter2"), UtcDate::of(0), "cvm");
        let shown = format!("{cache:?} {key:?}");
        assert_eq!(shown, "SigningKeyCache { keys: 1 } Tc3SigningKey(***)");
    }
}

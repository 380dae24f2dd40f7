//! [`SecretString`]: a string that never shows itself.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

/// A secret value — a secret key, an app secret, a token.
///
/// It is sent and received like any string, but its `Debug` and `Display` print `***`, and its memory
/// is zeroed when it is dropped. Read it with [`SecretString::expose_secret`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        SecretString(Zeroizing::new(secret.into()))
    }

    /// The secret itself. Every call site is a place where it may leak: keep it out of logs.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for SecretString {
    fn from(secret: String) -> Self {
        SecretString::new(secret)
    }
}

impl From<&str> for SecretString {
    fn from(secret: &str) -> Self {
        SecretString::new(secret)
    }
}

impl Serialize for SecretString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(SecretString::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_itself_but_travels_intact() {
        let secret = SecretString::from("9i3BQU8lMUl2dAvrF8RvL5EM6RKEG47P770du61B");
        assert_eq!(format!("{secret:?} {secret} {:?}", Some(&secret)), "\"***\" *** Some(\"***\")");
        let json = serde_json::to_string(&secret).unwrap();
        assert_eq!(json, "\"9i3BQU8lMUl2dAvrF8RvL5EM6RKEG47P770du61B\"");
        let back: SecretString = serde_json::from_str(&json).unwrap();
        assert_eq!(back.expose_secret(), secret.expose_secret());
    }
}

//! Which fields are secrets. Neither catalogue marks them, so both importers apply this one rule set, by
//! name, to every text field they write (request and response members, and members of shared types),
//! and report every field it marked and every near-miss it left, with the rule that decided.
//!
//! The rules read a wire name as words ([`cloudspec::names::words`]: `NewAccessKeySecret` → new, access,
//! key, secret) and mark it when
//! - a word is a password (`password`, `passwd`, `pwd`, `passphrase`, `passcode`);
//! - a word is `secret` (`AccessKeySecret`, `AppSecret`, `SecretKey`, `ClientSecret`, `SecretData`);
//! - the words say `private key` (`PrivateKey`, `SslPrivateKey`);
//! - a word is `token`, unless it is a paging or idempotency token (`NextToken`, `ClientToken`);
//! - a word is `credential(s)` or `plaintext` (a KMS decryption's result);
//! - the last word is `key` after a word that makes it key material (`PreSharedKey`, `SigningKey`,
//!   `EncryptionKey`, `HmacKey`, `SessionKey`).
//!
//! It leaves a name that matches when the words around the match say it is about the secret, not the
//! secret itself: the last word is metadata (`SecretId`, `PasswordPolicy`, `TokenExpireTime`, `SecretName`,
//! `PrivateKeyFile`), or the first word asks a question (`IsPasswordSet`, `EnableToken`). A matching field
//! whose type is not text is left too: only text can be redacted (`cloudspec check` refuses the mark on
//! anything else).

use cloudspec::spec::types::{Scalar, TypeExpr};
use cloudspec::spec::{Field, ServiceSpec};
use indexmap::IndexMap;

/// One decision of the rule set: a field it marked sensitive, or one it left although its name matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SensitiveDecision {
    /// Where the field is: `Action.request.Field`, `Action.response.Field` or `Type.Field`.
    pub location: String,
    /// Whether the field was marked sensitive.
    pub marked: bool,
    /// The rule that marked it, or why it was left.
    pub reason: &'static str,
}

/// What the name of a field says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A secret, by the named rule.
    Secret(&'static str),
    /// A name that matches a rule, left for the named reason.
    NearMiss(&'static str),
    /// Nothing secret about it.
    Plain,
}

const PASSWORD_WORDS: &[&str] = &["password", "passwd", "pwd", "passphrase", "passcode", "passwords"];

/// Words before `key` that make it key material.
#[rustfmt::skip]
const KEY_MATERIAL: &[&str] = &[
    "private", "secret", "shared", "share", "signing", "signature", "encryption", "encrypt", "hmac", "aes",
    "symmetric", "master", "session", "psk", "sign",
];

/// Words before `token` that make it a paging or idempotency token rather than a credential.
#[rustfmt::skip]
const HARMLESS_TOKENS: &[&str] = &[
    "next", "page", "continuation", "client", "pagination", "last", "start", "marker", "scroll", "cursor",
    "query", "sync", "idempotency", "idempotent", "request", "resume", "list", "prev", "previous", "end",
    "offset", "continue", "creation", "http",
];

/// Last words that make the name about a secret rather than the secret itself.
#[rustfmt::skip]
const METADATA: &[&str] = &[
    "id", "ids", "name", "names", "type", "types", "mode", "status", "state", "policy", "policies", "rule",
    "rules", "strength", "length", "len", "expire", "expired", "expires", "expiration", "expiry", "time",
    "date", "period", "days", "inherit", "enabled", "enable", "flag", "required", "set", "version",
    "versions", "arn", "hint", "format", "level", "count", "url", "uri", "path", "file", "location", "region",
    "source", "kind", "config", "configuration", "switch", "changed", "reset", "ttl", "updated", "created",
    "valid", "validity", "info", "description", "desc", "tag", "tags", "fingerprint", "algorithm", "usage",
    "spec", "specs", "label", "owner", "provider", "scope", "scopes", "method", "timeout", "interval",
    "duration", "at", "modified", "alias", "no", "num", "number", "dictionary",
];

/// First words that make the name a question about a secret (`IsPasswordSet`, `EnableToken`).
#[rustfmt::skip]
const QUESTIONS: &[&str] = &[
    "is", "has", "enable", "enabled", "need", "needs", "use", "allow", "disable", "support", "show", "can",
    "should",
];

/// What the name of a field says about it.
pub fn verdict(wire: &str) -> Verdict {
    let words: Vec<String> = cloudspec::names::words(wire).iter().map(|w| w.to_lowercase()).collect();
    let Some(rule) = rule(&words) else { return Verdict::Plain };
    let (first, last) = (words.first().map(String::as_str), words.last().map(String::as_str));
    if words.len() > 1 && first.is_some_and(|w| QUESTIONS.contains(&w)) {
        return Verdict::NearMiss("the first word asks a question about the secret");
    }
    if words.len() > 1 && last.is_some_and(|w| METADATA.contains(&w)) {
        return Verdict::NearMiss("the last word names something about the secret, not the secret");
    }
    match rule {
        Ok(rule) => Verdict::Secret(rule),
        Err(reason) => Verdict::NearMiss(reason),
    }
}

/// The rule a name's words match (`Err` for a match the rule itself excludes), or `None`.
fn rule(words: &[String]) -> Option<Result<&'static str, &'static str>> {
    let has = |w: &str| words.iter().any(|x| x == w);
    if words.iter().any(|w| PASSWORD_WORDS.contains(&w.as_str())) {
        return Some(Ok("a password"));
    }
    if words.iter().any(|w| w == "secret" || w == "secrets") {
        return Some(Ok("a secret"));
    }
    if words.windows(2).any(|pair| pair[0] == "private" && pair[1] == "key") || has("privatekey") {
        return Some(Ok("a private key"));
    }
    if let Some(at) = words.iter().position(|w| w == "token" || w == "tokens") {
        return Some(match at.checked_sub(1).map(|i| words[i].as_str()) {
            Some(before) if HARMLESS_TOKENS.contains(&before) => Err("a paging or idempotency token"),
            _ => Ok("a token"),
        });
    }
    if has("credential") || has("credentials") {
        return Some(Ok("a credential"));
    }
    if has("plaintext") {
        return Some(Ok("decrypted plaintext"));
    }
    if let [.., before, last] = words {
        if last == "key" && KEY_MATERIAL.contains(&before.as_str()) {
            return Some(Ok("key material"));
        }
    }
    None
}

/// Marks the secret text fields of a spec, returning every decision (marked and near-misses).
pub fn mark(spec: &mut ServiceSpec) -> Vec<SensitiveDecision> {
    let mut decisions = Vec::new();
    for (name, action) in &mut spec.actions {
        mark_fields(&mut action.request, &format!("{name}.request"), &mut decisions);
        mark_fields(&mut action.response, &format!("{name}.response"), &mut decisions);
    }
    for (name, def) in &mut spec.types {
        if let Some(fields) = def.fields.as_mut() {
            mark_fields(fields, name, &mut decisions);
        }
    }
    decisions
}

fn mark_fields(fields: &mut IndexMap<String, Field>, owner: &str, decisions: &mut Vec<SensitiveDecision>) {
    for (wire, field) in fields {
        let location = format!("{owner}.{wire}");
        let text = matches!(field.ty.element(), TypeExpr::Scalar(Scalar::String | Scalar::Binary));
        match verdict(wire) {
            Verdict::Plain => {}
            Verdict::Secret(_) if field.sensitive => {}
            Verdict::Secret(rule) if text => {
                field.sensitive = true;
                decisions.push(SensitiveDecision { location, marked: true, reason: rule });
            }
            Verdict::Secret(_) => {
                decisions.push(SensitiveDecision { location, marked: false, reason: "not text, so not redactable" })
            }
            Verdict::NearMiss(reason) => decisions.push(SensitiveDecision { location, marked: false, reason }),
        }
    }
}

/// Counts of decisions, for reports: (marked, left).
pub fn counts<'a>(decisions: impl IntoIterator<Item = &'a SensitiveDecision>) -> (usize, usize) {
    decisions
        .into_iter()
        .fold((0, 0), |(marked, left), d| if d.marked { (marked + 1, left) } else { (marked, left + 1) })
}

/// The report of every decision as Markdown: counts by rule, then every field marked and every field
/// left, each under its service version (`apigateway/2018-08-08`).
pub fn markdown<'a>(decisions: impl IntoIterator<Item = (String, &'a SensitiveDecision)>) -> String {
    use std::fmt::Write;
    let mut rows: Vec<(String, &SensitiveDecision)> = decisions.into_iter().collect();
    rows.sort_by(|a, b| (!a.1.marked, &a.0, &a.1.location).cmp(&(!b.1.marked, &b.0, &b.1.location)));
    let mut by_reason = std::collections::BTreeMap::new();
    for (_, d) in &rows {
        *by_reason.entry((!d.marked, d.reason)).or_insert(0usize) += 1;
    }
    let (marked, left) = counts(rows.iter().map(|(_, d)| *d));
    let mut out = format!("## Sensitive fields\n\n{marked} fields marked sensitive, {left} near-misses left.\n\n");
    out.push_str("| decision | rule or reason | fields |\n|---|---|---|\n");
    for ((left, reason), n) in &by_reason {
        let _ = writeln!(out, "| {} | {reason} | {n} |", if *left { "left" } else { "marked" });
    }
    out.push_str("\n| service | field | decision | rule or reason |\n|---|---|---|---|\n");
    for (service, d) in rows {
        let decision = if d.marked { "marked" } else { "left" };
        let _ = writeln!(out, "| {service} | `{}` | {decision} | {} |", d.location, d.reason);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_marked_by_their_names() {
        for wire in [
            "Password",
            "NewPassword",
            "DBPassword",
            "AccessKeySecret",
            "AppSecret",
            "SecretKey",
            "ClientSecret",
            "SecretData",
            "PrivateKey",
            "SslPrivateKey",
            "Token",
            "SecurityToken",
            "AccessToken",
            "OidcToken",
            "Credentials",
            "Plaintext",
            "PreSharedKey",
            "PreShareKey",
            "SigningKey",
            "KeyPairPassphrase",
            "password",
        ] {
            assert!(matches!(verdict(wire), Verdict::Secret(_)), "{wire}: {:?}", verdict(wire));
        }
    }

    #[test]
    fn names_about_secrets_are_near_misses() {
        for wire in [
            "SecretId",
            "SecretName",
            "PasswordPolicy",
            "TokenExpireTime",
            "PrivateKeyFile",
            "IsPasswordSet",
            "EnableToken",
            "NextToken",
            "ClientToken",
            "PasswordInherit",
            "CredentialType",
            "SecretNo",
            "HttpTokens",
            "CreationToken",
        ] {
            assert!(matches!(verdict(wire), Verdict::NearMiss(_)), "{wire}: {:?}", verdict(wire));
        }
    }

    #[test]
    fn other_names_are_plain() {
        for wire in ["AccessKeyId", "InstanceName", "KeyPairName", "Tokenizer", "PublicKey", "Key", "SecretaryName"] {
            assert_eq!(verdict(wire), Verdict::Plain, "{wire}");
        }
    }

    #[test]
    fn only_text_is_marked_and_every_decision_is_reported() {
        let spec: ServiceSpec = serde_json::from_value(serde_json::json!({
            "format_version": 1,
            "provider": "tencentcloud",
            "service": { "name": "demo", "version": "2020-01-01", "title": "Demo", "endpoint": "demo.tencentcloudapi.com" },
            "actions": {
                "ResetPassword": {
                    "summary": "Resets.",
                    "idempotent": false,
                    "request": {
                        "Password": { "type": "string" },
                        "PasswordLength": { "type": "int64" },
                        "Tokens": { "type": "list<string>" },
                        "PrivateKey": { "type": "int64" }
                    },
                    "response": { "Credentials": { "type": "Creds" } }
                }
            },
            "types": { "Creds": { "kind": "object", "fields": { "SessionToken": { "type": "string" } } } }
        }))
        .unwrap();
        let mut spec = spec;
        let decisions = mark(&mut spec);
        let request = &spec.actions["ResetPassword"].request;
        assert!(request["Password"].sensitive && request["Tokens"].sensitive);
        assert!(!request["PasswordLength"].sensitive && !request["PrivateKey"].sensitive);
        assert!(!spec.actions["ResetPassword"].response["Credentials"].sensitive, "an object is not text");
        assert!(spec.types["Creds"].fields.as_ref().unwrap()["SessionToken"].sensitive);
        assert_eq!(counts(&decisions), (3, 3), "{decisions:#?}");
    }
}

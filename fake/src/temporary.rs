//! Temporary credentials the fake issues — through STS (`AssumeRole`, `AssumeRoleWithWebIdentity`,
//! `AssumeRoleWithOIDC`), the instance metadata service and the credentials URI — and then accepts: a
//! request signed with one must carry its session token and arrive before it expires, as the
//! providers require. The OIDC actions take no signature (Tencent `Authorization: SKIP`, Alibaba's
//! anonymous request), so the fake answers them unsigned.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use cloudspec::spec::Protocol;

use crate::emulate::random_text;
use crate::served::Served;
use crate::settings::Settings;

/// One set of temporary credentials the fake handed out (never its secret or token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCredentials {
    /// The temporary access key id.
    pub access_key_id: String,
    /// What issued it: `AssumeRole`, `AssumeRoleWithWebIdentity`, `AssumeRoleWithOIDC`, `metadata`
    /// or `credentials-uri`.
    pub issued_by: String,
    /// The role assumed (the ARN, or the instance role's name).
    pub role: Option<String>,
    /// The role session's name.
    pub session_name: Option<String>,
    /// The access key id that signed the `AssumeRole`.
    pub source_access_key_id: Option<String>,
    /// The SHA-256 (hex) of the OIDC token presented, so a test can tell which token was read.
    pub oidc_token_sha256: Option<String>,
    /// When it expires, in Unix seconds of the fake's clock.
    pub expires_at: i64,
}

/// What the requester of temporary credentials said.
pub(crate) struct Request<'a> {
    pub(crate) issued_by: &'a str,
    pub(crate) alibaba: bool,
    pub(crate) role: Option<String>,
    pub(crate) session_name: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) oidc_token: Option<&'a str>,
    /// `DurationSeconds`, when asked.
    pub(crate) asked: Option<i64>,
    /// The lifetime when none is asked and the settings set none.
    pub(crate) default: i64,
}

/// Temporary credentials, with what proves them.
pub(crate) struct Issued {
    pub(crate) info: IssuedCredentials,
    pub(crate) secret: String,
    pub(crate) token: String,
}

/// Why a request signed with temporary credentials is refused.
pub(crate) enum TokenProblem {
    Missing,
    Wrong,
    Expired,
}

/// Every temporary credential issued and not long expired.
#[derive(Default)]
pub(crate) struct Store {
    issued: BTreeMap<String, Issued>,
}

impl Store {
    /// The most kept at once; beyond it, expired ones go first.
    const CAPACITY: usize = 100_000;

    /// Issues credentials for `request`, at the fake's clock `now`.
    pub(crate) fn issue(&mut self, settings: &Settings, request: Request<'_>, now: i64) -> &Issued {
        let life = match (settings.temporary_lifetime, request.asked) {
            (Some(life), _) => i64::try_from(life.as_secs().max(1)).unwrap_or(i64::MAX),
            (None, Some(asked)) if asked > 0 => asked,
            (None, _) => request.default,
        };
        if self.issued.len() >= Store::CAPACITY {
            self.issued.retain(|_, issued| issued.info.expires_at > now);
            while self.issued.len() >= Store::CAPACITY {
                self.issued.pop_first();
            }
        }
        let id = if request.alibaba { format!("STS.{}", random_text(24)) } else { format!("AKID{}", random_text(32)) };
        let info = IssuedCredentials {
            access_key_id: id.clone(),
            issued_by: request.issued_by.to_string(),
            role: request.role,
            session_name: request.session_name,
            source_access_key_id: request.source,
            oidc_token_sha256: request.oidc_token.map(|token| hex::encode(Sha256::digest(token.as_bytes()))),
            expires_at: now.saturating_add(life),
        };
        let issued = Issued { info, secret: random_text(40), token: random_text(64) };
        self.issued.insert(id.clone(), issued);
        &self.issued[&id]
    }

    /// The secret of temporary access key `id`.
    pub(crate) fn secret(&self, id: &str) -> Option<String> {
        self.issued.get(id).map(|issued| issued.secret.clone())
    }

    /// Whether a request signed by `id` may pass: not temporary, or with its token and in time.
    pub(crate) fn check(&self, id: &str, token: Option<&str>, now: i64) -> Result<(), TokenProblem> {
        let Some(issued) = self.issued.get(id) else { return Ok(()) };
        match token {
            None | Some("") => Err(TokenProblem::Missing),
            Some(token) if !same(token, &issued.token) => Err(TokenProblem::Wrong),
            Some(_) if now >= issued.info.expires_at => Err(TokenProblem::Expired),
            Some(_) => Ok(()),
        }
    }

    /// Everything issued, in key order.
    pub(crate) fn list(&self) -> Vec<IssuedCredentials> {
        self.issued.values().map(|issued| issued.info.clone()).collect()
    }
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The provider's code, message and status for a refused token.
pub(crate) fn refusal(problem: &TokenProblem, tencent: bool) -> (&'static str, &'static str, u16) {
    match (problem, tencent) {
        (TokenProblem::Missing, true) => {
            ("AuthFailure.TokenFailure", "temporary credentials need their token (X-TC-Token)", 200)
        }
        (TokenProblem::Wrong, true) => ("AuthFailure.TokenFailure", "the token does not belong to this SecretId", 200),
        (TokenProblem::Expired, true) => ("AuthFailure.TokenFailure", "the token has expired", 200),
        (TokenProblem::Missing, false) => {
            ("MissingSecurityToken", "temporary credentials need their security token", 400)
        }
        (TokenProblem::Wrong, false) => {
            ("InvalidSecurityToken.MismatchWithAccessKey", "the security token does not match the AccessKeyId", 400)
        }
        (TokenProblem::Expired, false) => ("InvalidSecurityToken.Expired", "the security token has expired", 400),
    }
}

/// Whether the action takes no signature: Tencent `AssumeRoleWithWebIdentity`, Alibaba
/// `AssumeRoleWithOIDC`.
pub(crate) fn anonymous(served: &Served, action: &str) -> bool {
    served.spec.service.name == "sts" && matches!(action, "AssumeRoleWithWebIdentity" | "AssumeRoleWithOIDC")
}

/// An RFC 3339 UTC time of Unix seconds.
pub(crate) fn rfc3339(at: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

fn text(params: &Map<String, Value>, name: &str) -> Option<String> {
    params.get(name).and_then(Value::as_str).map(str::to_string)
}

/// Runs an STS action: `None` when `action` of `served` is not one.
pub(crate) fn sts(
    store: &mut Store,
    settings: &Settings,
    served: &Served,
    action: &str,
    params: &Map<String, Value>,
    caller: Option<&str>,
    now: i64,
) -> Option<Map<String, Value>> {
    if served.spec.service.name != "sts" {
        return None;
    }
    let alibaba = served.protocol() != Protocol::TencentJson;
    let token = match action {
        "AssumeRole" => None,
        "AssumeRoleWithWebIdentity" => params.get("WebIdentityToken").and_then(Value::as_str),
        "AssumeRoleWithOIDC" => params.get("OIDCToken").and_then(Value::as_str),
        _ => return None,
    };
    let request = Request {
        issued_by: action,
        alibaba,
        role: text(params, "RoleArn"),
        session_name: text(params, "RoleSessionName"),
        source: if action == "AssumeRole" { caller.map(str::to_string) } else { None },
        oidc_token: token,
        asked: params.get("DurationSeconds").and_then(Value::as_i64),
        default: if alibaba { 3600 } else { 7200 },
    };
    let issued = store.issue(settings, request, now);
    let info = &issued.info;
    let payload = if alibaba {
        let role = info.role.clone().unwrap_or_default();
        let session = info.session_name.clone().unwrap_or_default();
        json!({
            "AssumedRoleUser": {"Arn": format!("{role}/{session}"), "AssumedRoleId": format!("300000000000000000:{session}")},
            "Credentials": {
                "AccessKeyId": info.access_key_id, "AccessKeySecret": issued.secret,
                "SecurityToken": issued.token, "Expiration": rfc3339(info.expires_at)
            }
        })
    } else {
        json!({
            "Credentials": {"Token": issued.token, "TmpSecretId": info.access_key_id, "TmpSecretKey": issued.secret},
            "ExpiredTime": info.expires_at,
            "Expiration": rfc3339(info.expires_at)
        })
    };
    match payload {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// A default lifetime of the metadata service's credentials: six hours.
pub(crate) const METADATA_LIFETIME: i64 = 6 * 60 * 60;

/// The fake's clock, in Unix seconds.
pub(crate) fn now(settings: &Settings) -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp().saturating_add(settings.clock_offset_seconds)
}

//! Which URL a call goes to.

use std::net::IpAddr;

use reqwest::header::HeaderValue;

use crate::config::{Config, Endpoint};
use crate::meta::ActionMeta;

/// Where a call goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `https` (or `http` for a loopback fake).
    pub scheme: &'static str,
    /// The `Host` header: host, and port when not the scheme's default.
    pub host: String,
    /// `scheme://host/`, parsed once: the URL of every Tencent call and every Alibaba RPC call without a
    /// query.
    root: url::Url,
    /// The `Host` header's value, checked once (every attempt sends a shared copy); `None` when the host
    /// has characters a header value cannot hold, which every call then reports.
    host_value: Option<HeaderValue>,
}

impl Target {
    /// The target of a scheme and host (and port).
    pub fn new(scheme: &'static str, host: String) -> Result<Target, String> {
        let root = url::Url::parse(&format!("{scheme}://{host}/"))
            .map_err(|e| format!("`{scheme}://{host}` is not a URL: {e}"))?;
        let host_value = HeaderValue::from_str(&host).ok();
        Ok(Target { scheme, host, root, host_value })
    }

    /// The `Host` header.
    pub(crate) fn host_value(&self) -> Option<HeaderValue> {
        self.host_value.clone()
    }

    /// `scheme://host/`.
    pub fn root(&self) -> &url::Url {
        &self.root
    }

    /// The URL of a path and query.
    pub fn url(&self, path: &str, query: &str) -> Result<url::Url, String> {
        if path == "/" && query.is_empty() {
            return Ok(self.root.clone());
        }
        let text = if query.is_empty() {
            format!("{}://{}{path}", self.scheme, self.host)
        } else {
            format!("{}://{}{path}?{query}", self.scheme, self.host)
        };
        url::Url::parse(&text).map_err(|e| format!("cannot build the request URL: {e}"))
    }
}

/// Regions are DNS labels; anything else could rewrite the host or a header.
fn valid_region(region: &str) -> bool {
    !region.is_empty()
        && region.len() <= 63
        && region.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn https(host: String) -> Result<Target, String> {
    Target::new("https", host)
}

/// Resolves the configured endpoint for an action's service.
pub fn resolve(config: &Config, action: &ActionMeta) -> Result<Target, String> {
    let endpoints = &action.service.endpoints;
    let service = action.service.name;
    let region = config.region_for(action.service.protocol);
    if let Some(region) = region {
        if !valid_region(region) {
            return Err(format!("`{region}` is not a region id (lower-case letters, digits and hyphens)"));
        }
    }
    let regional = |region: &str| -> Option<String> {
        endpoints
            .regions
            .iter()
            .find(|(id, _)| *id == region)
            .map(|(_, host)| host.to_string())
            .or_else(|| endpoints.regional.map(|pattern| pattern.replace("{region}", region)))
    };
    match &config.endpoint {
        Endpoint::Custom(url) => custom(url),
        Endpoint::International => endpoints
            .international
            .map(|host| https(host.into()))
            .ok_or_else(|| format!("{service} has no international endpoint; use the default or a regional one"))?,
        Endpoint::Regional => {
            let region = region
                .ok_or_else(|| format!("a regional endpoint of {service} needs a region: set one in the config"))?;
            regional(region).map(https).ok_or_else(|| format!("{service} has no host for region `{region}`"))?
        }
        _ => match (endpoints.default, region) {
            (Some(host), _) => https(host.into()),
            (None, Some(region)) => {
                regional(region).map(https).ok_or_else(|| format!("{service} has no host for region `{region}`"))?
            }
            (None, None) => Err(format!("{service} has no default endpoint: set a region")),
        },
    }
}

fn custom(text: &str) -> Result<Target, String> {
    // `127.0.0.1:8080` is a relative URL to the parser, and `localhost:8080` one with the scheme
    // `localhost`: both mean a host and a port without a scheme.
    if !text.contains("://") {
        let loopback = url::Url::parse(&format!("http://{text}"))
            .ok()
            .and_then(|url| url.host_str().map(is_loopback))
            .unwrap_or(false);
        let scheme = if loopback { "http" } else { "https" };
        return Err(format!("the endpoint `{text}` has no scheme: add one, as in `{scheme}://{text}`"));
    }
    let url = url::Url::parse(text).map_err(|e| format!("the endpoint `{text}` is not a URL: {e}"))?;
    let host = url.host_str().ok_or_else(|| format!("the endpoint `{text}` has no host"))?.to_string();
    if !(url.path() == "/" || url.path().is_empty())
        || url.query().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(format!("the endpoint `{text}` must be a scheme, a host and a port only"));
    }
    let scheme = match url.scheme() {
        "https" => "https",
        "http" if is_loopback(&host) => "http",
        "http" => {
            return Err(format!(
                "the endpoint `{text}` uses plain HTTP: only https, or http to a loopback address (a local fake), is allowed"
            ));
        }
        other => return Err(format!("the endpoint `{text}` uses `{other}`; use https")),
    };
    let host = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    };
    Target::new(scheme, host)
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost" || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback() {
        assert_eq!(custom("http://127.0.0.1:8080").unwrap(), Target::new("http", "127.0.0.1:8080".into()).unwrap());
        assert_eq!(custom("http://[::1]:9000").unwrap().scheme, "http");
        assert_eq!(custom("http://localhost:1").unwrap().scheme, "http");
        assert!(custom("http://10.0.0.1:8080").unwrap_err().contains("plain HTTP"));
        assert!(custom("http://example.com").is_err());
        assert_eq!(custom("https://example.com").unwrap(), Target::new("https", "example.com".into()).unwrap());
        assert!(custom("https://example.com/path").is_err());
        assert!(custom("ftp://example.com").is_err());
    }

    #[test]
    fn the_host_header_is_checked_once() {
        let target = custom("http://127.0.0.1:8080").unwrap();
        assert_eq!(target.host_value().unwrap(), "127.0.0.1:8080");
        // The URL parser drops a carriage return from the host; a header cannot hold one, so every call
        // reports it (as `wire::build` did when it checked the value per call).
        let target = Target::new("https", "example.com\r".into()).unwrap();
        assert_eq!(target.host_value(), None);
    }

    #[test]
    fn a_url_without_a_scheme_gets_a_hint() {
        assert_eq!(
            custom("127.0.0.1:8080").unwrap_err(),
            "the endpoint `127.0.0.1:8080` has no scheme: add one, as in `http://127.0.0.1:8080`"
        );
        assert!(custom("localhost:8080").unwrap_err().ends_with("as in `http://localhost:8080`"));
        assert!(
            custom("apigateway.tencentcloudapi.com").unwrap_err().ends_with("`https://apigateway.tencentcloudapi.com`")
        );
    }

    #[test]
    fn region_ids_cannot_inject() {
        assert!(valid_region("ap-guangzhou"));
        assert!(!valid_region("ap-guangzhou.evil.com"));
        assert!(!valid_region("a\r\nx"));
    }

    static ROA: crate::meta::ServiceMeta = crate::meta::ServiceMeta {
        name: "cs",
        signing_name: "cs",
        version: "2015-12-15",
        protocol: cloudspec_rules::Protocol::AlibabaRoa,
        endpoints: crate::meta::EndpointsMeta {
            default: None,
            international: None,
            regional: Some("cs.{region}.aliyuncs.com"),
            regions: &[("cn-hangzhou", "cs.cn-hangzhou.aliyuncs.com"), ("ap-x", "cs-x.example.com")],
        },
    };

    static ROA_ACTION: ActionMeta = ActionMeta {
        service: &ROA,
        name: "DescribeClusters",
        idempotent: true,
        rate_limit: None,
        region: crate::meta::RegionRule::Optional,
        method: "GET",
        path: "/clusters",
        sensitive_output: false,
        params: &[],
        idempotency_token: None,
        status_fields: crate::meta::StatusFields { code: false, success: false },
    };

    #[test]
    fn roa_services_resolve_listed_regional_hosts_then_the_pattern() {
        let host = |config: Config| resolve(&config, &ROA_ACTION).map(|target| target.host);
        // A host listed for the region wins over the pattern.
        assert_eq!(host(Config::new().with_region("ap-x")).unwrap(), "cs-x.example.com");
        assert_eq!(host(Config::new().with_region("cn-hangzhou")).unwrap(), "cs.cn-hangzhou.aliyuncs.com");
        assert_eq!(host(Config::new().with_region("eu-central-1")).unwrap(), "cs.eu-central-1.aliyuncs.com");
        assert_eq!(
            host(Config::new().with_region("ap-x").with_endpoint(Endpoint::Regional)).unwrap(),
            "cs-x.example.com"
        );
        assert!(host(Config::new()).unwrap_err().contains("set a region"));
        assert_eq!(
            host(Config::new().with_region("ap-x").with_endpoint_url("https://mirror.example:8443")).unwrap(),
            "mirror.example:8443"
        );
    }
}

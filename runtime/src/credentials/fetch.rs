//! Plain HTTP requests of the network sources that are not cloud APIs — the instance metadata
//! services and the credentials URI — each bounded in time and size, never redirected, never shown
//! with their query (a credentials URI may carry a token in it).

use std::time::Duration;

use reqwest::{Method, Url};

/// The most a metadata or credentials-URI answer may be: they are a few hundred bytes.
const MAX_BODY: usize = 64 * 1024;

/// An HTTP client for one source, with its time limit per request.
pub(crate) struct Http {
    client: Result<reqwest::Client, String>,
    timeout: Duration,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http").field("timeout", &self.timeout).finish_non_exhaustive()
    }
}

/// An answer, read whole.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: String,
}

/// Why a request got no answer.
pub(crate) enum Failure {
    /// Nothing is listening, the name does not resolve, or no connection came up in time: not on an
    /// instance, or the service is down.
    Unreachable(String),
    /// Connected, but no whole answer within the time limit.
    TimedOut,
    /// Anything else (a reset, an answer over the size limit, a client that could not be built).
    Broken(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Unreachable(why) => write!(f, "not reachable ({why})"),
            Failure::TimedOut => f.write_str("no answer in time"),
            Failure::Broken(why) => f.write_str(why),
        }
    }
}

impl Http {
    /// A client whose requests (connecting included) end within `timeout`. `proxies`: whether the
    /// proxy variables (`HTTPS_PROXY`, …) apply — never for a metadata service, which is link-local.
    pub(crate) fn new(timeout: Duration, proxies: bool) -> Http {
        let mut builder = crate::config::without_redirects(reqwest::Client::builder())
            .connect_timeout(timeout)
            .timeout(timeout)
            .user_agent(format!("cloudspec/{}", env!("CARGO_PKG_VERSION")));
        if !proxies {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| format!("cannot build the HTTP client: {e}"));
        Http { client, timeout }
    }

    /// Sends a request with `headers` and reads the answer.
    pub(crate) async fn send(&self, method: Method, url: &str, headers: &[(&str, &str)]) -> Result<Reply, Failure> {
        let client = self.client.as_ref().map_err(|e| Failure::Broken(e.clone()))?;
        let url = Url::parse(url).map_err(|e| Failure::Broken(format!("`{}` is not a URL: {e}", shown(url))))?;
        let mut request = client.request(method, url);
        for (name, value) in headers {
            // A metadata token is a credential: marked sensitive, no HTTP library prints it.
            let mut value = reqwest::header::HeaderValue::from_str(value)
                .map_err(|_| Failure::Broken(format!("the `{name}` header has characters HTTP does not allow")))?;
            value.set_sensitive(true);
            request = request.header(*name, value);
        }
        // reqwest's own timeout covers the whole exchange; this one is the guarantee.
        let exchange = async {
            let mut response = request.send().await.map_err(classify)?;
            let status = response.status().as_u16();
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(classify)? {
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(Failure::Broken(format!("the answer is larger than {} KiB", MAX_BODY / 1024)));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(Reply { status, body: String::from_utf8_lossy(&body).into_owned() })
        };
        match tokio::time::timeout(self.timeout + Duration::from_millis(100), exchange).await {
            Ok(result) => result,
            Err(_) => Err(Failure::TimedOut),
        }
    }
}

fn classify(error: reqwest::Error) -> Failure {
    let error = error.without_url();
    if error.is_connect() {
        // The innermost cause says what happened: refused, unresolvable, timed out.
        let mut cause: &dyn std::error::Error = &error;
        while let Some(inner) = cause.source() {
            cause = inner;
        }
        Failure::Unreachable(cause.to_string())
    } else if error.is_timeout() {
        Failure::TimedOut
    } else {
        Failure::Broken(error.to_string())
    }
}

/// A URL for messages: scheme, host, port and path, never the query or user information.
pub(crate) fn shown(url: &str) -> String {
    match Url::parse(url) {
        Ok(parsed) => {
            let host = parsed.host_str().unwrap_or_default();
            let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
            let query = if parsed.query().is_some() { "?…" } else { "" };
            format!("{}://{host}{port}{}{query}", parsed.scheme(), parsed.path())
        }
        Err(_) => "(not a URL)".into(),
    }
}

/// An endpoint setting as a base URL: `host` alone means `https://host`; no trailing `/`.
pub(crate) fn base_url(endpoint: &str, scheme: &str) -> String {
    let url = if endpoint.contains("://") { endpoint.to_string() } else { format!("{scheme}://{endpoint}") };
    url.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_shown_without_query_or_user() {
        assert_eq!(shown("http://u:p@creds.local:8080/get?token=abc"), "http://creds.local:8080/get?…");
        assert_eq!(shown("http://100.100.100.200/latest/"), "http://100.100.100.200/latest/");
        assert_eq!(shown("::"), "(not a URL)");
        assert_eq!(base_url("sts.internal.tencentcloudapi.com", "https"), "https://sts.internal.tencentcloudapi.com");
        assert_eq!(base_url("http://127.0.0.1:9/", "https"), "http://127.0.0.1:9");
    }

    #[tokio::test]
    async fn a_refused_connection_is_unreachable() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        drop(listener);
        let http = Http::new(Duration::from_secs(1), false);
        let failure = http.send(Method::GET, &format!("http://{address}/"), &[]).await.err().unwrap();
        assert!(matches!(failure, Failure::Unreachable(_)), "{failure}");
    }
}

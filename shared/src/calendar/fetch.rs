//! Fetching a calendar feed without becoming a way into the network it runs in.
//!
//! - https only, to public addresses; the local setting (tests, demos, fuzzing) turns this
//!   around: loopback only, http allowed, so nothing local ever reaches another host;
//! - every address the host resolves to must be public: no private, loopback, link-local
//!   (169.254.169.254 is the metadata service), CGNAT, multicast or unspecified address;
//! - the connection goes to the address that was checked (no DNS rebinding), and redirects are
//!   not followed;
//! - a timeout, a size limit, and conditional requests (ETag / Last-Modified) so an unchanged
//!   feed costs a 304.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use thiserror::Error;

#[derive(Clone, Debug)]
pub struct FeedPolicy {
    /// Local runs and tests: feeds on loopback only (http allowed), no other host at all.
    pub local_only: bool,
    pub timeout: Duration,
    pub max_bytes: usize,
}

impl FeedPolicy {
    pub fn from_env() -> Self {
        Self {
            local_only: std::env::var("FEED_ADDRESSES").is_ok_and(|v| v == "local"),
            timeout: Duration::from_secs(5),
            max_bytes: 2 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum FetchError {
    /// The URL may not be fetched at all (scheme, address): a 400 when it is given.
    #[error("{0}")]
    Refused(String),
    /// This attempt failed (network, status, size); the last good copy stays in use.
    #[error("{0}")]
    Failed(String),
}

pub enum Fetched {
    Modified { body: String, etag: Option<String>, last_modified: Option<String> },
    NotModified,
}

/// Checks what can be checked without the network; used when an agent connects a feed.
pub fn check_url(text: &str, policy: &FeedPolicy) -> Result<reqwest::Url, FetchError> {
    let refuse = |why: &str| Err(FetchError::Refused(why.to_string()));
    if text.len() > 2048 {
        return refuse("the address is too long");
    }
    let url = reqwest::Url::parse(text).map_err(|_| FetchError::Refused("not a URL".into()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return refuse("addresses with credentials are not accepted; use the calendar's secret address");
    }
    let host = url.host_str().ok_or_else(|| FetchError::Refused("the address has no host".into()))?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback_host =
        host == "localhost" || host.ends_with(".localhost") || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if policy.local_only {
        if !loopback_host || !matches!(url.scheme(), "http" | "https") {
            return refuse("this deployment reads feeds from loopback only");
        }
        return Ok(url);
    }
    if url.scheme() != "https" {
        return refuse("calendar feeds must be https");
    }
    if loopback_host {
        return refuse("calendar feeds must be on a public address");
    }
    if let Ok(ip) = bare.parse::<IpAddr>() {
        allowed(ip, policy)?;
    }
    Ok(url)
}

/// Whether an address may be fetched from.
fn allowed(ip: IpAddr, policy: &FeedPolicy) -> Result<(), FetchError> {
    if policy.local_only {
        return if ip.is_loopback() { Ok(()) } else { Err(FetchError::Refused(format!("{ip} is not loopback"))) };
    }
    let private = match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || (a == 100 && (64..128).contains(&b)) // CGNAT
                || a == 0
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            if let Some(v4) = v6.to_ipv4_mapped() {
                return allowed(IpAddr::V4(v4), policy);
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link-local
        }
    };
    if private {
        Err(FetchError::Refused(format!("{ip} is not a public address")))
    } else {
        Ok(())
    }
}

pub async fn fetch(
    text: &str,
    etag: Option<&str>,
    last_modified: Option<&str>,
    policy: &FeedPolicy,
) -> Result<Fetched, FetchError> {
    let url = check_url(text, policy)?;
    let host = url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    let addresses: Vec<SocketAddr> =
        tokio::time::timeout(policy.timeout, tokio::net::lookup_host((host.as_str(), port)))
            .await
            .map_err(|_| FetchError::Failed("name lookup timed out".into()))?
            .map_err(|e| FetchError::Failed(format!("name lookup failed: {e}")))?
            .collect();
    let first = *addresses.first().ok_or_else(|| FetchError::Failed("the name has no address".into()))?;
    for address in &addresses {
        allowed(address.ip(), policy)?;
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(policy.timeout)
        .resolve(&host, first)
        .user_agent("meeting-scheduler-calendar-reader")
        .build()
        .map_err(|e| FetchError::Failed(e.to_string()))?;
    let mut request = client.get(url);
    if let Some(etag) = etag {
        request = request.header("if-none-match", etag);
    }
    if let Some(since) = last_modified {
        request = request.header("if-modified-since", since);
    }
    let mut response = request.send().await.map_err(|e| FetchError::Failed(format!("request failed: {e}")))?;
    if response.status() == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(Fetched::NotModified);
    }
    if !response.status().is_success() {
        return Err(FetchError::Failed(format!("the feed answered {}", response.status())));
    }
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (etag, last_modified) = (header("etag"), header("last-modified"));
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| FetchError::Failed(format!("reading failed: {e}")))? {
        body.extend_from_slice(&chunk);
        if body.len() > policy.max_bytes {
            return Err(FetchError::Failed(format!("the feed is larger than {} bytes", policy.max_bytes)));
        }
    }
    Ok(Fetched::Modified { body: String::from_utf8_lossy(&body).into_owned(), etag, last_modified })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(local_only: bool) -> FeedPolicy {
        FeedPolicy { local_only, timeout: Duration::from_secs(1), max_bytes: 1024 }
    }

    #[test]
    fn only_public_https_addresses_are_accepted() {
        let strict = policy(false);
        assert!(check_url("https://calendar.google.com/calendar/ical/x/private-abc/basic.ics", &strict).is_ok());
        for refused in [
            "http://calendar.example.com/x.ics",
            "https://127.0.0.1/x.ics",
            "https://169.254.169.254/latest/meta-data/",
            "https://10.0.0.5/x.ics",
            "https://192.168.1.1/x.ics",
            "https://[::1]/x.ics",
            "https://[fd00::1]/x.ics",
            "https://[::ffff:127.0.0.1]/x.ics",
            "https://100.64.0.1/x.ics",
            "https://user:pass@example.com/x.ics",
            "ftp://example.com/x.ics",
            "not a url",
        ] {
            assert!(matches!(check_url(refused, &strict), Err(FetchError::Refused(_))), "{refused}");
        }
        let local = policy(true);
        assert!(check_url("http://127.0.0.1:8080/x.ics", &local).is_ok(), "the local setting allows loopback");
        assert!(check_url("http://169.254.169.254/latest/", &local).is_err(), "and nothing else");
        assert!(check_url("https://calendar.google.com/x.ics", &local).is_err(), "not even public hosts");
    }
}

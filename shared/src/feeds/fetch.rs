//! Fetching a calendar feed without becoming a way into the network it runs in.
//!
//! - https only, to public addresses; the local setting (tests, demos, fuzzing) turns this
//!   around: loopback only, http allowed, so nothing local ever reaches another host;
//! - every address a name resolves to must be public unicast: the resolver itself refuses the
//!   rest (private, loopback, link-local with the metadata service, CGNAT, benchmarking,
//!   reserved, multicast; IPv6 outside global unicast, NAT64, 6to4, Teredo, documentation), and
//!   the connection goes to the addresses it checked, so DNS rebinding gains nothing;
//! - no proxy from the environment, no redirects, one overall timeout and a size limit;
//! - conditional requests (ETag / Last-Modified), so an unchanged feed costs a 304.
//!
//! The HTTP client is built once, on the first fetch, not at start-up.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use thiserror::Error;

#[derive(Clone, Debug)]
pub struct FeedPolicy {
    /// Local runs and tests: feeds on loopback only (http allowed), no other host at all.
    pub local_only: bool,
    /// For the whole fetch: connecting, waiting and reading the body.
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

/// What the last copy was, so the host can answer "not modified".
#[derive(Clone, Copy, Debug, Default)]
pub struct Validators<'a> {
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
}

/// Checks what can be checked without the network; used when an agent connects a feed.
pub fn check_url(text: &str, policy: &FeedPolicy) -> Result<reqwest::Url, FetchError> {
    let refuse = |why: &str| Err(FetchError::Refused(why.to_string()));
    if text.len() > 2048 {
        return refuse("the address is too long");
    }
    let url = reqwest::Url::parse(text).map_err(|_| FetchError::Refused("not a URL".into()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return refuse("the address must not carry a user name or password");
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
        return refuse("the address must be https");
    }
    if loopback_host {
        return refuse("the address must be a public one");
    }
    // A literal address is never resolved, so it is checked here.
    if let Ok(ip) = bare.parse::<IpAddr>() {
        allowed(ip, policy)?;
    }
    Ok(url)
}

/// Whether an address may be fetched from.
pub fn allowed(ip: IpAddr, policy: &FeedPolicy) -> Result<(), FetchError> {
    let ok = if policy.local_only { ip.is_loopback() } else { public(ip) };
    if ok {
        Ok(())
    } else if policy.local_only {
        Err(FetchError::Refused(format!("{ip} is not loopback")))
    } else {
        Err(FetchError::Refused(format!("{ip} is not a public address")))
    }
}

fn public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => public_v4(v4),
            None => public_v6(v6),
        },
    }
}

fn public_v4(v4: Ipv4Addr) -> bool {
    let [a, b, c, _] = v4.octets();
    let special = v4.is_private()
        || v4.is_loopback()
        || v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_broadcast()
        || v4.is_multicast()
        || v4.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240; // reserved, and the broadcast address
    !special
}

/// Only global unicast (2000::/3), minus the special blocks inside it. Everything outside it
/// (IPv4-compatible ::/96, NAT64 64:ff9b::/96, unique local, link-local, multicast) is refused.
fn public_v6(v6: Ipv6Addr) -> bool {
    let s = v6.segments();
    let global_unicast = (s[0] & 0xe000) == 0x2000;
    // 2001::/23 is IETF special purpose (Teredo, benchmarking, ORCHID); 2001:db8::/32 documentation.
    let special = (s[0] == 0x2001 && (s[1] < 0x0200 || s[1] == 0x0db8))
        || s[0] == 0x2002 // 6to4, which embeds an IPv4 address
        || (s[0] == 0x3fff && s[1] < 0x1000); // documentation (RFC 9637)
    global_unicast && !special
}

/// Resolves names the way reqwest would, then refuses the whole name if any of its addresses
/// may not be fetched. The connection can only go to what this returned.
struct CheckingResolver {
    policy: FeedPolicy,
}

impl reqwest::dns::Resolve for CheckingResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = self.policy.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.take(16).collect();
            if found.is_empty() {
                return Err("the name has no address".into());
            }
            for address in &found {
                allowed(address.ip(), &policy).map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
            }
            Ok(Box::new(found.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Fetches feeds under one policy with one client, built on first use.
pub struct Fetcher {
    policy: FeedPolicy,
    client: OnceLock<Result<reqwest::Client, String>>,
}

impl Fetcher {
    pub fn new(policy: FeedPolicy) -> Self {
        Self { policy, client: OnceLock::new() }
    }

    pub fn policy(&self) -> &FeedPolicy {
        &self.policy
    }

    fn client(&self) -> Result<&reqwest::Client, FetchError> {
        self.client
            .get_or_init(|| {
                reqwest::Client::builder()
                    .no_proxy()
                    .redirect(reqwest::redirect::Policy::none())
                    // The whole fetch (names, connection, headers, body) is bounded in `fetch`.
                    .connect_timeout(self.policy.timeout.min(Duration::from_secs(3)))
                    .dns_resolver(Arc::new(CheckingResolver { policy: self.policy.clone() }))
                    .user_agent("meeting-scheduler-calendar-reader")
                    .build()
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| FetchError::Failed(format!("the HTTP client could not start: {e}")))
    }

    /// Posts a webhook (W3): the same guards as a feed's fetch (addresses, no redirects, one
    /// overall time limit), a JSON body, the answer's status; what the receiver says beyond its
    /// first kilobytes is not read.
    pub async fn post(&self, text: &str, headers: &[(&str, &str)], body: &str) -> Result<u16, FetchError> {
        let url = check_url(text, &self.policy)?;
        let attempt = async {
            let mut request = self.client()?.post(url).header("content-type", "application/json");
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            let mut response =
                request.body(body.to_string()).send().await.map_err(|e| FetchError::Failed(describe(&e)))?;
            let status = response.status().as_u16();
            let mut read = 0usize;
            while let Ok(Some(chunk)) = response.chunk().await {
                read += chunk.len();
                if read > 16 * 1024 {
                    break;
                }
            }
            Ok(status)
        };
        tokio::time::timeout(self.policy.timeout, attempt)
            .await
            .unwrap_or_else(|_| Err(FetchError::Failed("the endpoint did not answer in time".into())))
    }

    pub async fn fetch(&self, text: &str, validators: Validators<'_>) -> Result<Fetched, FetchError> {
        let url = check_url(text, &self.policy)?;
        let attempt = self.attempt(url, validators);
        tokio::time::timeout(self.policy.timeout, attempt)
            .await
            .unwrap_or_else(|_| Err(FetchError::Failed("the feed did not answer in time".into())))
    }

    async fn attempt(&self, url: reqwest::Url, validators: Validators<'_>) -> Result<Fetched, FetchError> {
        let mut request = self.client()?.get(url);
        if let Some(etag) = validators.etag {
            request = request.header("if-none-match", etag);
        }
        if let Some(since) = validators.last_modified {
            request = request.header("if-modified-since", since);
        }
        let mut response = request.send().await.map_err(|e| FetchError::Failed(describe(&e)))?;
        if response.status() == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !response.status().is_success() {
            return Err(FetchError::Failed(format!("the feed answered {}", response.status())));
        }
        let header = |name: &str| {
            response.headers().get(name).and_then(|v| v.to_str().ok()).filter(|v| v.len() <= 256).map(str::to_string)
        };
        let (etag, last_modified) = (header("etag"), header("last-modified"));
        if response.content_length().is_some_and(|n| n > self.policy.max_bytes as u64) {
            return Err(too_large(self.policy.max_bytes));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| FetchError::Failed(describe(&e)))? {
            if body.len() + chunk.len() > self.policy.max_bytes {
                return Err(too_large(self.policy.max_bytes));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched::Modified { body: String::from_utf8_lossy(&body).into_owned(), etag, last_modified })
    }
}

fn too_large(max: usize) -> FetchError {
    FetchError::Failed(format!("the feed is larger than {max} bytes"))
}

/// The innermost cause of a reqwest error (the refused address, the timeout), which is what an
/// agent needs to read.
fn describe(err: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    format!("the feed could not be fetched: {cause}")
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
        for ok in [
            "https://calendar.google.com/calendar/ical/x/private-abc/basic.ics",
            "https://8.8.8.8/x.ics",
            "https://[2606:4700::1111]/x.ics",
        ] {
            assert!(check_url(ok, &strict).is_ok(), "{ok}");
        }
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
            "https://198.18.0.1/x.ics",
            "https://198.19.255.255/x.ics",
            "https://240.0.0.1/x.ics",
            "https://255.255.255.255/x.ics",
            "https://192.0.0.8/x.ics",
            "https://[64:ff9b::a9fe:a9fe]/x.ics",
            "https://[2002:a9fe:a9fe::1]/x.ics",
            "https://[::a9fe:a9fe]/x.ics",
            "https://[2001::1]/x.ics",
            "https://[2001:db8::1]/x.ics",
            "https://[fe80::1]/x.ics",
            "https://[ff02::1]/x.ics",
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

    #[tokio::test]
    async fn a_name_that_resolves_to_a_private_address_is_refused_by_the_resolver() {
        // `localhost` resolves to loopback: refused under the public policy, wherever it is named.
        let resolver = CheckingResolver { policy: policy(false) };
        let resolved = reqwest::dns::Resolve::resolve(&resolver, "localhost".parse().unwrap()).await;
        assert!(resolved.is_err());
        let local = CheckingResolver { policy: policy(true) };
        let resolved = reqwest::dns::Resolve::resolve(&local, "localhost".parse().unwrap()).await;
        assert!(resolved.is_ok(), "and allowed under the local one");
    }

    #[tokio::test]
    async fn proxies_from_the_environment_are_never_used() {
        // A proxy variable pointing at a port nobody listens on would make the fetch fail with a
        // proxy error; the fetch must go straight to the (loopback) feed instead.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            use std::io::{Read, Write};
            if let Ok((mut stream, _)) = listener.accept() {
                let mut buf = [0u8; 1024];
                let _ = stream.read(&mut buf);
                let body = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        std::env::set_var("HTTP_PROXY", "http://127.0.0.1:9");
        std::env::set_var("http_proxy", "http://127.0.0.1:9");
        let fetcher = Fetcher::new(policy(true));
        let got = fetcher.fetch(&format!("http://127.0.0.1:{port}/x.ics"), Validators::default()).await;
        assert!(matches!(got, Ok(Fetched::Modified { .. })), "{:?}", got.err());
    }
}

//! One parsed request as handlers see it: path parameters, query, headers, body.

use serde::de::DeserializeOwned;

use super::problem::{Problem, ProblemKind};
use super::routes::Route;

/// Larger bodies are refused with 413 before anything is parsed.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The network address a request came from, as the edge saw it (API Gateway's source IP, the
/// local server's peer), carried as a request extension. Never a header: a client could say
/// anything in one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub String);

pub struct Ctx {
    pub route: &'static Route,
    pub params: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    headers: http::HeaderMap,
    body: Vec<u8>,
    client: String,
}

impl Ctx {
    pub fn new(
        route: &'static Route,
        params: Vec<(&'static str, String)>,
        query: Option<&str>,
        headers: http::HeaderMap,
        body: Vec<u8>,
        client: Option<&ClientAddress>,
    ) -> Self {
        let query = form_urlencoded::parse(query.unwrap_or("").as_bytes()).into_owned().collect();
        // A request that came by no known edge counts as one unknown client.
        let client = crate::store::keys::client(client.map_or("unknown", |c| c.0.as_str()));
        Self { route, params, query, headers, body, client }
    }

    /// The client the request came from, as per-client bounds count it (a digest: G8, G9).
    pub fn client(&self) -> &str {
        &self.client
    }

    /// A path parameter named in the route's template.
    pub fn param(&self, name: &str) -> &str {
        self.params.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// A path parameter that must be a record id (20 hex digits); anything else names nothing,
    /// so it is "not found" before any read.
    pub fn id(&self, name: &str, what: &str) -> Result<String, Problem> {
        let value = self.param(name);
        if value.len() == 20 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(value.to_ascii_lowercase())
        } else {
            Err(Problem::not_found(what))
        }
    }

    /// A path parameter that must be a public id (its tenant and its record): both, or "not found"
    /// before any read.
    pub fn public_id(&self, name: &str, what: &str) -> Result<(String, String), Problem> {
        crate::secrets::split_public_id(self.param(name)).ok_or_else(|| Problem::not_found(what))
    }

    /// The `{slug}` path parameter, if it could be a slug at all.
    pub fn slug(&self) -> Result<&str, Problem> {
        let slug = self.param("slug");
        crate::domain::validation::slug("slug", slug).map(|_| slug).map_err(|_| Problem::not_found("booking page"))
    }

    /// The first value of a query parameter; an empty value counts as absent.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, v)| n == name && !v.is_empty()).map(|(_, v)| v.as_str())
    }

    /// `?limit=`: how many items a page holds, `default` when absent, at most `max`.
    pub fn limit(&self, default: usize, max: usize) -> Result<usize, Problem> {
        match self.query("limit") {
            None => Ok(default),
            Some(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|l| (1..=max).contains(l))
                .ok_or_else(|| Problem::invalid("limit", format!("a whole number from 1 to {max}"))),
        }
    }

    /// A header as sent, for callers that must tell "absent" from "not text".
    pub fn headers_raw(&self, name: &str) -> Option<&http::HeaderValue> {
        self.headers.get(name)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A cookie's value, by name (the console's session, AC1); the first of that name.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .get_all("cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|line| line.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, value)| value.trim())
    }

    pub fn method(&self) -> &'static str {
        self.route.method
    }

    /// The bearer secret from `Authorization: Bearer …`.
    pub fn bearer(&self) -> Option<&str> {
        let value = self.header("authorization")?;
        let (scheme, token) = value.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    }

    /// The `token` query parameter that links carry (manage, conversation, calendar feed); which
    /// kinds of token a route accepts there is for `auth` to decide.
    pub fn link_token(&self) -> Option<&str> {
        self.query("token")
    }

    /// The body as `T`, refusing other media types, malformed JSON and wrong shapes with a
    /// problem that names the offending field. An empty body is read as `{}`: where every field
    /// is optional that is the whole request, and elsewhere the missing field is named.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Problem> {
        let media = self.header("content-type").unwrap_or("");
        let media = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        let json = media == "application/json" || (media.starts_with("application/") && media.ends_with("+json"));
        if self.body.is_empty() && (json || media.is_empty()) {
            return shaped(serde_json::Value::Object(Default::default()));
        }
        if !json {
            return Err(Problem::new(
                415,
                ProblemKind::UnsupportedMediaType,
                "The body must be JSON",
                "send the body as application/json",
            ));
        }
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
            let path = err.path().to_string();
            let detail = err.inner().to_string();
            if err.inner().is_data() && path != "." {
                Problem::invalid(&path, detail)
            } else {
                Problem::malformed(detail)
            }
        })?;
        de.end().map_err(|err| Problem::malformed(err.to_string()))?;
        Ok(value)
    }
}

/// For a field that may be sent as `null` (`Some(None)`: take it away) apart from left out
/// (`None`: keep it), with `#[serde(default, deserialize_with = "sent")]`.
pub fn sent<'de, T: serde::Deserialize<'de>, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

/// A JSON value (a merged document) as `T`, refused as a body of that shape would be.
pub fn shaped<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, Problem> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        match path.as_str() {
            "." => Problem::malformed(err.inner().to_string()),
            _ => Problem::invalid(&path, err.inner().to_string()),
        }
    })
}

//! Test harness: each test gets its own table in the DynamoDB Local that `infra/test.sh` started
//! (named by `AWS_ENDPOINT_URL_DYNAMODB`), a clock it controls, and helpers that call the real
//! router the way API Gateway or the local server would.

pub mod client;
pub mod dynamodb;
pub mod feed_server;
pub mod moto;
pub mod receiver;
pub mod walk;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use http::HeaderMap;
use serde_json::{json, Value};
use shared::app::Notifier;
use shared::app::{Config, Deps};
use shared::clock::ManualClock;
use shared::events::{EventBridge, EventSink};
use shared::feeds::fetch::{FeedPolicy, Fetcher};
use shared::http::router;
use shared::mail::{Links, Mailer, Ses};
use shared::secrets;
use shared::store::{table, Store};

pub struct TestApp {
    pub deps: Deps,
    pub clock: Arc<ManualClock>,
    pub operator_key: String,
    /// The AWS configuration the tests' own clients use (same endpoints as the app's).
    pub aws: aws_config::SdkConfig,
}

/// Pass `(CLIENT_ADDRESS, "198.51.100.7")` in `call_with`'s headers to make the request come
/// from that address, as API Gateway would report it (it is not sent as a header); without it, a
/// request comes from a client address of its own.
pub const CLIENT_ADDRESS: &str = "x-test-client-address";

/// The topic the tests' mail events come by (as `tests/fixtures/sns/ses-bounce.json` says).
pub const MAIL_EVENTS_TOPIC: &str = "arn:aws:sns:eu-south-1:123456789012:meeting-scheduler-MailEventsTopic";

/// The verified SES identity every test app sends from.
pub const SENDER: &str = "Meeting Scheduler <noreply@scheduler.test>";

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub headers: HeaderMap,
}

/// A tenant with one PBX and one agent, as an admin would set them up.
pub struct Fixture {
    pub tenant_id: String,
    pub admin_key: String,
    pub pbx_id: String,
    pub agent_id: String,
    pub agent_token: String,
    pub slug: String,
}

/// An address no other test uses (moto keeps every message of the run, and codes are read back
/// by address).
pub fn unique_address(name: &str) -> String {
    format!("{name}-{}@example.com", secrets::new_id())
}

pub fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("RFC 3339").with_timezone(&Utc)
}

impl TestApp {
    /// A fresh table and a clock standing at `now`.
    pub async fn at(now: &str) -> Self {
        assert!(
            std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_some(),
            "integration tests need DynamoDB Local: run ./infra/test.sh (it starts one and sets AWS_ENDPOINT_URL_DYNAMODB)"
        );
        let aws = aws_config::load_from_env().await;
        Self::on(shared::store::client(&aws), aws, now).await
    }

    /// The same, against the DynamoDB at `endpoint` (a DynamoDB Local of the test's own).
    pub async fn with_dynamodb(endpoint: &str, now: &str) -> Self {
        let aws = aws_config::load_from_env().await;
        let client = aws_sdk_dynamodb::Client::from_conf(
            shared::store::client_config(&aws, &shared::settings::Timeouts::default()).endpoint_url(endpoint).build(),
        );
        Self::on(client, aws, now).await
    }

    async fn on(client: aws_sdk_dynamodb::Client, aws: aws_config::SdkConfig, now: &str) -> Self {
        let table_name = format!("test-{}", secrets::new_id());
        let store = Store::new(client, table_name.clone());
        table::ensure_table(store.client(), &table_name).await.expect("create the test table");
        let clock = Arc::new(ManualClock::at(utc(now)));
        let operator_key = secrets::new_secret();
        let feeds = Arc::new(Fetcher::new(FeedPolicy { local_only: true, ..FeedPolicy::from_env() }));
        let config = Config {
            operator_key_hash: Some(secrets::hash(&operator_key)),
            timeouts: Default::default(),
            mail_events_topic: Some(MAIL_EVENTS_TOPIC.into()),
        };
        let notifier = Self::notifier(&aws).await;
        let deps = Deps { store, clock: clock.clone(), config, notifier, feeds };
        Self { deps, clock, operator_key, aws }
    }

    /// SES and EventBridge at the endpoints the environment names (moto in `infra/test.sh`); the
    /// sender is verified first, as SES requires.
    async fn notifier(aws: &aws_config::SdkConfig) -> Notifier {
        let ses = aws_sdk_ses::Client::new(aws);
        if std::env::var_os("AWS_ENDPOINT_URL_SES").is_some() {
            ses.verify_email_identity()
                .email_address("noreply@scheduler.test")
                .send()
                .await
                .expect("verify the sender");
        }
        Notifier {
            mailer: Mailer::Ses(Ses::new(aws_sdk_ses::config::Builder::from(aws).build(), None)),
            events: EventSink::EventBridge(EventBridge::new(
                aws_sdk_eventbridge::config::Builder::from(aws).build(),
                "default",
            )),
            sender: SENDER.into(),
            links: Links::fixed("https://book.scheduler.test"),
            signer: shared::signing::Signer::random(),
        }
    }

    /// SES unreachable: connections to it are refused, as when the service or network is down.
    pub fn ses_down(&mut self) {
        let config = aws_sdk_ses::config::Builder::from(&self.aws)
            .endpoint_url("http://127.0.0.1:9")
            .retry_config(aws_config::retry::RetryConfig::disabled())
            .build();
        self.deps.notifier.mailer = Mailer::Ses(Ses::new(config, None));
    }

    /// SES at `endpoint` (a server of the test's own, e.g. one that never answers).
    pub fn ses_at(&mut self, endpoint: &str) {
        let config = aws_sdk_ses::config::Builder::from(&self.aws)
            .endpoint_url(endpoint)
            .retry_config(aws_config::retry::RetryConfig::disabled())
            .build();
        self.deps.notifier.mailer = Mailer::Ses(Ses::new(config, None));
    }

    pub fn ses_up(&mut self) {
        self.deps.notifier.mailer = Mailer::Ses(Ses::new(aws_sdk_ses::config::Builder::from(&self.aws).build(), None));
    }

    /// Publishes this app's events on the capture's bus.
    pub fn publish_to(&mut self, capture: &moto::EventCapture) {
        self.deps.notifier.events = EventSink::EventBridge(EventBridge::new(
            aws_sdk_eventbridge::config::Builder::from(&self.aws).build(),
            capture.bus.clone(),
        ));
    }

    pub async fn call(&self, method: &str, path: &str, bearer: Option<&str>, body: Option<Value>) -> Reply {
        self.call_with(method, path, bearer, body, &[]).await
    }

    pub async fn call_with(
        &self,
        method: &str,
        path: &str,
        bearer: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = http::Request::builder().method(method).uri(path);
        // Each request comes from a client of its own (as many guests on the internet do),
        // unless the test says which (`CLIENT_ADDRESS`).
        if !headers.iter().any(|(name, _)| *name == CLIENT_ADDRESS) {
            request = request.extension(shared::http::request::ClientAddress(format!("client-{}", secrets::new_id())));
        }
        if let Some(token) = bearer {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            // The client's address comes from the edge, not a header: the harness plays the edge.
            if *name == CLIENT_ADDRESS {
                request = request.extension(shared::http::request::ClientAddress(value.to_string()));
                continue;
            }
            request = request.header(*name, *value);
        }
        let body = match body {
            Some(value) => {
                request = request.header("content-type", "application/json");
                lambda_http::Body::Text(value.to_string())
            }
            None => lambda_http::Body::Empty,
        };
        let response = router::handle(&self.deps, request.body(body).expect("request"), None).await;
        let (parts, body) = response.into_parts();
        let text = match body {
            lambda_http::Body::Text(text) => text,
            _ => String::new(),
        };
        let json = parts.headers.get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|m| m.contains("json"));
        let body = match (text.is_empty(), json) {
            (true, _) => Value::Null,
            (false, true) => serde_json::from_str(&text).expect("JSON body"),
            (false, false) => Value::String(text),
        };
        if parts.status.as_u16() >= 400 {
            let media = parts.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
            assert_eq!(media, "application/problem+json", "errors are problem+json: {body}");
            assert!(body["type"].as_str().is_some_and(|t| t.starts_with("/problems/")), "stable type: {body}");
        }
        Reply { status: parts.status.as_u16(), body, headers: parts.headers }
    }

    /// Creates a tenant, a PBX and an agent in `zone` through the API, with guest verification
    /// off: the tests of the booking rules themselves book without a code in the way.
    pub async fn fixture(&self, zone: &str) -> Fixture {
        self.fixture_verifying(zone, "off").await
    }

    /// The same, with guest verification as given (`always`, `returning`, `off`; G1).
    pub async fn fixture_verifying(&self, zone: &str, verification: &str) -> Fixture {
        let body = json!({ "name": "Acme", "guest_verification": verification });
        let tenant = self.call("POST", "/v1/tenants", Some(&self.operator_key), Some(body)).await;
        assert_eq!(tenant.status, 201, "{:?}", tenant.body);
        let admin_key = tenant.body["admin_key"].as_str().unwrap().to_string();
        let pbx = self.call("POST", "/v1/pbxs", Some(&admin_key), Some(json!({ "name": "HQ" }))).await;
        assert_eq!(pbx.status, 201, "{:?}", pbx.body);
        let pbx_id = pbx.body["id"].as_str().unwrap().to_string();
        let agent = self
            .call(
                "POST",
                "/v1/agents",
                Some(&admin_key),
                Some(
                    json!({ "name": "Ada Lovelace", "email": "ada@acme.example", "pbx_id": pbx_id, "time_zone": zone }),
                ),
            )
            .await;
        assert_eq!(agent.status, 201, "{:?}", agent.body);
        Fixture {
            tenant_id: tenant.body["tenant"]["id"].as_str().unwrap().to_string(),
            admin_key,
            pbx_id,
            agent_id: agent.body["agent"]["id"].as_str().unwrap().to_string(),
            agent_token: agent.body["token"].as_str().unwrap().to_string(),
            slug: agent.body["agent"]["slug"].as_str().unwrap().to_string(),
        }
    }

    /// G7: a meeting's change email goes out once its people's last email about it is two
    /// minutes old. Moves the clock on by that much and delivers whatever is due.
    pub async fn send_change_emails(&self) -> shared::app::deliver::Report {
        self.clock.advance(chrono::Duration::minutes(2));
        self.deps.delivery().run_due().await.expect("the delivery runs")
    }

    /// How many meeting records the table holds for a tenant, read straight from DynamoDB.
    pub async fn meetings_in_table(&self, tenant_id: &str) -> usize {
        let prefix = format!("TENANT#{tenant_id}#MEETING#");
        self.table_items().await.iter().filter(|item| matches!(item.get("pk"), Some(aws_sdk_dynamodb::types::AttributeValue::S(pk)) if pk.starts_with(&prefix))).count()
    }

    /// Every item of the test's table, as DynamoDB holds it (a scan, read consistently).
    pub async fn table_items(&self) -> Vec<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let out = self
                .deps
                .store
                .client()
                .scan()
                .table_name(self.deps.store.table())
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .send()
                .await
                .expect("scan");
            items.extend(out.items.unwrap_or_default());
            start = out.last_evaluated_key;
            if start.is_none() {
                return items;
            }
        }
    }
}

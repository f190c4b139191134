//! What every handler needs, built once per Lambda instance (cold start) or per local server.

use std::sync::Arc;

use std::path::PathBuf;

use super::deliver::{Delivery, Notifier};
use crate::clock::Clock;
use crate::events::{EventBridge, EventSink};
use crate::feeds::busy::Reader;
use crate::feeds::fetch::{FeedPolicy, Fetcher};
use crate::mail::{Links, Mailer, Ses};
use crate::settings::Timeouts;
use crate::store::Store;

#[derive(Clone)]
pub struct Config {
    /// SHA-256 (hex) of the operator key; the key itself is never configured anywhere.
    /// `None` disables the operator endpoints.
    pub operator_key_hash: Option<String>,
    /// How long the store and a whole request may take (see `settings`).
    pub timeouts: Timeouts,
    /// The SNS topic SES's bounce and complaint events come by (`MAIL_EVENTS_TOPIC_ARN`); a
    /// message from any other is ignored.
    pub mail_events_topic: Option<String>,
}

impl Config {
    pub fn from_env() -> Self {
        let operator_key_hash =
            std::env::var("OPERATOR_KEY_SHA256").ok().map(|h| h.trim().to_lowercase()).filter(|h| !h.is_empty());
        let mail_events_topic = std::env::var("MAIL_EVENTS_TOPIC_ARN").ok().filter(|t| !t.trim().is_empty());
        Self { operator_key_hash, timeouts: Timeouts::from_env(), mail_events_topic }
    }
}

#[derive(Clone)]
pub struct Deps {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub config: Config,
    pub notifier: Notifier,
    /// Fetches connected calendar feeds (`FEED_ADDRESSES=local` for local runs: loopback only).
    pub feeds: Arc<Fetcher>,
}

impl Deps {
    /// Reads `TABLE_NAME`, the notification settings and the standard AWS variables. Only
    /// configuration happens here: no request is made to AWS until a handler needs one, to keep
    /// cold starts short.
    ///
    /// - `SENDER_EMAIL`, `SENDER_NAME`: the `From:` of every email (the address an SES-verified
    ///   identity, the name what mail clients show);
    /// - `SES_CONFIGURATION_SET`: the configuration set whose bounce and complaint events come back;
    /// - `PUBLIC_BASE_URL`: where links in emails point, when not learnt from requests (see
    ///   `mail::Links`).
    /// - `EVENT_BUS_NAME`: the EventBridge bus for domain events (`default` if unset).
    /// - `MAIL_OUTBOX_DIR`: if set, emails become `.eml` files and events lines of
    ///   `events.jsonl` in that folder instead of going to SES and EventBridge (the local server).
    pub async fn from_env(clock: Arc<dyn Clock>) -> Result<Self, String> {
        let table = std::env::var("TABLE_NAME").map_err(|_| "TABLE_NAME must name the DynamoDB table".to_string())?;
        let aws = crate::aws::sdk_config().await;
        let config = Config::from_env();
        let store = Store::lazy(crate::store::client_config(&aws, &config.timeouts).build(), table);
        let (mailer, events) = match std::env::var("MAIL_OUTBOX_DIR") {
            Ok(dir) => (Mailer::Folder(PathBuf::from(&dir)), EventSink::File(PathBuf::from(dir).join("events.jsonl"))),
            Err(_) => (
                Mailer::Ses(Ses::new(
                    // A request that delivers inline must not hang on SES: the outbox retries later.
                    aws_sdk_ses::config::Builder::from(&aws)
                        .timeout_config(
                            aws_config::timeout::TimeoutConfig::builder()
                                .operation_timeout(std::time::Duration::from_secs(5))
                                .build(),
                        )
                        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(2))
                        .build(),
                    std::env::var("SES_CONFIGURATION_SET").ok().filter(|s| !s.is_empty()),
                )),
                EventSink::EventBridge(EventBridge::new(
                    aws_sdk_eventbridge::config::Builder::from(&aws)
                        .timeout_config(
                            aws_config::timeout::TimeoutConfig::builder()
                                .operation_timeout(std::time::Duration::from_secs(3))
                                .build(),
                        )
                        .build(),
                    std::env::var("EVENT_BUS_NAME").unwrap_or_else(|_| "default".into()),
                )),
            ),
        };
        let signer = crate::signing::Signer::from_env(&aws);
        let notifier = Notifier { mailer, events, sender: sender_from_env(), links: Links::from_env(), signer };
        let feeds = Arc::new(Fetcher::new(FeedPolicy::from_env()));
        Ok(Self { store, clock, config, notifier, feeds })
    }

    /// Busy time from connected calendars.
    pub fn calendars(&self) -> Reader {
        Reader { store: self.store.clone(), fetcher: self.feeds.clone(), limits: feed_reader::Limits::default() }
    }

    pub fn delivery(&self) -> Delivery<'_> {
        Delivery { store: &self.store, notifier: &self.notifier, clock: self.clock.as_ref(), fetcher: &self.feeds }
    }
}

/// `From:` as `SENDER_NAME <SENDER_EMAIL>`; an address alone when no name is set.
fn sender_from_env() -> String {
    let address = std::env::var("SENDER_EMAIL").unwrap_or_else(|_| "noreply@example.com".into());
    match std::env::var("SENDER_NAME") {
        Ok(name) if !name.trim().is_empty() && !address.contains('<') => format!("{} <{address}>", name.trim()),
        _ => address,
    }
}

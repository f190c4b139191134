//! Domain events for integrations and billing: EventBridge in AWS and in the tests (moto), a
//! JSON-lines file beside the local outbox on the local server.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use thiserror::Error;
use tokio::io::AsyncWriteExt;

use crate::domain::notification::DomainEvent;

/// The `source` every event carries; rules match on it.
pub const SOURCE: &str = "meeting-scheduler";

#[derive(Debug, Error)]
#[error("could not publish the event: {0}")]
pub struct PublishError(pub String);

#[derive(Clone)]
pub enum EventSink {
    EventBridge(EventBridge),
    File(PathBuf),
}

/// An EventBridge bus, its client built on first use (a function that publishes nothing never
/// builds it).
#[derive(Clone)]
pub struct EventBridge {
    config: Arc<aws_sdk_eventbridge::Config>,
    client: Arc<OnceLock<aws_sdk_eventbridge::Client>>,
    pub bus: String,
}

impl EventBridge {
    pub fn new(config: aws_sdk_eventbridge::Config, bus: impl Into<String>) -> Self {
        EventBridge { config: Arc::new(config), client: Arc::default(), bus: bus.into() }
    }

    fn client(&self) -> &aws_sdk_eventbridge::Client {
        self.client.get_or_init(|| aws_sdk_eventbridge::Client::from_conf((*self.config).clone()))
    }
}

impl EventSink {
    pub async fn publish(&self, event: &DomainEvent) -> Result<(), PublishError> {
        match self {
            EventSink::EventBridge(target) => {
                let client = target.client();
                let entry = PutEventsRequestEntry::builder()
                    .event_bus_name(&target.bus)
                    .source(SOURCE)
                    .detail_type(event.detail_type.as_str())
                    .detail(event.detail.to_string())
                    .build();
                let out =
                    client.put_events().entries(entry).send().await.map_err(|e| {
                        PublishError(format!("{}", aws_sdk_eventbridge::error::DisplayErrorContext(&e)))
                    })?;
                if out.failed_entry_count() > 0 {
                    let reason = out.entries().first().and_then(|e| e.error_message()).unwrap_or("rejected");
                    return Err(PublishError(reason.to_string()));
                }
                Ok(())
            }
            EventSink::File(path) => {
                if let Some(dir) = path.parent() {
                    tokio::fs::create_dir_all(dir).await.map_err(|e| PublishError(e.to_string()))?;
                }
                let line = serde_json::json!({ "source": SOURCE, "detail-type": event.detail_type.as_str(), "detail": event.detail });
                let mut file = tokio::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .await
                    .map_err(|e| PublishError(e.to_string()))?;
                file.write_all(format!("{line}\n").as_bytes()).await.map_err(|e| PublishError(e.to_string()))
            }
        }
    }
}

//! The one DynamoDB table: item layout, reads, and the transactions that keep the rules.
//!
//! Layout (every key but a public slug's starts with its tenant, so isolation is structural):
//!
//! | item | pk | sk |
//! |---|---|---|
//! | tenant | `TENANT#t` | `TENANT` |
//! | PBX | `TENANT#t` | `PBX#p` |
//! | service (call group) with its members map | `TENANT#t` | `SERVICE#s` |
//! | agent (profile, settings, token hash) | `TENANT#t` | `AGENT#a` |
//! | public slug → booking page snapshot | `SLUG#s` | `SLUG` |
//! | meeting | `TENANT#t#MEETING#m` | `MEETING` |
//! | calendar span of a meeting (for busy lookups) | `TENANT#t#AGENT#a` | `SPAN#<blocked_from>#m` |
//! | time lock, one per 5-minute granule (a hold's marked with its end) | `TENANT#t#AGENT#a` | `LOCK#<granule>` |
//! | a guest's cap place (B2) | `TENANT#t#AGENT#a` | `GUEST#<sha256(email)>#<n>` |
//! | a booking page's open-hold place (G5) | `TENANT#t#AGENT#a` | `PAGEHOLD#<slug>#<n>` |
//! | idempotency record | `TENANT#t#AGENT#a` | `IDEMPOTENCY#<sha256(key)>` |
//! | a connected calendar's cached busy time | `TENANT#t#AGENT#a` | `FEED#<calendar id>` |
//! | guest's conversation with the agent | `TENANT#t#AGENT#a` | `CONVERSATION#<sha256(email)>` |
//! | an address's places: open holds, codes, bookings an hour (G5) | `TENANT#t#GUEST#<sha256(email)>` | `PLACE#<kind>#<n>` |
//! | an address's index: its meetings and conversations (G3) | `TENANT#t#GUEST#<sha256(email)>` | `INDEX#MEETING#m`, `INDEX#CONVERSATION#c` |
//! | an address no longer mailed (bounced, complained) | `TENANT#t#GUEST#<sha256(email)>` | `SUPPRESSED` |
//! | hold: a booking waiting for the guest's code (G2) | `TENANT#t#HOLD#h` | `HOLD` |
//! | guest session (G3) | `TENANT#t#SESSION#s` | `SESSION` |
//! | sign-in by code, until it opens a session | `TENANT#t#SIGNIN#i` | `SIGNIN` |
//! | conversation | `TENANT#t#CONVERSATION#c` | `CONVERSATION` |
//! | its activity: count, last message, read positions, digest (in the `inbox` index) | `TENANT#t#CONVERSATION#c` | `ACTIVITY` |
//! | message (system or a member's) | `TENANT#t#CONVERSATION#c` | `MSG#<at>#<source>#<sequence>` |
//! | outbox item (notification, reminder) | `TENANT#t#OUTBOX#id` | `OUTBOX` |
//! | bookings counted for billing, per month and shard | `TENANT#t` | `USAGE#<YYYY-MM>#<shard>` |
//! | an agent's calendar-feed token (hash) | `TENANT#t` | `FEEDTOKEN#a` |
//!
//! Key strings are spelt only in `keys.rs`; every address in a key is its SHA-256 digest.
//!
//! The sparse index `due` (`gsi1pk = DUE#<shard>`, `gsi1sk = <due>#<id>`, keys only) holds outbox
//! items only while they wait to be delivered. The sparse index `inbox` (`inbox_pk =
//! TENANT#t#INBOX#a` or `TENANT#t#QUEUE#a`, `inbox_sk = <last activity>#c`, all attributes) holds
//! conversations' activity items under their agent member.

mod activity;
mod audit;
mod booking;
mod challenges;
mod change_mail;
mod changes;
mod conversations;
mod credentials;
mod directory;
mod error;
mod feeds;
mod guests;
mod holds;
mod hosts;
mod inbox;
mod items;
pub mod keys;
mod metrics;
mod offboarding;
mod outbox;
mod places;
mod privacy;
mod rates;
mod recent;
mod services;
mod sessions;
mod spans;
mod suppressions;
pub mod table;
mod transaction;
mod usage;
mod webhooks;

use aws_sdk_dynamodb::Client;
use std::sync::{Arc, OnceLock};

pub use activity::{Activity, ReadPosition};
pub use audit::{AuditEntry, AuditPage};
pub use booking::{BookingConflict, BookingWrite, Confirming, ConversationWrite, IdempotencyRecord, TimeSource};
pub use changes::{ChangeConflict, MeetingChange};
pub use conversations::{MessagePage, PageOf, PostConflict, PostKey, PostWrite};
pub use credentials::{use_hour, Credential, CredentialKind};
pub use directory::{AgentByEmail, DirectoryError};
pub use error::StoreError;
pub use feeds::{FeedCache, MAX_STORED_BUSY};
pub use holds::{HoldReplay, HoldWrite};
pub use inbox::InboxPage;
pub use metrics::{Metrics, MetricsSnapshot};
pub use offboarding::{Disposal, HandoverConflict, HandoverWrite, LeftService, Offboarding, Outcome};
pub use outbox::{
    Claimed, Due, DueCursor, DuePage, OutboxState, OutboxStatus, SentNotification, DUE_INDEX, DUE_SHARDS,
};
pub use places::{Claim, Scope};
pub use privacy::{Erasure, IndexEntry, IndexKind, Retention, ERASED, ERASED_ADDRESS};
pub use services::{Page, ServiceError};
pub use sessions::{SessionRecord, SignIn};
pub use suppressions::{Suppression, SuppressionPage};
pub use usage::Usage;
pub use webhooks::Attempt;

/// Attempts per call, the first included (the SDK's standard retry mode, with backoff).
pub const MAX_ATTEMPTS: u32 = 3;

/// The DynamoDB client every process uses: the shared AWS configuration with the timeouts of
/// `settings::Timeouts`. Waiting on the database is bounded (a connection, each attempt, all
/// attempts of one call): a stalled table makes a call fail (then a 503 with `Retry-After`),
/// never hang.
pub fn client(aws: &aws_config::SdkConfig) -> Client {
    Client::from_conf(client_config(aws, &crate::settings::Timeouts::from_env()).build())
}

/// The configuration [`client`] builds from, for a caller that must change one more thing (a
/// test pointing one client at a DynamoDB Local of its own).
pub fn client_config(
    aws: &aws_config::SdkConfig,
    timeouts: &crate::settings::Timeouts,
) -> aws_sdk_dynamodb::config::Builder {
    aws_sdk_dynamodb::config::Builder::from(aws)
        .timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .connect_timeout(timeouts.store_connect)
                .operation_attempt_timeout(timeouts.store_attempt)
                .operation_timeout(timeouts.store_operation)
                .build(),
        )
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
}

/// A handle on the table; cheap to clone, built once per Lambda instance. Its client is built
/// on first use: a function that never reads the table (the pages) never builds it, and a cold
/// start asks the runtime for work before paying for it.
#[derive(Clone)]
pub struct Store {
    config: Option<Arc<aws_sdk_dynamodb::Config>>,
    built: Arc<OnceLock<Client>>,
    table: String,
    metrics: Metrics,
    /// Each tenant's services as this process last read them (see `Store::services_recent`).
    services_seen: recent::Recent<Vec<crate::domain::assignment::Service>>,
    /// Each tenant as this process last read it (see `Store::tenant_recent`).
    tenants_seen: recent::Recent<crate::domain::directory::Tenant>,
    /// Each tenant's webhook endpoints as this process last read them (`Store::endpoints_recent`).
    endpoints_seen: recent::Recent<Vec<crate::domain::webhooks::Endpoint>>,
}

impl Store {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            config: None,
            built: Arc::new(OnceLock::from(client)),
            table: table.into(),
            metrics: Metrics::default(),
            services_seen: recent::Recent::new(services::SERVICES_FRESH_FOR),
            tenants_seen: recent::Recent::new(std::time::Duration::from_secs(60)),
            endpoints_seen: recent::Recent::new(std::time::Duration::from_secs(30)),
        }
    }

    /// A store whose client is built from `config` on first use.
    pub fn lazy(config: aws_sdk_dynamodb::Config, table: impl Into<String>) -> Self {
        Self {
            config: Some(Arc::new(config)),
            built: Arc::default(),
            table: table.into(),
            metrics: Metrics::default(),
            services_seen: recent::Recent::new(services::SERVICES_FRESH_FOR),
            tenants_seen: recent::Recent::new(std::time::Duration::from_secs(60)),
            endpoints_seen: recent::Recent::new(std::time::Duration::from_secs(30)),
        }
    }

    /// A client configured from the standard AWS environment (`AWS_ENDPOINT_URL_DYNAMODB` points it
    /// at DynamoDB Local; nothing here knows the difference).
    pub async fn from_env(table: impl Into<String>) -> Self {
        let config = crate::aws::sdk_config().await;
        Self::lazy(client_config(&config, &crate::settings::Timeouts::from_env()).build(), table)
    }

    pub fn client(&self) -> &Client {
        self.built.get_or_init(|| {
            let config = self.config.as_deref().expect("a store is built with a client or its configuration");
            Client::from_conf(config.clone())
        })
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    /// Requests made and capacity consumed through this handle (for measurements and logs).
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// A cheap read that proves the table answers (GET /v1/health).
    pub async fn ping(&self) -> Result<(), StoreError> {
        let (pk, sk) = keys::health();
        let out = self
            .client()
            .get_item()
            .table_name(&self.table)
            .key("pk", keys::s(pk))
            .key("sk", keys::s(sk))
            .return_consumed_capacity(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        self.metrics.record(out.consumed_capacity());
        Ok(())
    }
}

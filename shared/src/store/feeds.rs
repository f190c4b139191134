//! The last good copy of each connected calendar's busy time, so slots survive a feed that is
//! down, and a feed is fetched at most every few minutes however many guests look.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::keys;
use super::transaction::item;
use super::{Store, StoreError};
use crate::domain::time::Interval;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FeedCache {
    pub calendar_id: String,
    /// Busy intervals as epoch seconds, over the horizon read at the last success.
    #[serde(default)]
    pub busy: Vec<(i64, i64)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// The last attempt, successful or not (epoch seconds).
    pub fetched_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub succeeded_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl FeedCache {
    pub fn intervals(&self) -> Vec<Interval> {
        self.busy
            .iter()
            .filter_map(|(s, e)| Some(DateTime::<Utc>::from_timestamp(*s, 0)?..DateTime::<Utc>::from_timestamp(*e, 0)?))
            .collect()
    }
}

impl Store {
    pub async fn feed_caches(&self, tenant_id: &str, agent_id: &str) -> Result<Vec<FeedCache>, StoreError> {
        self.query_prefix(keys::calendar(tenant_id, agent_id), keys::FEED_PREFIX).await
    }

    pub async fn save_feed_cache(&self, tenant_id: &str, agent_id: &str, cache: &FeedCache) -> Result<(), StoreError> {
        self.put(item(keys::feed(tenant_id, agent_id, &cache.calendar_id), cache)?, None).await.map(|_| ())
    }
}

//! The last good copy of each connected calendar's busy time, so slots survive a feed that is
//! down or unreadable, and a feed is fetched at most every few minutes however many guests look;
//! and the lease that lets only one process refresh a feed at a time.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::keys;
use super::transaction::{item, Condition};
use super::{Store, StoreError};
use crate::domain::time::Interval;

/// The most busy intervals one copy keeps (after merging): 8 bytes each, well inside an item.
pub const MAX_STORED_BUSY: usize = 20_000;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FeedCache {
    pub calendar_id: String,
    /// Busy intervals over the horizon read at the last success, packed as pairs of u32 second
    /// offsets from `busy_base` (a binary attribute: 20,000 intervals fit in 160 KB).
    #[serde(default, with = "serde_bytes")]
    pub busy: Vec<u8>,
    #[serde(default)]
    pub busy_base: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// The last attempt, successful or not (epoch seconds).
    #[serde(default)]
    pub fetched_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub succeeded_at: Option<i64>,
    /// Why the last attempt failed; `None` after a success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Whether the last failure was the feed's content (unreadable, too complex) rather than the
    /// host or the network: the calendar is then `failed`, not merely `stale`.
    #[serde(default)]
    pub unreadable: bool,
    /// The validators of content that could not be read: the next request sends them, and a 304
    /// means "still the same bad file", which is not read again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_last_modified: Option<String>,
}

impl FeedCache {
    pub fn empty(calendar_id: &str) -> Self {
        Self { calendar_id: calendar_id.to_string(), ..Default::default() }
    }

    pub fn intervals(&self) -> Vec<Interval> {
        self.busy
            .chunks_exact(8)
            .filter_map(|pair| {
                let start = u32::from_le_bytes(pair[..4].try_into().ok()?);
                let end = u32::from_le_bytes(pair[4..].try_into().ok()?);
                let at = |offset: u32| DateTime::<Utc>::from_timestamp(self.busy_base.checked_add(offset.into())?, 0);
                Some(at(start)?..at(end)?)
            })
            .collect()
    }

    /// Packs merged busy intervals relative to `base`, clipped to the 136 years a u32 spans.
    pub fn pack(base: DateTime<Utc>, merged: &[Interval]) -> (i64, Vec<u8>) {
        let base = base.timestamp();
        let offset = |at: DateTime<Utc>| (at.timestamp() - base).clamp(0, i64::from(u32::MAX)) as u32;
        let mut bytes = Vec::with_capacity(merged.len().min(MAX_STORED_BUSY) * 8);
        for interval in merged.iter().take(MAX_STORED_BUSY) {
            bytes.extend_from_slice(&offset(interval.start).to_le_bytes());
            bytes.extend_from_slice(&offset(interval.end).to_le_bytes());
        }
        (base, bytes)
    }
}

impl Store {
    pub async fn feed_caches(&self, tenant_id: &str, agent_id: &str) -> Result<Vec<FeedCache>, StoreError> {
        self.query_prefix(keys::agent_partition(tenant_id, agent_id), keys::FEED_PREFIX).await
    }

    /// The copies of many agents' calendars at once (a service's hosts, S9): one batch read per
    /// hundred, each copy with its agent.
    pub async fn feed_caches_of(
        &self,
        tenant_id: &str,
        wanted: &[(&str, &str)],
    ) -> Result<Vec<(String, FeedCache)>, StoreError> {
        let keys = wanted.iter().map(|(agent, calendar)| keys::feed(tenant_id, agent, calendar)).collect();
        let mut found = Vec::new();
        for raw in self.batch_get_items(keys, false).await? {
            let agent = match raw.get("pk") {
                Some(aws_sdk_dynamodb::types::AttributeValue::S(pk)) => {
                    pk.rsplit_once("#AGENT#").map(|(_, a)| a.to_string())
                }
                _ => None,
            };
            let copy: FeedCache = serde_dynamo::from_item(raw)?;
            if let Some(agent) = agent {
                found.push((agent, copy));
            }
        }
        Ok(found)
    }

    /// Saves a refreshed copy; this also ends the refresh lease (the item is replaced whole).
    pub async fn save_feed_cache(&self, tenant_id: &str, agent_id: &str, cache: &FeedCache) -> Result<(), StoreError> {
        self.put(item(keys::feed(tenant_id, agent_id, &cache.calendar_id), cache)?, None).await.map(|_| ())
    }

    /// Takes the right to refresh one feed until `until`, if its copy is older than `stale_before`
    /// and nobody else holds the right: at most one refresh of a feed runs at a time, however
    /// many lookups find it stale together.
    pub async fn claim_feed_refresh(
        &self,
        tenant_id: &str,
        agent_id: &str,
        calendar_id: &str,
        now: DateTime<Utc>,
        stale_before: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let free = Condition::new(
            "(attribute_not_exists(fetched_at) OR fetched_at <= :stale) \
             AND (attribute_not_exists(refreshing_until) OR refreshing_until <= :now)",
        )
        .value(":until", keys::n(until.timestamp()))
        .value(":id", keys::s(calendar_id))
        .value(":stale", keys::n(stale_before.timestamp()))
        .value(":now", keys::n(now.timestamp()));
        let key = keys::feed(tenant_id, agent_id, calendar_id);
        self.update_one(key, "SET refreshing_until = :until, calendar_id = :id", free).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_time_packs_and_unpacks() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let base = at("2027-03-23T08:00:00Z");
        let busy = vec![
            at("2027-03-24T09:00:00Z")..at("2027-03-24T10:00:00Z"),
            at("2027-05-01T00:00:00Z")..at("2027-05-02T00:00:00Z"),
        ];
        let (base, bytes) = FeedCache::pack(base, &busy);
        let cache = FeedCache { busy: bytes, busy_base: base, ..FeedCache::empty("c") };
        assert_eq!(cache.intervals(), busy);
    }
}

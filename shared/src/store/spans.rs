//! An agent's busy time as this system knows it: the spans its meetings block.

use aws_sdk_dynamodb::types::{KeysAndAttributes, ReturnConsumedCapacity};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::booking::MeetingItem;
use super::items::SortKeys;
use super::keys;
use super::transaction::key_map;
use super::{Store, StoreError};
use crate::domain::availability::MAX_BLOCKED_MINUTES;
use crate::domain::meeting::Meeting;
use crate::domain::time::Interval;

/// The small item a meeting leaves in its agent's calendar partition. Slot lookups read only
/// these (not the meetings), so a month of a busy agent is a few kilobytes in one query.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct SpanItem {
    pub meeting_id: String,
    pub blocked_from: DateTime<Utc>,
    pub blocked_to: DateTime<Utc>,
    pub expires_at: i64,
}

impl SpanItem {
    pub(crate) fn of(meeting: &Meeting) -> Self {
        Self {
            meeting_id: meeting.id.clone(),
            blocked_from: meeting.blocked_from,
            blocked_to: meeting.blocked_to,
            // Kept a year past the meeting: it is how the agent's meeting list finds meetings.
            expires_at: (meeting.blocked_to + Duration::days(400)).timestamp(),
        }
    }
}

/// The longest range one meeting can block; spans starting this long before a range can still reach into it.
fn longest_block() -> Duration {
    Duration::minutes(MAX_BLOCKED_MINUTES.into())
}

impl Store {
    /// Blocked ranges of the agent's meetings that overlap `range`: one strongly consistent query,
    /// so a slot booked a moment ago is never listed as free.
    pub async fn busy_spans(
        &self,
        tenant_id: &str,
        agent_id: &str,
        range: &Interval,
    ) -> Result<Vec<Interval>, StoreError> {
        let spans = self.spans(tenant_id, agent_id, range).await?;
        Ok(spans.into_iter().map(|s| s.blocked_from..s.blocked_to).collect())
    }

    /// The agent's scheduled meetings whose blocked range overlaps `range`, by start time: the
    /// spans find them, one batch read fetches them.
    pub async fn agent_meetings(
        &self,
        tenant_id: &str,
        agent_id: &str,
        range: &Interval,
    ) -> Result<Vec<Meeting>, StoreError> {
        let spans = self.spans(tenant_id, agent_id, range).await?;
        let mut meetings = Vec::with_capacity(spans.len());
        for chunk in spans.chunks(100) {
            let mut keys: Vec<_> = chunk.iter().map(|s| key_map(keys::meeting(tenant_id, &s.meeting_id))).collect();
            while !keys.is_empty() {
                let batch =
                    KeysAndAttributes::builder().set_keys(Some(keys)).consistent_read(true).build().expect("keys");
                let out = self
                    .client
                    .batch_get_item()
                    .request_items(&self.table, batch)
                    .return_consumed_capacity(ReturnConsumedCapacity::Total)
                    .send()
                    .await
                    .map_err(StoreError::from_sdk)?;
                self.metrics.record_all(out.consumed_capacity().iter());
                for item in out.responses.unwrap_or_default().remove(&self.table).unwrap_or_default() {
                    let found: MeetingItem = serde_dynamo::from_item(item)?;
                    meetings.push(found.meeting);
                }
                // DynamoDB may leave keys unprocessed under load: ask again for just those.
                keys = out
                    .unprocessed_keys
                    .and_then(|mut unprocessed| unprocessed.remove(&self.table))
                    .map(|k| k.keys)
                    .unwrap_or_default();
            }
        }
        meetings.sort_by_key(|m| m.start);
        Ok(meetings)
    }

    async fn spans(&self, tenant_id: &str, agent_id: &str, range: &Interval) -> Result<Vec<SpanItem>, StoreError> {
        let sort_keys = SortKeys::Between(keys::span_bound(range.start - longest_block()), keys::span_bound(range.end));
        let spans: Vec<SpanItem> = self.query(keys::agent_partition(tenant_id, agent_id), sort_keys).await?;
        Ok(spans.into_iter().filter(|s| s.blocked_to > range.start && s.blocked_from < range.end).collect())
    }
}

//! An agent's busy time as this system knows it: the spans its meetings block.

use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::keys;
use super::{Store, StoreError};
use crate::domain::availability::{MAX_BUFFER_MINUTES, MAX_DURATION_MINUTES};
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

/// The longest range one meeting can block; spans starting this long before a range can still reach into it.
fn longest_block() -> Duration {
    Duration::minutes(i64::from(MAX_DURATION_MINUTES) + 2 * i64::from(MAX_BUFFER_MINUTES))
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
        let mut spans = Vec::new();
        let mut start = None;
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression("pk = :pk AND sk BETWEEN :from AND :to")
                .expression_attribute_values(":pk", keys::s(keys::calendar(tenant_id, agent_id)))
                .expression_attribute_values(":from", keys::s(keys::span_bound(range.start - longest_block())))
                .expression_attribute_values(":to", keys::s(keys::span_bound(range.end)))
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .return_consumed_capacity(ReturnConsumedCapacity::Total)
                .send()
                .await
                .map_err(StoreError::from_sdk)?;
            self.metrics.record(out.consumed_capacity());
            for item in out.items.unwrap_or_default() {
                let span: SpanItem = serde_dynamo::from_item(item)?;
                if span.blocked_to > range.start && span.blocked_from < range.end {
                    spans.push(span.blocked_from..span.blocked_to);
                }
            }
            start = out.last_evaluated_key;
            if start.is_none() {
                return Ok(spans);
            }
        }
    }
}

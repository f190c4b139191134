//! An agent's busy time as this system knows it: the spans its meetings block.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::booking::MeetingItem;
use super::items::SortKeys;
use super::keys;
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
    /// A hold's span (G2): busy only until then (epoch seconds); a meeting's has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_until: Option<i64>,
    pub expires_at: i64,
}

impl SpanItem {
    pub(crate) fn of(meeting: &Meeting) -> Self {
        Self::new(&meeting.id, meeting.blocked(), None)
    }

    pub(crate) fn new(id: &str, blocked: Interval, hold_until: Option<i64>) -> Self {
        Self {
            meeting_id: id.to_string(),
            blocked_from: blocked.start,
            blocked_to: blocked.end,
            hold_until,
            // Kept a year past the meeting: it is how the agent's meeting list finds meetings.
            expires_at: (blocked.end + Duration::days(400)).timestamp(),
        }
    }
}

/// What a slot lookup reads of a span: its range, and a hold's expiry. A busy month of many
/// members is thousands of spans, so the lookup reads only these attributes.
#[derive(Deserialize)]
struct BusySpan {
    blocked_from: DateTime<Utc>,
    blocked_to: DateTime<Utc>,
    #[serde(default)]
    hold_until: Option<i64>,
}

const BUSY_SPAN_ATTRIBUTES: [&str; 3] = ["blocked_from", "blocked_to", "hold_until"];

impl BusySpan {
    /// Whether it keeps its time busy at `now`: always for a meeting, until its expiry for a hold.
    fn busy_at(&self, now: DateTime<Utc>) -> bool {
        self.hold_until.is_none_or(|until| until > now.timestamp())
    }
}

/// The longest range one meeting can block; spans starting this long before a range can still reach into it.
fn longest_block() -> Duration {
    Duration::minutes(MAX_BLOCKED_MINUTES.into())
}

impl Store {
    /// Blocked ranges of the agent's meetings and open holds that overlap `range` at `now`: one
    /// strongly consistent query, so a slot booked a moment ago is never listed as free, and a
    /// hold past its expiry is free again without anything having removed it.
    pub async fn busy_spans(
        &self,
        tenant_id: &str,
        agent_id: &str,
        range: &Interval,
        now: DateTime<Utc>,
    ) -> Result<Vec<Interval>, StoreError> {
        let sort_keys = span_keys(range);
        let spans: Vec<BusySpan> =
            self.query_attributes(keys::agent_partition(tenant_id, agent_id), sort_keys, &BUSY_SPAN_ATTRIBUTES).await?;
        Ok(spans
            .into_iter()
            .filter(|s| s.busy_at(now) && reaches_into(s.blocked_from, s.blocked_to, range))
            .map(|s| s.blocked_from..s.blocked_to)
            .collect())
    }

    /// The agent's scheduled meetings whose blocked range overlaps `range`, by start time: the
    /// spans find them, one batch read fetches them.
    pub async fn agent_meetings(
        &self,
        tenant_id: &str,
        agent_id: &str,
        range: &Interval,
    ) -> Result<Vec<Meeting>, StoreError> {
        // Holds are not meetings: their spans name no meeting item.
        let spans: Vec<SpanItem> =
            self.spans(tenant_id, agent_id, range).await?.into_iter().filter(|s| s.hold_until.is_none()).collect();
        let keys = spans.iter().map(|s| keys::meeting(tenant_id, &s.meeting_id)).collect();
        let mut meetings: Vec<Meeting> =
            self.batch_get::<MeetingItem>(keys).await?.into_iter().map(|found| found.meeting).collect();
        meetings.sort_by_key(|m| m.start);
        Ok(meetings)
    }

    async fn spans(&self, tenant_id: &str, agent_id: &str, range: &Interval) -> Result<Vec<SpanItem>, StoreError> {
        let spans: Vec<SpanItem> = self.query(keys::agent_partition(tenant_id, agent_id), span_keys(range)).await?;
        Ok(spans.into_iter().filter(|s| reaches_into(s.blocked_from, s.blocked_to, range)).collect())
    }
}

/// The sort keys of the spans that can overlap `range`: those starting up to the longest block
/// before it.
fn span_keys(range: &Interval) -> SortKeys<'static> {
    SortKeys::Between(keys::span_bound(range.start - longest_block()), keys::span_bound(range.end))
}

/// Whether a span's blocked range overlaps `range` (the sort keys find candidates only).
fn reaches_into(from: DateTime<Utc>, to: DateTime<Utc>, range: &Interval) -> bool {
    to > range.start && from < range.end
}

//! A service's fairness counts (S10): per member and month, the meetings booked through the
//! service (not cancelled) and when last, kept in the booking's own transaction (and taken back
//! in a cancellation's), so that under any race the counts are what was booked. A member who
//! joins mid-month gets a starting count, the fewest any member had then.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::keys::{self, Key};
use super::transaction::Condition;
use super::{Store, StoreError};
use crate::domain::hosts::HostStats;
use crate::domain::meeting::Meeting;

#[derive(Deserialize)]
struct CountItem {
    agent_id: String,
    #[serde(default)]
    meetings: i64,
    #[serde(default)]
    start_count: u32,
    #[serde(default)]
    last_booked: Option<i64>,
}

/// The update a booking through a service makes to its host's count: (key, expression, values).
pub(crate) fn count_host(
    tenant_id: &str,
    meeting: &Meeting,
    now: DateTime<Utc>,
    delta: i64,
) -> Option<(Key, String, Condition)> {
    let host = meeting.host.as_ref()?;
    let key = keys::host_count(tenant_id, &host.service_id, &host.month, &meeting.agent_id);
    let mut condition = Condition::new("").value(":delta", keys::n(delta)).value(":agent", keys::s(&meeting.agent_id));
    let update = if delta > 0 {
        condition = condition.value(":now", keys::n(now.timestamp()));
        "ADD meetings :delta SET agent_id = :agent, last_booked = :now"
    } else {
        "ADD meetings :delta SET agent_id = :agent"
    };
    Some((key, update.to_string(), condition))
}

impl Store {
    /// Each member's counts through the service in `month` (`YYYY-MM`), by agent id: one query.
    pub async fn host_stats(
        &self,
        tenant_id: &str,
        service_id: &str,
        month: &str,
    ) -> Result<BTreeMap<String, HostStats>, StoreError> {
        let (pk, prefix) = keys::host_counts(tenant_id, service_id, month);
        let items: Vec<CountItem> = self.query_prefix(pk, &prefix).await?;
        Ok(items
            .into_iter()
            .map(|c| {
                let stats = HostStats {
                    priority: 0,
                    meetings_this_month: u32::try_from(c.meetings.max(0)).unwrap_or(u32::MAX),
                    start_count: c.start_count,
                    last_booked: c.last_booked.and_then(|at| DateTime::from_timestamp(at, 0)),
                };
                (c.agent_id, stats)
            })
            .collect())
    }

    /// S10: a member joining mid-month starts at `start`, unless they have a count already.
    pub async fn start_host_count(
        &self,
        tenant_id: &str,
        service_id: &str,
        month: &str,
        agent_id: &str,
        start: u32,
    ) -> Result<(), StoreError> {
        let key = keys::host_count(tenant_id, service_id, month, agent_id);
        let condition = Condition::new("attribute_not_exists(pk)")
            .value(":start", keys::n(i64::from(start)))
            .value(":agent", keys::s(agent_id));
        self.update_one(key, "SET start_count = :start, agent_id = :agent", condition).await?;
        Ok(())
    }
}

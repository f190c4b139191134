//! A tenant's bound on its guests' bookings a minute: a counter per minute, split over a few
//! items so that a busy minute's increments do not all land on one item, each item taking its
//! share of the bound; a booking tries the items in a random order until one has room. Exact
//! under any concurrency (each increment is conditional), and it frees itself with the minute.

use chrono::{DateTime, Utc};
use rand::seq::SliceRandom;

use super::keys;
use super::transaction::Condition;
use super::{Store, StoreError};

/// How many items a minute's count is split over (fewer for a small bound).
const SHARDS: u32 = 8;

impl Store {
    /// Takes one of the tenant's `per_minute` bookings for the minute of `now`; `false` when
    /// the minute's are all taken.
    pub async fn take_tenant_booking(
        &self,
        tenant_id: &str,
        per_minute: u32,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let shards = SHARDS.min(per_minute.max(1));
        let mut order: Vec<u32> = (0..shards).collect();
        order.shuffle(&mut rand::rng());
        let minute = now.format("%Y-%m-%dT%H:%M").to_string();
        for shard in order {
            // Shard k takes its share of the bound; the first shards take the remainder.
            let share = per_minute / shards + u32::from(shard < per_minute % shards);
            let condition = Condition::new("attribute_not_exists(taken) OR taken < :share")
                .value(":share", keys::n(i64::from(share)))
                .value(":one", keys::n(1))
                .value(":expires", keys::n(now.timestamp() + 3600));
            let key = keys::tenant_rate(tenant_id, &minute, shard);
            if self.update_one(key, "ADD taken :one SET expires_at = :expires", condition).await? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

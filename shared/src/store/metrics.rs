use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use aws_sdk_dynamodb::types::ConsumedCapacity;

/// Counts requests and consumed capacity through one [`super::Store`], so a measurement (or a log
/// line) can say what an operation cost. Every request asks for `ReturnConsumedCapacity::Total`.
#[derive(Clone, Default)]
pub struct Metrics(Arc<Counters>);

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    /// Capacity units × 1000, to keep half units exact in an integer.
    capacity_milli: AtomicU64,
    /// Items written by transactions. DynamoDB bills 2 WCU per item (per KB) in a transaction;
    /// DynamoDB Local reports a flat figure per transaction, so the count is the honest measure.
    transaction_items: AtomicU64,
    /// Requests made while delivering the outbox (claim, progress, completion, the suppression
    /// check), so a measurement can tell a request's own path from the delivery that follows.
    delivery_updates: AtomicU64,
}

#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct MetricsSnapshot {
    pub requests: u64,
    pub capacity_units: f64,
    pub transaction_items: u64,
    pub delivery_updates: u64,
}

impl Metrics {
    pub fn record(&self, consumed: Option<&ConsumedCapacity>) {
        self.record_all(consumed.into_iter());
    }

    pub fn record_all<'a>(&self, consumed: impl Iterator<Item = &'a ConsumedCapacity>) {
        self.0.requests.fetch_add(1, Ordering::Relaxed);
        let units: f64 = consumed.filter_map(|c| c.capacity_units()).sum();
        self.0.capacity_milli.fetch_add((units * 1000.0).round() as u64, Ordering::Relaxed);
    }

    pub fn record_transaction<'a>(&self, items: usize, consumed: impl Iterator<Item = &'a ConsumedCapacity>) {
        self.0.transaction_items.fetch_add(items as u64, Ordering::Relaxed);
        self.record_all(consumed);
    }

    /// Counts the request just recorded as delivery work too.
    pub fn count_as_delivery(&self) {
        self.0.delivery_updates.fetch_add(1, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> MetricsSnapshot {
        MetricsSnapshot {
            requests: self.0.requests.load(Ordering::Relaxed),
            capacity_units: self.0.capacity_milli.load(Ordering::Relaxed) as f64 / 1000.0,
            transaction_items: self.0.transaction_items.load(Ordering::Relaxed),
            delivery_updates: self.0.delivery_updates.load(Ordering::Relaxed),
        }
    }
}

impl MetricsSnapshot {
    /// Requests on the operation's own path, delivery after the commit left out.
    pub fn own_requests(&self) -> u64 {
        self.requests - self.delivery_updates
    }
}

impl std::ops::Sub for MetricsSnapshot {
    type Output = MetricsSnapshot;
    fn sub(self, before: MetricsSnapshot) -> MetricsSnapshot {
        MetricsSnapshot {
            requests: self.requests - before.requests,
            capacity_units: self.capacity_units - before.capacity_units,
            transaction_items: self.transaction_items - before.transaction_items,
            delivery_updates: self.delivery_updates - before.delivery_updates,
        }
    }
}

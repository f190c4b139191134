//! Trying again after contention: a transaction that lost a race to another one touching the same
//! items (not one a condition refused) may simply be tried again, a little later.

use std::time::Duration;

use rand::Rng;

/// Exponential backoff with jitter, so racing writers spread out instead of colliding again.
pub async fn backoff(attempt: u32) {
    let base = 5u64 << attempt.min(6);
    let jitter = rand::rng().random_range(0..=base);
    tokio::time::sleep(Duration::from_millis(base + jitter)).await;
}

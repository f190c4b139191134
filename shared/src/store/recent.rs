//! What this process read a moment ago, kept for a short while: for reads where a copy some
//! seconds old decides nothing that must be exact (an inbox's view of who serves which queue, a
//! tenant's bound on bookings a minute). A change made through this process drops its copy at
//! once; one made elsewhere is seen within the copy's age.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A copy and when it was read.
type Copies<T> = HashMap<String, (Instant, Arc<T>)>;

/// Copies by tenant, each with when it was read. Bounded: past a thousand tenants it starts over.
pub(crate) struct Recent<T> {
    copies: Arc<Mutex<Copies<T>>>,
    fresh_for: Duration,
}

impl<T> Clone for Recent<T> {
    fn clone(&self) -> Self {
        Self { copies: self.copies.clone(), fresh_for: self.fresh_for }
    }
}

impl<T> Recent<T> {
    pub(crate) fn new(fresh_for: Duration) -> Self {
        Self { copies: Arc::default(), fresh_for }
    }

    pub(crate) fn get(&self, tenant_id: &str) -> Option<Arc<T>> {
        let copies = self.copies.lock().ok()?;
        let (at, copy) = copies.get(tenant_id)?;
        (at.elapsed() < self.fresh_for).then(|| copy.clone())
    }

    pub(crate) fn put(&self, tenant_id: &str, copy: Arc<T>) {
        if let Ok(mut copies) = self.copies.lock() {
            if copies.len() >= 1000 {
                copies.clear();
            }
            copies.insert(tenant_id.to_string(), (Instant::now(), copy));
        }
    }

    pub(crate) fn forget(&self, tenant_id: &str) {
        if let Ok(mut copies) = self.copies.lock() {
            copies.remove(tenant_id);
        }
    }
}

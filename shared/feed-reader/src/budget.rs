//! One budget for reading a whole feed: steps of work, busy intervals produced, and a deadline.
//! Every loop that input can drive spends from the same meter, so the cost of one feed is
//! bounded however its events and rules are shaped.

use std::time::{Duration, Instant};

use crate::FeedError;

#[derive(Clone, Debug)]
pub struct Limits {
    /// Units of work (a line read, a recurrence period or candidate examined).
    pub max_steps: u64,
    /// Busy intervals the feed may produce over the horizon, before merging.
    pub max_busy: usize,
    /// VEVENTs in the feed.
    pub max_events: usize,
    /// Wall-clock time for the whole read.
    pub time: Duration,
}

impl Default for Limits {
    /// About 40 ms of work for a large but honest feed (2,000 events, 200 recurring) is a few
    /// hundred thousand steps; the limits leave room for ten times that, and no more.
    fn default() -> Self {
        Self { max_steps: 4_000_000, max_busy: 50_000, max_events: 20_000, time: Duration::from_secs(2) }
    }
}

/// Spends the budget; each call that would exceed it fails the whole read.
pub struct Meter {
    steps: u64,
    max_steps: u64,
    busy: usize,
    max_busy: usize,
    deadline: Instant,
}

/// The clock is read once per this many steps: cheap, and still fine-grained (a step is well
/// under a microsecond).
const CLOCK_EVERY: u64 = 4096;

impl Meter {
    pub fn new(limits: &Limits) -> Self {
        Self {
            steps: 0,
            max_steps: limits.max_steps,
            busy: 0,
            max_busy: limits.max_busy,
            deadline: Instant::now() + limits.time,
        }
    }

    pub fn step(&mut self) -> Result<(), FeedError> {
        self.steps_by(1)
    }

    pub fn steps_by(&mut self, n: u64) -> Result<(), FeedError> {
        let before = self.steps;
        self.steps = self.steps.saturating_add(n);
        if self.steps > self.max_steps {
            return Err(FeedError::TooLarge(format!(
                "reading it takes more than {} steps of work (recurrence rules too dense or too many events)",
                self.max_steps
            )));
        }
        if before / CLOCK_EVERY != self.steps / CLOCK_EVERY && Instant::now() > self.deadline {
            return Err(FeedError::TimedOut);
        }
        Ok(())
    }

    /// One more busy interval.
    pub fn busy(&mut self) -> Result<(), FeedError> {
        self.busy += 1;
        if self.busy > self.max_busy {
            return Err(FeedError::TooLarge(format!("more than {} busy periods over the coming weeks", self.max_busy)));
        }
        self.step()
    }

    #[cfg(test)]
    pub(crate) fn steps(&self) -> u64 {
        self.steps
    }
}

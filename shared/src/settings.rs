//! How long the service waits for what it does not control, as settings: the defaults fit AWS
//! (DynamoDB answers in milliseconds; a Lambda function has 10 s), and the local profile (the
//! local server's defaults) gives DynamoDB Local on two shared cores the patience a burst needs,
//! so the local stack never refuses what it can serve. The template sets the same variables
//! from its parameters.

use std::time::Duration;

/// Waits on the database and on a whole request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// A connection to DynamoDB (`STORE_CONNECT_TIMEOUT_MS`).
    pub store_connect: Duration,
    /// One attempt of one call (`STORE_ATTEMPT_TIMEOUT_MS`).
    pub store_attempt: Duration,
    /// All attempts of one call (`STORE_OPERATION_TIMEOUT_MS`).
    pub store_operation: Duration,
    /// A whole request, whatever its dependencies do (`REQUEST_DEADLINE_MS`): an answer after
    /// the Lambda's own timeout would be API Gateway's bare error, not ours.
    pub request_deadline: Duration,
}

impl Default for Timeouts {
    /// AWS: two store calls at their timeout and an inline delivery fit inside the deadline,
    /// which fits inside the functions' 10 s.
    fn default() -> Self {
        Self {
            store_connect: Duration::from_millis(1000),
            store_attempt: Duration::from_millis(1500),
            store_operation: Duration::from_millis(3000),
            request_deadline: Duration::from_millis(8500),
        }
    }
}

impl Timeouts {
    /// The local stack's: DynamoDB Local shares two cores with the server, the browser and the
    /// tests, so a burst of two hundred bookings queues for seconds; the request deadline still
    /// bounds every answer.
    pub fn local() -> Self {
        Self {
            store_connect: Duration::from_secs(5),
            store_attempt: Duration::from_secs(20),
            store_operation: Duration::from_secs(45),
            request_deadline: Duration::from_secs(60),
        }
    }

    /// The defaults, with each variable that is set (milliseconds, 1 to 600,000) taking its place.
    pub fn from_env() -> Self {
        Self::from_env_over(Self::default())
    }

    /// `base`, with each variable that is set taking its place.
    pub fn from_env_over(base: Self) -> Self {
        Self::from_lookup(base, |name| std::env::var(name).ok())
    }

    fn from_lookup(base: Self, get: impl Fn(&str) -> Option<String>) -> Self {
        let read = |name: &str, default: Duration| {
            get(name)
                .and_then(|text| text.trim().parse::<u64>().ok())
                .filter(|ms| (1..=600_000).contains(ms))
                .map(Duration::from_millis)
                .unwrap_or(default)
        };
        Self {
            store_connect: read("STORE_CONNECT_TIMEOUT_MS", base.store_connect),
            store_attempt: read("STORE_ATTEMPT_TIMEOUT_MS", base.store_attempt),
            store_operation: read("STORE_OPERATION_TIMEOUT_MS", base.store_operation),
            request_deadline: read("REQUEST_DEADLINE_MS", base.request_deadline),
        }
    }
}

/// A tenant's guest bookings (and holds) a minute, when the operator set none for it
/// (`TENANT_BOOKINGS_PER_MINUTE`, 600 by default): one tenant's campaign meets its own bound,
/// never another tenant's guests.
pub fn default_bookings_per_minute() -> u32 {
    static READ: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *READ.get_or_init(|| {
        std::env::var("TENANT_BOOKINGS_PER_MINUTE").ok().and_then(|v| v.parse().ok()).filter(|v| *v > 0).unwrap_or(600)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_replace_defaults_and_nonsense_is_ignored() {
        let vars =
            [("STORE_ATTEMPT_TIMEOUT_MS", "20000"), ("REQUEST_DEADLINE_MS", "abc"), ("STORE_CONNECT_TIMEOUT_MS", "0")];
        let t = Timeouts::from_lookup(Timeouts::default(), |name| {
            vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        });
        assert_eq!(t.store_attempt, Duration::from_secs(20));
        assert_eq!(t.request_deadline, Timeouts::default().request_deadline, "not a number");
        assert_eq!(t.store_connect, Timeouts::default().store_connect, "zero is not a timeout");
    }
}

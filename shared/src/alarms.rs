//! Counts the stack's alarms watch, written as CloudWatch embedded-metric lines in Lambda's log
//! (one JSON line each; CloudWatch turns them into the `MeetingScheduler` metrics that
//! `template.yaml`'s alarms read). Outside Lambda they are only log events.

/// What the alarms count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    /// A notification given up after repeated delivery errors.
    NotificationsParked,
    /// A request answered 503 because DynamoDB timed out, throttled or failed.
    StoreErrors,
}

impl Count {
    pub const ALL: [Count; 2] = [Count::NotificationsParked, Count::StoreErrors];

    pub const fn name(self) -> &'static str {
        match self {
            Count::NotificationsParked => "NotificationsParked",
            Count::StoreErrors => "StoreErrors",
        }
    }
}

pub const NAMESPACE: &str = "MeetingScheduler";

/// What the alarms read as a value (the latest of each run).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gauge {
    /// How late the most overdue notification was when a delivery run found it (seconds).
    DeliveryLagSeconds,
}

impl Gauge {
    pub const fn name(self) -> &'static str {
        match self {
            Gauge::DeliveryLagSeconds => "DeliveryLagSeconds",
        }
    }
}

/// A value, as an embedded-metric line (see [`count`]).
pub fn gauge(what: Gauge, value: f64) {
    emit(what.name(), "Seconds", value);
}

pub fn count(what: Count) {
    emit(what.name(), "Count", 1.0);
}

/// One CloudWatch embedded-metric line on standard output, on Lambda; a debug line elsewhere.
fn emit(name: &str, unit: &str, value: f64) {
    if std::env::var_os("AWS_LAMBDA_FUNCTION_NAME").is_none() {
        tracing::debug!(metric = name, value, "measured");
        return;
    }
    let line = serde_json::json!({
        "_aws": {
            "Timestamp": chrono::Utc::now().timestamp_millis(),
            "CloudWatchMetrics": [{
                "Namespace": NAMESPACE,
                "Dimensions": [[]],
                "Metrics": [{ "Name": name, "Unit": unit }],
            }],
        },
        name: value,
    });
    println!("{line}");
}

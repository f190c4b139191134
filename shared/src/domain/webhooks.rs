//! Webhooks (W1–W3): a tenant's endpoints, the event types they hear, the payload of each (one
//! versioned shape), the Standard Webhooks signature, and when a failed delivery is tried again.
//! Pure: the secret, the clock and the random draws are given.

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::notification::{DomainEvent, EventKind};

/// W1: at most this many endpoints per tenant.
pub const MAX_ENDPOINTS: u32 = 10;
/// W2: a delivery is tried for this long, then given up (and W3: an endpoint failing this long
/// is disabled).
pub const TRY_FOR: Duration = Duration::hours(24);
/// A rotated secret keeps signing beside the new one for this long.
pub const ROTATION_OVERLAP: Duration = Duration::hours(24);
/// W3: an endpoint's log keeps its last this many attempts.
pub const LOG_SIZE: usize = 100;
/// The payloads' shape: a receiver can tell a later shape apart.
pub const PAYLOAD_VERSION: u32 = 1;

/// What an endpoint may hear, as W1 names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EventType {
    #[serde(rename = "meeting.scheduled")]
    MeetingScheduled,
    #[serde(rename = "meeting.rescheduled")]
    MeetingRescheduled,
    #[serde(rename = "meeting.changed")]
    MeetingChanged,
    #[serde(rename = "meeting.cancelled")]
    MeetingCancelled,
    #[serde(rename = "conversation.assigned")]
    ConversationAssigned,
    #[serde(rename = "message.posted")]
    MessagePosted,
    #[serde(rename = "guest.erased")]
    GuestErased,
}

impl EventType {
    pub const ALL: [EventType; 7] = [
        EventType::MeetingScheduled,
        EventType::MeetingRescheduled,
        EventType::MeetingChanged,
        EventType::MeetingCancelled,
        EventType::ConversationAssigned,
        EventType::MessagePosted,
        EventType::GuestErased,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::MeetingScheduled => "meeting.scheduled",
            EventType::MeetingRescheduled => "meeting.rescheduled",
            EventType::MeetingChanged => "meeting.changed",
            EventType::MeetingCancelled => "meeting.cancelled",
            EventType::ConversationAssigned => "conversation.assigned",
            EventType::MessagePosted => "message.posted",
            EventType::GuestErased => "guest.erased",
        }
    }

    /// The webhook of a domain event.
    pub fn of(kind: EventKind) -> EventType {
        match kind {
            EventKind::MeetingScheduled => EventType::MeetingScheduled,
            EventKind::MeetingRescheduled => EventType::MeetingRescheduled,
            EventKind::MeetingChanged => EventType::MeetingChanged,
            EventKind::MeetingCancelled => EventType::MeetingCancelled,
            EventKind::ConversationAssigned => EventType::ConversationAssigned,
        }
    }
}

/// A tenant's endpoint (W1). Its secrets are kept sealed (see `app::webhooks`), never plain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub id: String,
    pub url: String,
    pub types: Vec<EventType>,
    pub enabled: bool,
    /// The signing secret, sealed under the deployment's key.
    pub secret_sealed: String,
    /// After a rotation: the old secret, still signing until `previous_until`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_sealed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_until: Option<DateTime<Utc>>,
    /// When its deliveries started failing (cleared by a success): W3 disables it 24 hours on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_since: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Endpoint {
    pub fn hears(&self, event: EventType) -> bool {
        self.enabled && self.types.contains(&event)
    }
}

/// The body an endpoint receives: Standard Webhooks' `type`, `timestamp`, `data`, and our
/// version. `data` carries the ids a receiver needs (tenant, meeting, conversation, agent,
/// service), the meeting's `version` (its sequence: a receiver keeps the highest), and for a
/// reschedule `previous_start` beside the new `start`.
pub fn payload(event: EventType, data: &serde_json::Value, at: DateTime<Utc>) -> serde_json::Value {
    serde_json::json!({
        "type": event.as_str(),
        "version": PAYLOAD_VERSION,
        "timestamp": at,
        "data": data,
    })
}

/// The payload of a domain event.
pub fn payload_of(event: &DomainEvent, at: DateTime<Utc>) -> (EventType, serde_json::Value) {
    let kind = EventType::of(event.detail_type);
    (kind, payload(kind, &event.detail, at))
}

/// A new secret as Standard Webhooks writes it (`whsec_` and 24 random bytes in base64), from
/// those bytes.
pub fn secret_text(bytes: &[u8]) -> String {
    format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// The `webhook-signature` value of one secret (Standard Webhooks v1): `v1,` and the base64
/// HMAC-SHA256 of `{id}.{timestamp}.{body}` under the secret's bytes.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = base64::engine::general_purpose::STANDARD.decode(secret.strip_prefix("whsec_")?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Some(format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())))
}

/// When a delivery that failed its `attempt`-th time (1 for the first) is tried again: 30 s
/// doubling, at most two hours, with a fifth of jitter either way (`draw` in 0..1000); `None`
/// once it has been tried for [`TRY_FOR`] since `first`.
pub fn next_try(attempt: u32, first: DateTime<Utc>, now: DateTime<Utc>, draw: u32) -> Option<DateTime<Utc>> {
    if now - first >= TRY_FOR {
        return None;
    }
    let base = 30i64.saturating_mul(1i64 << attempt.saturating_sub(1).min(20)).min(7200);
    let jitter = base * (i64::from(draw.min(999)) - 500) / 2500;
    Some(now + Duration::seconds(base + jitter))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification (its reference libraries' test): the
    /// same secret, id, timestamp and body give the same signature.
    #[test]
    fn the_signature_is_the_standard_webhooks_one() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        let sig = signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).unwrap();
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assert_eq!(signature("not-a-secret", "id", 1, "{}"), None);
    }

    #[test]
    fn failed_deliveries_back_off_with_jitter_for_a_day_and_then_stop() {
        let first = DateTime::parse_from_rfc3339("2027-03-24T08:00:00Z").unwrap().with_timezone(&Utc);
        let at = |s: i64| first + Duration::seconds(s);
        let wait = |attempt, now, draw| next_try(attempt, first, now, draw).map(|t| (t - now).num_seconds());
        assert_eq!(wait(1, first, 500), Some(30));
        assert_eq!(wait(1, first, 0), Some(24), "a fifth less");
        assert_eq!(wait(1, first, 999), Some(35), "a fifth more");
        assert_eq!(wait(3, at(100), 500), Some(120));
        assert_eq!(wait(12, at(3600), 500), Some(7200), "at most two hours");
        assert_eq!(wait(40, at(3600), 500), Some(7200), "no overflow");
        assert_eq!(wait(20, at(86_399), 500), Some(7200));
        assert_eq!(wait(20, at(86_400), 500), None, "a day: given up");
    }
}

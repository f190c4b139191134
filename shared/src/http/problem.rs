//! RFC 9457 problem details: every refusal the API makes, in one place, each with a stable `type`.

use serde_json::json;

use super::Response;
use crate::domain::assignment::AssignRefusal;
use crate::domain::meeting_change::ChangeRefusal;
use crate::domain::slots::Refusal;
use crate::domain::validation::FieldError;
use crate::store::{BookingError, ChangeError, DirectoryError, ServiceError, StoreError};

/// A refusal on its way to the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub status: u16,
    /// The stable part of `type`: `/problems/<kind>`.
    pub kind: &'static str,
    pub title: &'static str,
    pub detail: String,
    /// The offending request field (a JSON path, a query parameter or a header), when there is one.
    pub field: Option<String>,
    pub retry_after: Option<u32>,
}

/// Every problem `type` the API can answer with (as `/problems/<kind>`); `openapi.yaml` lists the
/// same set, which a test holds it to.
pub const PROBLEM_TYPES: &[&str] = &[
    "malformed-request",
    "invalid-field",
    "unauthorized",
    "forbidden",
    "not-found",
    "method-not-allowed",
    "payload-too-large",
    "unsupported-media-type",
    "conflict",
    "version-conflict",
    "slug-taken",
    "slot-taken",
    "calendar-busy",
    "meeting-cancelled",
    "meeting-started",
    "duration-not-allowed",
    "too-soon",
    "beyond-booking-window",
    "outside-booking-dates",
    "outside-working-hours",
    "guest-cap-reached",
    "idempotency-key-reused",
    "unknown-pbx",
    "unknown-agent",
    "unknown-service",
    "not-a-member",
    "dynamic-member",
    "other-pbx",
    "no-service",
    "store-throttled",
    "store-unavailable",
    "deadline-exceeded",
    "internal",
];

impl Problem {
    pub fn new(status: u16, kind: &'static str, title: &'static str, detail: impl Into<String>) -> Self {
        debug_assert!(
            PROBLEM_TYPES.contains(&kind),
            "problem type `{kind}` is missing from PROBLEM_TYPES and openapi.yaml"
        );
        Self { status, kind, title, detail: detail.into(), field: None, retry_after: None }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn type_uri(&self) -> String {
        format!("/problems/{}", self.kind)
    }

    pub fn malformed(detail: impl Into<String>) -> Self {
        Self::new(400, "malformed-request", "The request could not be read", detail)
    }

    pub fn invalid(field: &str, detail: impl Into<String>) -> Self {
        Self::new(400, "invalid-field", "A field has an invalid value", detail).with_field(field)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(401, "unauthorized", "Credentials are missing or not valid", detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(403, "forbidden", "These credentials do not allow this", detail)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(404, "not-found", "Not found", format!("no such {what}"))
    }

    /// The request ran out of time (a dependency stalled). Anything it wrote stays written: a
    /// retry with the same `Idempotency-Key` returns what the first try did.
    pub fn deadline_exceeded() -> Self {
        Problem {
            retry_after: Some(2),
            ..Problem::new(503, "deadline-exceeded", "The request took too long", "a dependency is slow; retry shortly")
        }
    }

    pub fn into_response(self) -> Response {
        let mut body = json!({
            "type": self.type_uri(),
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        });
        if let Some(field) = &self.field {
            body["field"] = json!(field);
        }
        let mut builder =
            http::Response::builder().status(self.status).header("content-type", "application/problem+json");
        if self.status == 401 {
            builder = builder.header("www-authenticate", "Bearer");
        }
        if let Some(seconds) = self.retry_after {
            builder = builder.header("retry-after", seconds.to_string());
        }
        builder.body(lambda_http::Body::Text(body.to_string())).expect("valid response")
    }
}

impl From<FieldError> for Problem {
    fn from(err: FieldError) -> Self {
        Problem::invalid(&err.field, err.message)
    }
}

impl From<StoreError> for Problem {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Problem::not_found("record"),
            StoreError::Conflict(what) => {
                Problem::new(409, "conflict", "The request conflicts with the current state", what)
            }
            StoreError::Throttled => Problem {
                retry_after: Some(1),
                ..Problem::new(503, "store-throttled", "The database is busy", "retry in a moment")
            },
            StoreError::Unavailable(detail) => {
                tracing::error!(%detail, "store unavailable");
                Problem {
                    retry_after: Some(5),
                    ..Problem::new(
                        503,
                        "store-unavailable",
                        "The database is unavailable",
                        "nothing was changed; retry later",
                    )
                }
            }
            StoreError::Corrupt(detail) => {
                tracing::error!(%detail, "corrupt item");
                Problem::new(500, "internal", "Internal error", "a stored record could not be read")
            }
        }
    }
}

impl From<Refusal> for Problem {
    fn from(refusal: Refusal) -> Self {
        let detail = refusal.to_string();
        match refusal {
            Refusal::DurationNotAllowed { .. } => {
                Problem::new(422, "duration-not-allowed", "That duration is not offered", detail).with_field("duration")
            }
            Refusal::TooSoon { .. } => Problem::new(422, "too-soon", "Too little notice", detail).with_field("start"),
            Refusal::BeyondWindow { .. } => {
                Problem::new(422, "beyond-booking-window", "Too far ahead", detail).with_field("start")
            }
            Refusal::OutsideBookingDates => {
                Problem::new(422, "outside-booking-dates", "Outside this link's dates", detail).with_field("start")
            }
            Refusal::OutsideWorkingHours => {
                Problem::new(422, "outside-working-hours", "Not one of the agent's slots", detail).with_field("start")
            }
            Refusal::SlotTaken => slot_taken(),
        }
    }
}

fn slot_taken() -> Problem {
    Problem::new(409, "slot-taken", "That slot was just taken", "another meeting holds this time; pick another slot")
        .with_field("start")
}

impl From<BookingError> for Problem {
    fn from(err: BookingError) -> Self {
        let detail = err.to_string();
        match err {
            BookingError::SlotTaken => slot_taken(),
            BookingError::GuestCapReached { .. } => Problem::new(
                422,
                "guest-cap-reached",
                "Too many scheduled meetings with this agent",
                format!("{detail}; another can be booked once one has passed or been cancelled"),
            )
            .with_field("email"),
            BookingError::IdempotencyKeyReused => {
                Problem::new(422, "idempotency-key-reused", "Idempotency-Key reused", detail)
                    .with_field("Idempotency-Key")
            }
            BookingError::Contended => {
                Problem { retry_after: Some(1), ..Problem::new(409, "calendar-busy", "The calendar is busy", detail) }
            }
            BookingError::Store(err) => err.into(),
        }
    }
}

impl From<DirectoryError> for Problem {
    fn from(err: DirectoryError) -> Self {
        let detail = err.to_string();
        match err {
            DirectoryError::SlugTaken => {
                Problem::new(409, "slug-taken", "Slug already in use", detail).with_field("slug")
            }
            DirectoryError::UnknownPbx => Problem::new(422, "unknown-pbx", "Unknown PBX", detail).with_field("pbx_id"),
            DirectoryError::VersionConflict => version_conflict(detail),
            DirectoryError::Store(err) => err.into(),
        }
    }
}

fn version_conflict(detail: String) -> Problem {
    Problem::new(409, "version-conflict", "Changed meanwhile", detail)
}

impl From<ChangeRefusal> for Problem {
    fn from(refusal: ChangeRefusal) -> Self {
        let detail = refusal.to_string();
        match refusal {
            ChangeRefusal::Cancelled => Problem::new(409, "meeting-cancelled", "The meeting was cancelled", detail),
            ChangeRefusal::Started => Problem::new(409, "meeting-started", "The meeting has started", detail),
            ChangeRefusal::StaleVersion { .. } => version_conflict(detail).with_field("version"),
        }
    }
}

impl From<ChangeError> for Problem {
    fn from(err: ChangeError) -> Self {
        match err {
            ChangeError::VersionConflict => version_conflict(err.to_string()),
            ChangeError::SlotTaken => slot_taken(),
            ChangeError::Store(err) => err.into(),
        }
    }
}

impl From<AssignRefusal> for Problem {
    fn from(refusal: AssignRefusal) -> Self {
        let detail = refusal.to_string();
        let (kind, title, field) = match refusal {
            AssignRefusal::UnknownService => ("unknown-service", "Unknown service", "service_id"),
            AssignRefusal::NotAMember => ("not-a-member", "Not a member of the service", "agent_id"),
            AssignRefusal::DynamicMember => ("dynamic-member", "Dynamic members cannot be assignees", "agent_id"),
            AssignRefusal::OtherPbx => ("other-pbx", "The agent is on another PBX", "agent_id"),
            AssignRefusal::NoService => ("no-service", "No service to assign through", "service_id"),
        };
        Problem::new(422, kind, title, detail).with_field(field)
    }
}

impl From<ServiceError> for Problem {
    fn from(err: ServiceError) -> Self {
        let detail = err.to_string();
        match err {
            ServiceError::UnknownPbx => Problem::new(422, "unknown-pbx", "Unknown PBX", detail).with_field("pbx_id"),
            ServiceError::UnknownService => Problem::not_found("service"),
            ServiceError::UnknownAgent => Problem::not_found("agent in this service or tenant"),
            ServiceError::Conflict => version_conflict(detail),
            ServiceError::Store(err) => err.into(),
        }
    }
}

//! RFC 9457 problem details: every refusal the API makes, in one place, each with a stable `type`.

use serde_json::json;

use super::Response;
use crate::app::assign::AssignError;
use crate::app::book::BookError;
use crate::app::change::ChangeError;
use crate::app::confirm::ConfirmError;
use crate::app::guest::GuestError;
use crate::domain::assignment::AssignRefusal;
use crate::domain::meeting_change::ChangeRefusal;
use crate::domain::places::PlaceKind;
use crate::domain::slots::Refusal;
use crate::domain::validation::FieldError;
use crate::store::{DirectoryError, ServiceError, StoreError};

/// Declares the problem kinds: the one list of what a `type` can be (`openapi.yaml` lists the
/// same set, and a test holds it to this).
macro_rules! problem_kinds {
    ($($kind:ident => $text:literal,)*) => {
        /// What went wrong, as the stable part of a problem's `type`: `/problems/<kind>`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum ProblemKind {
            $($kind,)*
        }

        impl ProblemKind {
            pub const ALL: &'static [ProblemKind] = &[$(ProblemKind::$kind,)*];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ProblemKind::$kind => $text,)*
                }
            }
        }
    };
}

problem_kinds! {
    MalformedRequest => "malformed-request",
    InvalidField => "invalid-field",
    Unauthorized => "unauthorized",
    Forbidden => "forbidden",
    NotFound => "not-found",
    MethodNotAllowed => "method-not-allowed",
    PayloadTooLarge => "payload-too-large",
    UnsupportedMediaType => "unsupported-media-type",
    Conflict => "conflict",
    VersionConflict => "version-conflict",
    SlugTaken => "slug-taken",
    SlotTaken => "slot-taken",
    CalendarBusy => "calendar-busy",
    MeetingCancelled => "meeting-cancelled",
    MeetingStarted => "meeting-started",
    DurationNotAllowed => "duration-not-allowed",
    TooSoon => "too-soon",
    BeyondBookingWindow => "beyond-booking-window",
    OutsideBookingDates => "outside-booking-dates",
    OutsideWorkingHours => "outside-working-hours",
    GuestCapReached => "guest-cap-reached",
    IdempotencyKeyReused => "idempotency-key-reused",
    UnknownPbx => "unknown-pbx",
    UnknownAgent => "unknown-agent",
    UnknownService => "unknown-service",
    NotAMember => "not-a-member",
    DynamicMember => "dynamic-member",
    OtherPbx => "other-pbx",
    NoService => "no-service",
    TooManyHolds => "too-many-holds",
    TooManyCodes => "too-many-codes",
    TooManyBookings => "too-many-bookings",
    PageBusy => "page-busy",
    UnverifiedCapReached => "unverified-cap-reached",
    TooManyChanges => "too-many-changes",
    TooManyMessages => "too-many-messages",
    TooManyAdminKeys => "too-many-admin-keys",
    LastAdminKey => "last-admin-key",
    AgentInactive => "agent-inactive",
    NotEmpty => "not-empty",
    TenantBusy => "tenant-busy",
    TooManyEndpoints => "too-many-endpoints",
    HoldExpired => "hold-expired",
    AlreadyConfirmed => "already-confirmed",
    CodeIncorrect => "code-incorrect",
    CodeExpired => "code-expired",
    ConversationBusy => "conversation-busy",
    StoreThrottled => "store-throttled",
    StoreUnavailable => "store-unavailable",
    DeadlineExceeded => "deadline-exceeded",
    Internal => "internal",
}

/// A refusal on its way to the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub status: u16,
    pub kind: ProblemKind,
    pub title: &'static str,
    pub detail: String,
    /// The offending request field (a JSON path, a query parameter or a header), when there is one.
    pub field: Option<String>,
    pub retry_after: Option<u32>,
}

impl Problem {
    pub fn new(status: u16, kind: ProblemKind, title: &'static str, detail: impl Into<String>) -> Self {
        Self { status, kind, title, detail: detail.into(), field: None, retry_after: None }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn retry_after(mut self, seconds: u32) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    pub fn type_uri(&self) -> String {
        format!("/problems/{}", self.kind.as_str())
    }

    pub fn malformed(detail: impl Into<String>) -> Self {
        Self::new(400, ProblemKind::MalformedRequest, "The request could not be read", detail)
    }

    pub fn invalid(field: &str, detail: impl Into<String>) -> Self {
        Self::new(400, ProblemKind::InvalidField, "A field has an invalid value", detail).with_field(field)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(401, ProblemKind::Unauthorized, "Credentials are missing or not valid", detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(403, ProblemKind::Forbidden, "These credentials do not allow this", detail)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(404, ProblemKind::NotFound, "Not found", format!("no such {what}"))
    }

    pub fn unknown_agent() -> Self {
        Self::new(422, ProblemKind::UnknownAgent, "Unknown agent", "no such agent in this tenant")
            .with_field("agent_id")
    }

    /// The request ran out of time (a dependency stalled). Anything it wrote stays written: a
    /// retry with the same `Idempotency-Key` returns what the first try did.
    pub fn deadline_exceeded() -> Self {
        Self::new(
            503,
            ProblemKind::DeadlineExceeded,
            "The request took too long",
            "a dependency is slow; retry shortly",
        )
        .retry_after(2)
    }

    fn version_conflict(detail: String) -> Self {
        Self::new(409, ProblemKind::VersionConflict, "Changed meanwhile", detail)
    }

    fn slot_taken() -> Self {
        Self::new(
            409,
            ProblemKind::SlotTaken,
            "That slot was just taken",
            "another meeting holds this time; pick another slot",
        )
        .with_field("start")
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
                Problem::new(409, ProblemKind::Conflict, "The request conflicts with the current state", what)
            }
            StoreError::Throttled => {
                crate::alarms::count(crate::alarms::Count::StoreErrors);
                Problem::new(503, ProblemKind::StoreThrottled, "The database is busy", "retry in a moment")
                    .retry_after(1)
            }
            StoreError::Unavailable(detail) => {
                tracing::error!(%detail, "store unavailable");
                crate::alarms::count(crate::alarms::Count::StoreErrors);
                Problem::new(
                    503,
                    ProblemKind::StoreUnavailable,
                    "The database is unavailable",
                    "the request could not be completed; retry later",
                )
                .retry_after(5)
            }
            StoreError::Corrupt(detail) => {
                tracing::error!(%detail, "corrupt item");
                Problem::new(500, ProblemKind::Internal, "Internal error", "a stored record could not be read")
            }
        }
    }
}

impl From<crate::signing::SigningError> for Problem {
    fn from(err: crate::signing::SigningError) -> Self {
        tracing::error!(%err, "signing key unavailable");
        Problem::new(503, ProblemKind::StoreUnavailable, "A dependency is unavailable", "retry later").retry_after(5)
    }
}

impl From<Refusal> for Problem {
    fn from(refusal: Refusal) -> Self {
        let detail = refusal.to_string();
        let (kind, title, field) = match refusal {
            Refusal::DurationNotAllowed { .. } => {
                (ProblemKind::DurationNotAllowed, "That duration is not offered", "duration")
            }
            Refusal::TooSoon { .. } => (ProblemKind::TooSoon, "Too little notice", "start"),
            Refusal::BeyondWindow { .. } => (ProblemKind::BeyondBookingWindow, "Too far ahead", "start"),
            Refusal::OutsideBookingDates => (ProblemKind::OutsideBookingDates, "Outside this link's dates", "start"),
            Refusal::OutsideWorkingHours => (ProblemKind::OutsideWorkingHours, "Not one of the agent's slots", "start"),
            Refusal::SlotTaken => return Problem::slot_taken(),
        };
        Problem::new(422, kind, title, detail).with_field(field)
    }
}

impl From<BookError> for Problem {
    fn from(err: BookError) -> Self {
        let detail = err.to_string();
        match err {
            BookError::Refused(refusal) => refusal.into(),
            BookError::SlotTaken => Problem::slot_taken(),
            BookError::GuestCapReached { .. } => Problem::new(
                422,
                ProblemKind::GuestCapReached,
                "Too many scheduled meetings with this agent",
                format!("{detail}; another can be booked once one has passed or been cancelled"),
            )
            .with_field("email"),
            BookError::IdempotencyKeyReused => {
                Problem::new(422, ProblemKind::IdempotencyKeyReused, "Idempotency-Key reused", detail)
                    .with_field("Idempotency-Key")
            }
            BookError::Contended => {
                Problem::new(409, ProblemKind::CalendarBusy, "The calendar is busy", detail).retry_after(1)
            }
            BookError::LimitReached(kind) => limit_reached(kind),
            BookError::TenantBusy => Problem::new(
                429,
                ProblemKind::TenantBusy,
                "Too many bookings right now",
                "this organisation takes no more bookings this minute; try again in a minute",
            )
            .retry_after(60),
            BookError::HoldGone => hold_expired(detail),
            BookError::KeyUsed => Problem::new(409, ProblemKind::Conflict, "The request conflicts", detail),
            BookError::Store(err) => err.into(),
        }
    }
}

/// G5: a limit on holds, codes or bookings, with how long until a place frees up.
pub(crate) fn limit_reached(kind: PlaceKind) -> Problem {
    let (problem, title, detail, wait) = match kind {
        PlaceKind::OpenHold => (
            ProblemKind::TooManyHolds,
            "Too many bookings waiting for their code",
            "this address already has bookings waiting for their code; confirm them, or wait for them to expire",
            600,
        ),
        PlaceKind::PageHold => (
            ProblemKind::PageBusy,
            "Too many bookings waiting from here",
            "you have too many bookings on this page waiting for their code; confirm one, sign in, or wait a few minutes",
            600,
        ),
        PlaceKind::CodeSent => (
            ProblemKind::TooManyCodes,
            "Too many codes for this address",
            "this address was sent its codes for the hour; each of those emails has a link that signs you in without the code",
            3600,
        ),
        PlaceKind::CodeSentByClient => (
            ProblemKind::TooManyCodes,
            "Too many codes asked for from here",
            "too many codes were asked for from this network in the last hour; try again later",
            3600,
        ),
        PlaceKind::AdminKey => {
            return Problem::new(
                409,
                ProblemKind::TooManyAdminKeys,
                "Five admin keys already",
                "a tenant has at most five admin keys; revoke one first",
            )
        }
        PlaceKind::UnverifiedMeeting => {
            return Problem::new(
                422,
                ProblemKind::UnverifiedCapReached,
                "Too many unconfirmed meetings",
                "this network already has the most unconfirmed meetings allowed with this agent; sign in to book more",
            )
        }
        PlaceKind::BookingMade | PlaceKind::GuestMeeting => (
            ProblemKind::TooManyBookings,
            "Too many bookings from this address",
            "this address made its bookings for the hour; try again later",
            3600,
        ),
    };
    Problem::new(429, problem, title, detail).retry_after(wait)
}

fn hold_expired(detail: String) -> Problem {
    Problem::new(410, ProblemKind::HoldExpired, "The hold has expired", detail)
}

impl From<ConfirmError> for Problem {
    fn from(err: ConfirmError) -> Self {
        let detail = err.to_string();
        match err {
            ConfirmError::NotFound => Problem::not_found("hold"),
            ConfirmError::AlreadyConfirmed => {
                Problem::new(409, ProblemKind::AlreadyConfirmed, "Already confirmed", detail)
            }
            ConfirmError::Gone | ConfirmError::Dropped => hold_expired(detail),
            ConfirmError::WrongCode { .. } => code_incorrect(detail),
            ConfirmError::Booking(err) => err.into(),
            ConfirmError::Store(err) => err.into(),
            ConfirmError::Signing(err) => err.into(),
        }
    }
}

impl From<GuestError> for Problem {
    fn from(err: GuestError) -> Self {
        let detail = err.to_string();
        match err {
            GuestError::NotFound => Problem::not_found("sign-in"),
            GuestError::WrongCode { .. } => code_incorrect(detail),
            GuestError::Gone => Problem::new(410, ProblemKind::CodeExpired, "The code has expired", detail),
            GuestError::TooManyCodes(kind) => limit_reached(kind),
            GuestError::Store(err) => err.into(),
        }
    }
}

/// A code that is not the one emailed (G2), with how many tries are left in `detail`.
fn code_incorrect(detail: String) -> Problem {
    Problem::new(422, ProblemKind::CodeIncorrect, "That code is not right", detail).with_field("code")
}

impl From<DirectoryError> for Problem {
    fn from(err: DirectoryError) -> Self {
        let detail = err.to_string();
        match err {
            DirectoryError::SlugTaken => {
                Problem::new(409, ProblemKind::SlugTaken, "Slug already in use", detail).with_field("slug")
            }
            DirectoryError::UnknownPbx => {
                Problem::new(422, ProblemKind::UnknownPbx, "Unknown PBX", detail).with_field("pbx_id")
            }
            DirectoryError::VersionConflict => Problem::version_conflict(detail),
            DirectoryError::Store(err) => err.into(),
        }
    }
}

impl From<crate::app::offboard::OffboardError> for Problem {
    fn from(err: crate::app::offboard::OffboardError) -> Self {
        use crate::app::offboard::OffboardError;
        match err {
            OffboardError::NotFound => Problem::not_found("agent"),
            OffboardError::Directory(err) => err.into(),
            OffboardError::Store(err) => err.into(),
        }
    }
}

impl From<ChangeRefusal> for Problem {
    fn from(refusal: ChangeRefusal) -> Self {
        let detail = refusal.to_string();
        match refusal {
            ChangeRefusal::Cancelled => {
                Problem::new(409, ProblemKind::MeetingCancelled, "The meeting was cancelled", detail)
            }
            ChangeRefusal::Started => Problem::new(409, ProblemKind::MeetingStarted, "The meeting has started", detail),
            ChangeRefusal::StaleVersion { .. } => Problem::version_conflict(detail).with_field("version"),
            ChangeRefusal::TooManyChanges { wait_seconds, .. } => {
                Problem::new(429, ProblemKind::TooManyChanges, "Too many changes today", detail)
                    .retry_after(wait_seconds)
            }
        }
    }
}

impl From<ChangeError> for Problem {
    fn from(err: ChangeError) -> Self {
        match err {
            ChangeError::NotChangeable(refusal) => refusal.into(),
            ChangeError::Refused(refusal) => refusal.into(),
            ChangeError::VersionConflict => Problem::version_conflict(err.to_string()),
            // Too large: only a move to another host comes to that, and then that host cannot take it.
            ChangeError::SlotTaken | ChangeError::TooLarge => Problem::slot_taken(),
            ChangeError::ConversationMoved => Problem::version_conflict(err.to_string()),
            ChangeError::AgentGone => Problem::not_found("meeting"),
            ChangeError::Store(err) => err.into(),
        }
    }
}

impl From<AssignRefusal> for Problem {
    fn from(refusal: AssignRefusal) -> Self {
        let detail = refusal.to_string();
        let (kind, title, field) = match refusal {
            AssignRefusal::UnknownService => (ProblemKind::UnknownService, "Unknown service", "service_id"),
            AssignRefusal::NotAMember => (ProblemKind::NotAMember, "Not a member of the service", "agent_id"),
            AssignRefusal::DynamicMember => {
                (ProblemKind::DynamicMember, "Dynamic members cannot be assignees", "agent_id")
            }
            AssignRefusal::OtherPbx => (ProblemKind::OtherPbx, "The agent is on another PBX", "agent_id"),
            AssignRefusal::NoService => (ProblemKind::NoService, "No service to assign through", "service_id"),
        };
        Problem::new(422, kind, title, detail).with_field(field)
    }
}

impl From<AssignError> for Problem {
    fn from(err: AssignError) -> Self {
        match err {
            AssignError::NotFound => Problem::not_found("conversation"),
            AssignError::UnknownAgent => Problem::unknown_agent(),
            AssignError::Refused(refusal) => refusal.into(),
            AssignError::Store(err) => err.into(),
        }
    }
}

impl From<crate::app::talk::TalkError> for Problem {
    fn from(err: crate::app::talk::TalkError) -> Self {
        use crate::app::talk::TalkError;
        let detail = err.to_string();
        match err {
            TalkError::NotAMember => Problem::forbidden(detail),
            TalkError::Gone => Problem::not_found("conversation"),
            TalkError::TooMany(wait) => {
                Problem::new(429, ProblemKind::TooManyMessages, "Too many messages", detail).retry_after(wait)
            }
            TalkError::KeyReused => {
                Problem::new(422, ProblemKind::IdempotencyKeyReused, "Idempotency-Key reused", detail)
                    .with_field("Idempotency-Key")
            }
            TalkError::Busy => {
                Problem::new(503, ProblemKind::ConversationBusy, "The conversation is busy", detail).retry_after(1)
            }
            TalkError::Store(err) => err.into(),
        }
    }
}

impl From<ServiceError> for Problem {
    fn from(err: ServiceError) -> Self {
        let detail = err.to_string();
        match err {
            ServiceError::UnknownPbx => {
                Problem::new(422, ProblemKind::UnknownPbx, "Unknown PBX", detail).with_field("pbx_id")
            }
            ServiceError::UnknownService => Problem::not_found("service"),
            ServiceError::UnknownAgent => Problem::not_found("agent in this service or tenant"),
            ServiceError::Conflict => Problem::version_conflict(detail),
            ServiceError::SlugTaken => {
                Problem::new(409, ProblemKind::SlugTaken, "Slug already in use", detail).with_field("slug")
            }
            ServiceError::Store(err) => err.into(),
        }
    }
}

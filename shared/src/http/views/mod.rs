//! What the API returns for each record: the wire shapes, kept apart from the stored ones so a
//! storage change never leaks into the contract (and no hash ever reaches a response).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::assignment::{MemberKind, Service};
use crate::domain::directory::{Agent, AgentRole, BookingPage, Pbx, Tenant};
use crate::domain::meeting::{BookedBy, Meeting, MeetingStatus};
use crate::domain::time::{render_local, render_utc};
use crate::store::Credential;

#[derive(Serialize)]
pub struct AgentView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub pbx_id: &'a str,
    pub slug: &'a str,
    pub time_zone: &'a str,
    pub role: AgentRole,
    pub active: bool,
    /// The language of the agent's emails (L1).
    pub language: crate::i18n::Lang,
    /// The hour the agent's API token was last used (`YYYY-MM-DDTHH`), when known (T4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_last_used: Option<&'a str>,
    pub created_at: String,
}

impl<'a> AgentView<'a> {
    pub fn new(a: &'a Agent, token_last_used: Option<&'a str>) -> Self {
        Self {
            id: &a.id,
            name: &a.name,
            email: &a.email,
            pbx_id: &a.pbx_id,
            slug: &a.slug,
            time_zone: a.availability.time_zone.name(),
            role: a.role,
            active: a.active,
            language: a.language,
            token_last_used,
            created_at: render_utc(a.created_at),
        }
    }
}

/// An offboarding's report (T5): what became of each meeting.
#[derive(Serialize)]
pub struct OffboardingView<'a> {
    pub agent_id: &'a str,
    pub agent_name: &'a str,
    pub meetings: &'a str,
    pub done: bool,
    pub services_left: Vec<&'a str>,
    pub conversations_requeued: u32,
    pub outcomes: Vec<serde_json::Value>,
}

impl<'a> From<&'a crate::app::offboard::Report> for OffboardingView<'a> {
    fn from(r: &'a crate::app::offboard::Report) -> Self {
        use crate::store::Outcome;
        let outcomes = r
            .record
            .outcomes
            .iter()
            .map(|(id, outcome)| match outcome {
                Outcome::HandedOver { start, to_agent_id, to_name } => serde_json::json!({
                    "meeting_id": id, "start": render_utc(*start), "outcome": "handed_over",
                    "to": { "agent_id": to_agent_id, "name": to_name },
                }),
                Outcome::Cancelled { start, reason } => serde_json::json!({
                    "meeting_id": id, "start": render_utc(*start), "outcome": "cancelled", "reason": reason,
                }),
            })
            .collect();
        Self {
            agent_id: &r.record.agent_id,
            agent_name: &r.agent_name,
            meetings: match r.record.disposal {
                crate::store::Disposal::HandOver => "hand_over",
                crate::store::Disposal::Cancel => "cancel",
            },
            done: r.done,
            services_left: r.record.services.iter().map(|s| s.name.as_str()).collect(),
            conversations_requeued: r.record.requeued,
            outcomes,
        }
    }
}

/// An admin key as listed: never its secret or hash.
#[derive(Serialize)]
pub struct AdminKeyView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub created_at: String,
    /// The hour it was last used (`YYYY-MM-DDTHH`), if it has been (T4).
    pub last_used: Option<&'a str>,
}

impl<'a> From<&'a Credential> for AdminKeyView<'a> {
    fn from(k: &'a Credential) -> Self {
        Self { id: &k.id, name: &k.name, created_at: render_utc(k.created_at), last_used: k.last_used.as_deref() }
    }
}

impl<'a> AdminKeyView<'a> {
    /// The first key of a tenant made before named keys: its id is the tenant's own.
    pub fn first_of_before(tenant: &'a Tenant) -> Self {
        Self { id: &tenant.id, name: "first key", created_at: render_utc(tenant.created_at), last_used: None }
    }
}

#[derive(Serialize)]
pub struct PbxView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub created_at: String,
}

impl<'a> From<&'a Pbx> for PbxView<'a> {
    fn from(p: &'a Pbx) -> Self {
        Self { id: &p.id, name: &p.name, created_at: render_utc(p.created_at) }
    }
}

/// The public face of a booking page: enough to draw a calendar, nothing private.
#[derive(Serialize)]
pub struct BookingPageView<'a> {
    /// The tenant the page belongs to: a guest session is one tenant's (pages keep one per tenant).
    pub tenant_id: &'a str,
    pub slug: &'a str,
    /// `agent` (an agent's page or link) or `service` (S9: booked with whichever member is free).
    pub kind: &'static str,
    /// Whom the page books: the agent's name, or the service's (no agent is named until booked).
    pub agent_name: &'a str,
    pub time_zone: &'a str,
    pub durations: &'a [u16],
    pub default_duration: u16,
    pub slot_step: u16,
    pub minimum_notice: u32,
    pub booking_window_days: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_date: Option<NaiveDate>,
    /// The server's clock: pages start their calendar from it, not from the browser's.
    pub now: String,
}

impl<'a> BookingPageView<'a> {
    pub fn new(p: &'a BookingPage, now: DateTime<Utc>) -> Self {
        let a = &p.availability;
        Self {
            tenant_id: &p.tenant_id,
            slug: &p.slug,
            kind: "agent",
            agent_name: &p.agent_name,
            time_zone: a.time_zone.name(),
            durations: p.limits.durations.as_deref().unwrap_or(&a.durations),
            default_duration: p.default_duration(),
            slot_step: a.slot_step,
            minimum_notice: a.minimum_notice,
            booking_window_days: a.booking_window_days,
            first_date: p.limits.first_date,
            last_date: p.limits.last_date,
            // To the millisecond: the page's countdowns follow this clock (see `common.js`).
            now: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        }
    }
}

impl<'a> BookingPageView<'a> {
    /// A service's page (S9): its members' own rules decide each slot, so the page says only the
    /// outer bounds (the shortest step, no notice, the longest window); the slots are the truth.
    pub fn of_service(p: &'a crate::domain::service_page::ServicePage, now: DateTime<Utc>) -> Self {
        Self {
            tenant_id: &p.tenant_id,
            slug: &p.slug,
            kind: "service",
            agent_name: &p.service_name,
            time_zone: "UTC",
            durations: &p.durations,
            default_duration: p.durations.first().copied().unwrap_or(30),
            slot_step: 5,
            minimum_notice: 0,
            booking_window_days: crate::domain::availability::MAX_BOOKING_WINDOW_DAYS,
            first_date: None,
            last_date: None,
            now: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        }
    }
}

/// An instant in UTC, plus its rendering on a viewer's wall clock when a zone is known (A7).
#[derive(Serialize)]
pub struct SlotView {
    pub start: String,
    pub end: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_end: Option<String>,
    /// The zone `local_start` and `local_end` are in: a time is never shown without its zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_time_zone: Option<&'static str>,
}

impl SlotView {
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>, zone: Option<Tz>) -> Self {
        Self {
            start: render_utc(start),
            end: render_utc(end),
            local_start: zone.map(|z| render_local(z, start)),
            local_end: zone.map(|z| render_local(z, end)),
            local_time_zone: zone.map(|z| z.name()),
        }
    }
}

#[derive(Serialize)]
pub struct GuestView<'a> {
    pub name: &'a str,
    pub email: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<&'a str>,
}

#[derive(Serialize)]
pub struct MeetingView<'a> {
    pub id: &'a str,
    pub agent_id: &'a str,
    pub conversation_id: &'a str,
    pub booking_slug: &'a str,
    pub status: MeetingStatus,
    pub subject: &'a str,
    pub duration: u16,
    #[serde(flatten)]
    pub time: SlotView,
    pub guest: GuestView<'a>,
    pub additional_members: &'a [String],
    pub booked_by: BookedBy,
    /// Whether the guest proved the address (or the agent booked it): G4.
    pub verified: bool,
    pub created_at: String,
    pub version: u64,
    /// Booked through a service's page (S10): which service and why this host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<&'a crate::domain::meeting::HostChoice>,
}

impl<'a> From<&'a Meeting> for MeetingView<'a> {
    /// As the guest sees it: local times in the guest's zone, when they gave one.
    fn from(m: &'a Meeting) -> Self {
        Self::seen_in(m, m.guest.time_zone)
    }
}

impl<'a> MeetingView<'a> {
    /// As someone in `zone` sees it (an agent: their own zone).
    pub fn seen_in(m: &'a Meeting, zone: Option<Tz>) -> Self {
        Self {
            id: &m.id,
            agent_id: &m.agent_id,
            conversation_id: &m.conversation_id,
            booking_slug: &m.booking_slug,
            status: m.status,
            subject: &m.subject,
            duration: m.duration,
            time: SlotView::new(m.start, m.end, zone),
            guest: GuestView {
                name: &m.guest.name,
                email: &m.guest.email,
                time_zone: m.guest.time_zone.map(|z| z.name()),
            },
            additional_members: &m.additional_members,
            booked_by: m.booked_by,
            verified: m.verified,
            created_at: render_utc(m.created_at),
            version: m.version,
            host: m.host.as_ref(),
        }
    }
}

#[derive(Serialize)]
pub struct ServiceView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub pbx_id: &'a str,
    pub members: Vec<ServiceMemberView<'a>>,
    /// Its own booking page's slug (S9), when it has one.
    pub slug: Option<&'a str>,
    pub bookable: bool,
    pub durations: &'a [u16],
    pub created_at: String,
}

#[derive(Serialize)]
pub struct ServiceMemberView<'a> {
    pub agent_id: &'a str,
    pub kind: MemberKind,
    /// S10: higher goes first.
    pub priority: i32,
}

impl<'a> From<&'a Service> for ServiceView<'a> {
    fn from(s: &'a Service) -> Self {
        Self {
            id: &s.id,
            name: &s.name,
            pbx_id: &s.pbx_id,
            members: s
                .members
                .iter()
                .map(|(agent_id, kind)| ServiceMemberView { agent_id, kind: *kind, priority: s.priority(agent_id) })
                .collect(),
            slug: s.slug.as_deref(),
            bookable: s.bookable,
            durations: &s.durations,
            created_at: render_utc(s.created_at),
        }
    }
}

mod conversation;
pub use conversation::{ConversationSummary, ConversationView, InboxEntryView, MessageView};

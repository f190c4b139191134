//! Who is who: tenants, their sites (PBXs), agents, and the public booking page a slug opens.

use crate::i18n::Lang;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::availability::Availability;
use super::identity::Verification;
use super::notification::{AgentContact, Recipient, Role};
use super::slots::{BookableDates, SlotRules};
use super::validation::FieldError;

/// A customer organisation, the unit of isolation and of billing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tenant {
    pub id: String,
    pub name: String,
    /// What new agents start with as their per-guest cap (B2); "the later product uses 10".
    pub max_meetings_per_guest: u16,
    /// What new agents start with as their guest verification (G1).
    #[serde(default)]
    pub guest_verification: Verification,
    /// T7: past meetings and their conversations are erased this many days after they end;
    /// `None` keeps them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u16>,
    pub created_at: DateTime<Utc>,
    /// Its guests' bookings a minute (the operator's setting; the deployment's default when
    /// none): what one tenant's campaign may take, whatever the others do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bookings_per_minute: Option<u32>,
    /// The language of its guests whose browser names none of ours (L1).
    #[serde(default)]
    pub default_language: Lang,
}

/// T7: the shortest retention a tenant may set.
pub const MIN_RETENTION_DAYS: u16 = 30;

/// What an agent may do beyond their own work: an `admin` also runs the tenant (AC3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentRole {
    #[default]
    Agent,
    Admin,
}

fn active_by_default() -> bool {
    true
}

/// A site; agents and services belong to exactly one (S1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pbx {
    pub id: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    pub id: String,
    pub name: String,
    pub email: String,
    pub pbx_id: String,
    /// The agent's own public booking slug.
    pub slug: String,
    pub availability: Availability,
    /// Extra booking links with their own date limits and durations (A5).
    #[serde(default)]
    pub links: Vec<BookingLink>,
    /// Connected calendars whose busy time hides slots (A3).
    #[serde(default)]
    pub calendars: Vec<ConnectedCalendar>,
    pub created_at: DateTime<Utc>,
    /// Optimistic-concurrency version of the profile and settings.
    pub version: u64,
    /// T5: a deactivated agent's every credential is refused and their pages answer 404.
    #[serde(default = "active_by_default")]
    pub active: bool,
    #[serde(default)]
    pub role: AgentRole,
    /// T4: console sessions opened before this are refused (the admin ended them all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions_after: Option<DateTime<Utc>>,
    /// The language the agent's emails are written in (L1).
    #[serde(default)]
    pub language: Lang,
}

/// An iCalendar feed an agent connected (its private address); `id` names its cache.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectedCalendar {
    pub id: String,
    pub url: String,
}

pub const MAX_CALENDARS: usize = 5;

/// At most this many booking links per agent, which bounds the transaction that refreshes them.
pub const MAX_BOOKING_LINKS: usize = 20;

/// What a booking link limits (A5): dates on the agent's wall clock, and durations. `None` leaves
/// that side to the agent's own settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkLimits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub durations: Option<Vec<u16>>,
}

impl LinkLimits {
    /// These limits as the agent's current settings allow: a link's durations are cut down to
    /// those the agent still offers, so a later settings change can never widen a link.
    pub fn within(&self, availability: &Availability) -> LinkLimits {
        let durations = self
            .durations
            .as_ref()
            .map(|wanted| wanted.iter().copied().filter(|d| availability.durations.contains(d)).collect::<Vec<_>>());
        LinkLimits { durations, ..self.clone() }
    }

    /// Whether these limits make a link at all for an agent with `availability`: dates in order,
    /// durations a non-empty choice among the agent's.
    pub fn check(&self, availability: &Availability) -> Result<(), FieldError> {
        if let (Some(first), Some(last)) = (self.first_date, self.last_date) {
            if last < first {
                return Err(FieldError::new("last_date", "must not be before first_date"));
            }
        }
        if let Some(durations) = &self.durations {
            if durations.is_empty() || durations.iter().any(|d| !availability.durations.contains(d)) {
                return Err(FieldError::new(
                    "durations",
                    format!("a non-empty choice among {:?}", availability.durations),
                ));
            }
        }
        Ok(())
    }

    /// The slot engine's rules for a page with these limits over `availability` (A5).
    pub fn rules<'a>(&'a self, availability: &'a Availability) -> SlotRules<'a> {
        SlotRules {
            availability,
            dates: BookableDates { first: self.first_date, last: self.last_date },
            durations: self.durations.as_deref(),
        }
    }
}

/// A booking link of an agent: its own public slug with its limits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingLink {
    pub slug: String,
    #[serde(flatten)]
    pub limits: LinkLimits,
    pub created_at: DateTime<Utc>,
}

/// What a public slug resolves to: a snapshot of the agent's name and availability plus the
/// link's own limits. It is copied onto the slug's item whenever the agent changes, so a slot
/// lookup or a booking reads one item before touching the calendar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BookingPage {
    pub slug: String,
    pub tenant_id: String,
    pub agent_id: String,
    pub agent_name: String,
    /// Where the agent's copies of notifications go.
    pub agent_email: String,
    /// The agent's site: conversations opened through this page are handled there.
    pub agent_pbx_id: String,
    pub availability: Availability,
    /// The link's limits; none for the agent's own page.
    #[serde(flatten)]
    pub limits: LinkLimits,
    /// The agent's connected calendars; empty means no read of feed caches is needed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calendars: Vec<ConnectedCalendar>,
    /// Whether its agent is active (T5): a deactivated agent's pages answer as if they did not exist.
    #[serde(default = "active_by_default")]
    pub active: bool,
    /// A service's page as one member hosts a booking through it (S9–S11); none for an agent's
    /// own page or link. Never stored at a slug: a service's slug holds its `ServicePage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<super::service_page::ServiceRef>,
    /// The agent's language (L1), for the agent's copies of what is booked here.
    #[serde(default)]
    pub agent_language: Lang,
}

impl Agent {
    /// The agent with one more booking link (at most [`MAX_BOOKING_LINKS`]), its version advanced.
    pub fn with_link(&self, link: BookingLink) -> Result<Agent, FieldError> {
        if self.links.len() >= MAX_BOOKING_LINKS {
            return Err(FieldError::new("slug", format!("at most {MAX_BOOKING_LINKS} booking links per agent")));
        }
        link.limits.check(&self.availability)?;
        let mut after = self.clone();
        after.links.push(link);
        after.version += 1;
        Ok(after)
    }

    /// The agent with one of its links given new limits (T6), its version advanced.
    pub fn with_changed_link(&self, link: BookingLink) -> Result<Agent, FieldError> {
        link.limits.check(&self.availability)?;
        let mut after = self.clone();
        let slot = after
            .links
            .iter_mut()
            .find(|l| l.slug == link.slug)
            .ok_or_else(|| FieldError::new("slug", "no such link"))?;
        *slot = link;
        after.version += 1;
        Ok(after)
    }

    /// The agent without one of its links (T6), its version advanced; `None` when it has none such.
    pub fn without_link(&self, slug: &str) -> Option<Agent> {
        let mut after = self.clone();
        let before = after.links.len();
        after.links.retain(|l| l.slug != slug);
        (after.links.len() < before).then(|| {
            after.version += 1;
            after
        })
    }

    /// A slug for a new link: the agent's own, shortened, and a random suffix.
    pub fn link_slug(&self, suffix: &str) -> String {
        format!("{}-{suffix}", self.slug.chars().take(40).collect::<String>().trim_end_matches('-'))
    }

    /// The agent as the recipient of their own emails (codes, alerts), in their zone and language.
    pub fn recipient(&self) -> Recipient {
        Recipient {
            email: self.email.clone(),
            name: Some(self.name.clone()),
            role: Role::Agent,
            time_zone: self.availability.time_zone,
            language: self.language,
        }
    }

    pub fn contact(&self) -> AgentContact {
        AgentContact {
            id: self.id.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            time_zone: self.availability.time_zone,
            language: self.language,
        }
    }
}

impl BookingPage {
    /// The agent's own page: no date limits, the agent's durations.
    pub fn for_agent(tenant_id: &str, agent: &Agent) -> Self {
        Self {
            slug: agent.slug.clone(),
            tenant_id: tenant_id.to_string(),
            agent_id: agent.id.clone(),
            agent_name: agent.name.clone(),
            agent_email: agent.email.clone(),
            agent_pbx_id: agent.pbx_id.clone(),
            availability: agent.availability.clone(),
            limits: LinkLimits::default(),
            calendars: agent.calendars.clone(),
            active: agent.active,
            service: None,
            agent_language: agent.language,
        }
    }

    /// Whose guest cap and conversation a booking through this page counts under: the
    /// service's (S11: per guest and service), else the agent's.
    pub fn owner(&self) -> &str {
        self.service.as_ref().map_or(&self.agent_id, |s| &s.id)
    }

    /// Whether the page takes guests: its agent is active (T5).
    pub fn is_open(&self) -> bool {
        self.active
    }

    /// A booking link's page: the agent's page within the link's limits. A link's durations are
    /// cut down to those the agent still offers, so a later settings change cannot widen a link.
    pub fn for_link(tenant_id: &str, agent: &Agent, link: &BookingLink) -> Self {
        Self {
            slug: link.slug.clone(),
            limits: link.limits.within(&agent.availability),
            ..Self::for_agent(tenant_id, agent)
        }
    }

    pub fn agent_contact(&self) -> AgentContact {
        AgentContact {
            id: self.agent_id.clone(),
            name: self.agent_name.clone(),
            email: self.agent_email.clone(),
            time_zone: self.availability.time_zone,
            language: self.agent_language,
        }
    }

    pub fn rules(&self) -> SlotRules<'_> {
        self.limits.rules(&self.availability)
    }

    pub fn default_duration(&self) -> u16 {
        let durations = self.rules().allowed_durations().to_vec();
        if durations.contains(&self.availability.default_duration) {
            self.availability.default_duration
        } else {
            durations.first().copied().unwrap_or(self.availability.default_duration)
        }
    }
}

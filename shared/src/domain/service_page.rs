//! A service's own booking page (S9–S11): what its public slug resolves to, and the page of the
//! member who hosts one booking through it. The members' hours, calendars and meetings are read
//! when slots are looked up; the page holds who they are and their priorities, copied onto the
//! slug's item whenever the service changes.

use serde::{Deserialize, Serialize};

use super::assignment::Service;
use super::directory::{Agent, BookingPage, LinkLimits};
use super::hosts::HostReason;

/// What a service's slug resolves to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePage {
    pub slug: String,
    pub tenant_id: String,
    pub service_id: String,
    pub service_name: String,
    pub pbx_id: String,
    pub durations: Vec<u16>,
    /// Its static members with their priorities (S10); only the active ones on its PBX host.
    pub members: Vec<PageMember>,
    /// Whether guests may book it (the admin's switch).
    pub bookable: bool,
    /// The service's revision it copies (a copy only ever replaces an older one).
    #[serde(default)]
    pub revision: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageMember {
    pub agent_id: String,
    pub priority: i32,
}

/// Which service a booking went through, on the page of its host, and why that host (S10).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRef {
    pub id: String,
    pub name: String,
    pub reason: HostReason,
}

/// The most members one service page reads (the bounded fan-out of a lookup).
pub const MAX_SERVICE_HOSTS: usize = 100;

impl ServicePage {
    /// The page of a service with a slug.
    pub fn of(tenant_id: &str, service: &Service) -> Option<Self> {
        let slug = service.slug.clone()?;
        Some(Self {
            slug,
            tenant_id: tenant_id.to_string(),
            service_id: service.id.clone(),
            service_name: service.name.clone(),
            pbx_id: service.pbx_id.clone(),
            durations: service.durations.clone(),
            members: service
                .hosts()
                .take(MAX_SERVICE_HOSTS)
                .map(|id| PageMember { agent_id: id.to_string(), priority: service.priority(id) })
                .collect(),
            bookable: service.bookable,
            revision: service.revision,
        })
    }

    pub fn is_open(&self) -> bool {
        self.bookable
    }

    /// Who may host at all: active members on the service's PBX (S7, T5).
    pub fn may_host(&self, agent: &Agent) -> bool {
        agent.active && agent.pbx_id == self.pbx_id && self.members.iter().any(|m| m.agent_id == agent.id)
    }

    pub fn priority(&self, agent_id: &str) -> i32 {
        self.members.iter().find(|m| m.agent_id == agent_id).map_or(0, |m| m.priority)
    }

    /// The page one member hosts a booking through: the member's own rules and calendars, the
    /// service's slug and durations (those the member offers), the service named (S11), and why
    /// this member (S10).
    pub fn for_host(&self, host: &Agent, reason: HostReason) -> BookingPage {
        let limits = LinkLimits { durations: Some(self.durations.clone()), ..LinkLimits::default() };
        let service = ServiceRef { id: self.service_id.clone(), name: self.service_name.clone(), reason };
        BookingPage {
            slug: self.slug.clone(),
            limits: limits.within(&host.availability),
            service: Some(service),
            ..BookingPage::for_agent(&self.tenant_id, host)
        }
    }
}

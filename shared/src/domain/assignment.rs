//! Services (call groups) and conversation assignment (S1–S7).
//!
//! A service belongs to one PBX and has members, each static or dynamically added. A conversation
//! is assigned to an agent through a service: the assignee must be a static member (S5) of a
//! service of their own PBX, on the assigner's PBX (S7). With no service named, the service is
//! found from the assignee: one of their PBX's services where they are a static member, at random
//! when there are several (S2, S6, "the nearest random call group").

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::conversation::{Author, Conversation, ConversationKind, Event, Member};
use super::directory::Agent;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberKind {
    Static,
    /// Joined dynamically (logged in to the group); never an assignee (S5).
    Dynamic,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub pbx_id: String,
    /// Agent id → how they are a member.
    #[serde(default)]
    pub members: BTreeMap<String, MemberKind>,
    pub created_at: DateTime<Utc>,
    /// S9: the public slug of the service's own booking page, once the admin gives it one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Whether guests may book it through its page.
    #[serde(default)]
    pub bookable: bool,
    /// S10: members' priorities (higher first); a member not named here has 0.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub priorities: BTreeMap<String, i32>,
    /// The durations its page offers (each member must offer it too to take such a meeting).
    #[serde(default = "default_service_durations")]
    pub durations: Vec<u16>,
    /// Advanced by every change, so its page's copy is only ever replaced by a newer one.
    #[serde(default)]
    pub revision: u64,
}

fn default_service_durations() -> Vec<u16> {
    vec![30]
}

impl Service {
    /// A member's priority (S10).
    pub fn priority(&self, agent_id: &str) -> i32 {
        self.priorities.get(agent_id).copied().unwrap_or(0)
    }

    /// The static members, who host its meetings (S9).
    pub fn hosts(&self) -> impl Iterator<Item = &str> {
        self.members.iter().filter(|(_, kind)| **kind == MemberKind::Static).map(|(id, _)| id.as_str())
    }
}

/// Who a conversation is assigned to, and through which service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignee {
    pub agent_id: String,
    pub service_id: String,
    pub assigned_at: DateTime<Utc>,
    pub assigned_by: Author,
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum AssignRefusal {
    #[error("no such service in this tenant")]
    UnknownService,
    #[error("the agent is not a member of that service")]
    NotAMember,
    #[error("dynamically added agents cannot be assignees")]
    DynamicMember,
    #[error("conversations cannot be assigned to an agent of another PBX")]
    OtherPbx,
    #[error("the agent is not a static member of any service of their PBX")]
    NoService,
}

/// The service to assign a conversation of `pbx_id` through. Assigner and assignee must both be
/// on that PBX (S7). `pick(n)` chooses among `n` candidates (random in production).
pub fn choose_service<'s>(
    services: &'s [Service],
    pbx_id: &str,
    assigner: &Agent,
    assignee: &Agent,
    requested: Option<&str>,
    pick: impl FnOnce(usize) -> usize,
) -> Result<&'s Service, AssignRefusal> {
    if assignee.pbx_id != pbx_id || assigner.pbx_id != pbx_id {
        return Err(AssignRefusal::OtherPbx);
    }
    let kind_in = |service: &Service| service.members.get(&assignee.id).copied();
    match requested {
        Some(id) => {
            let service = services.iter().find(|s| s.id == id).ok_or(AssignRefusal::UnknownService)?;
            match kind_in(service) {
                None => Err(AssignRefusal::NotAMember),
                Some(MemberKind::Dynamic) => Err(AssignRefusal::DynamicMember),
                Some(MemberKind::Static) if service.pbx_id != assignee.pbx_id => Err(AssignRefusal::OtherPbx),
                Some(MemberKind::Static) => Ok(service),
            }
        }
        None => {
            let candidates: Vec<&Service> = services
                .iter()
                .filter(|s| s.pbx_id == assignee.pbx_id && kind_in(s) == Some(MemberKind::Static))
                .collect();
            if candidates.is_empty() {
                let only_dynamic = services.iter().any(|s| kind_in(s) == Some(MemberKind::Dynamic));
                return Err(if only_dynamic { AssignRefusal::DynamicMember } else { AssignRefusal::NoService });
            }
            Ok(candidates[pick(candidates.len()).min(candidates.len() - 1)])
        }
    }
}

/// What an assigner may choose from (S5–S8, for the console's lists): nothing unless they may
/// assign it; else each service of the conversation's PBX with its static members, an assignee
/// being any of them (an assigner of another PBX has nothing to choose, S7).
pub fn assignable<'s>(
    conversation: &Conversation,
    assigner: &Agent,
    services: &'s [Service],
) -> Vec<(&'s Service, Vec<&'s str>)> {
    if !may_assign(conversation, assigner, services) || assigner.pbx_id != conversation.pbx_id {
        return Vec::new();
    }
    services
        .iter()
        .filter(|s| s.pbx_id == conversation.pbx_id)
        .map(|s| (s, s.members.iter().filter(|(_, k)| **k == MemberKind::Static).map(|(id, _)| id.as_str()).collect()))
        .filter(|(_, members): &(&Service, Vec<&str>)| !members.is_empty())
        .collect()
}

/// S8: who may assign a conversation: an agent member of it, or a static member of the service it
/// belongs to: the service it is assigned to, or before its first assignment, a service of its
/// PBX that its agent is a static member of.
pub fn may_assign(conversation: &Conversation, assigner: &Agent, services: &[Service]) -> bool {
    if conversation.has_agent(&assigner.id) {
        return true;
    }
    match &conversation.assignee {
        Some(assignee) => services.iter().any(|s| s.id == assignee.service_id && static_member(s, &assigner.id)),
        None => in_service_queue(conversation, &assigner.id, services),
    }
}

/// C6: an unassigned conversation waits for the static members of its service (the one it
/// belongs to once known; before that, those of its PBX that its agent is a static member of);
/// they see it in their inbox and may read it.
pub fn in_service_queue(conversation: &Conversation, agent_id: &str, services: &[Service]) -> bool {
    if conversation.assignee.is_some() {
        return false;
    }
    match &conversation.service_id {
        Some(id) => services.iter().any(|s| s.id == *id && static_member(s, agent_id)),
        None => services
            .iter()
            .filter(|s| s.pbx_id == conversation.pbx_id && static_member(s, &conversation.agent_id))
            .any(|s| static_member(s, agent_id)),
    }
}

/// C6: the services whose queues an agent reads: those of their PBX they are a static member of.
pub fn served_by<'s>(agent: &Agent, services: &'s [Service]) -> impl Iterator<Item = &'s Service> + 's {
    let (pbx, id) = (agent.pbx_id.clone(), agent.id.clone());
    services.iter().filter(move |s| s.pbx_id == pbx && static_member(s, &id))
}

/// T6: the conversation once its service is removed: unassigned, back in its agent's own queue,
/// its agent a member again.
pub fn release(conversation: &Conversation, agent: &Agent, service: &Service) -> (Conversation, Event) {
    let mut after = conversation.clone();
    after.assignee = None;
    after.service_id = None;
    if !after.has_agent(&agent.id) {
        after.members.insert(0, Member::Agent { agent_id: agent.id.clone(), name: agent.name.clone() });
    }
    after.version += 1;
    (after, Event::ServiceRemoved { service_name: service.name.clone(), agent_name: agent.name.clone() })
}

/// T5: the conversation with its agent gone: unassigned, waiting in the queue of `service` (the
/// one it was assigned through, or one its agent served), its agent no longer a member.
pub fn requeue(conversation: &Conversation, leaving: &Agent, service: &Service) -> (Conversation, Event) {
    let mut after = conversation.clone();
    after.members.retain(|m| !matches!(m, Member::Agent { agent_id, .. } if *agent_id == leaving.id));
    after.assignee = None;
    after.service_id = Some(service.id.clone());
    after.version += 1;
    let event = Event::AgentLeft { agent_name: leaving.name.clone(), service_name: service.name.clone() };
    (after, event)
}

/// The agents whose unassigned conversations wait for `agent` (C6): the other static members of
/// the services of the agent's PBX that the agent is a static member of; at most `most`.
pub fn colleagues<'s>(agent: &Agent, services: &'s [Service], most: usize) -> Vec<&'s str> {
    let mut found: Vec<&str> = services
        .iter()
        .filter(|s| s.pbx_id == agent.pbx_id && static_member(s, &agent.id))
        .flat_map(|s| s.members.iter().filter(|(_, kind)| **kind == MemberKind::Static).map(|(id, _)| id.as_str()))
        .filter(|id| *id != agent.id)
        .collect();
    found.sort_unstable();
    found.dedup();
    found.truncate(most);
    found
}

fn static_member(service: &Service, agent_id: &str) -> bool {
    service.members.get(agent_id) == Some(&MemberKind::Static)
}

/// The conversation after assigning it to `assignee` (S3, S4): every other agent leaves, guests
/// and additional members stay, the assignee is a member, and a one-to-one becomes a group.
pub fn assign(
    conversation: &Conversation,
    assignee: &Agent,
    service: &Service,
    by: &Author,
    now: DateTime<Utc>,
) -> (Conversation, Event) {
    let mut after = conversation.clone();
    after.members.retain(|m| !matches!(m, Member::Agent { .. }));
    after.members.insert(0, Member::Agent { agent_id: assignee.id.clone(), name: assignee.name.clone() });
    after.kind = ConversationKind::Group;
    after.assignee = Some(Assignee {
        agent_id: assignee.id.clone(),
        service_id: service.id.clone(),
        assigned_at: now,
        assigned_by: by.clone(),
    });
    after.service_id = Some(service.id.clone());
    after.version += 1;
    let event = Event::Assigned {
        agent_id: assignee.id.clone(),
        agent_name: assignee.name.clone(),
        service_id: service.id.clone(),
        service_name: service.name.clone(),
    };
    (after, event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::availability::Availability;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2027-03-24T08:00:00Z").unwrap().with_timezone(&Utc)
    }

    fn agent(id: &str, pbx: &str) -> Agent {
        Agent {
            id: id.into(),
            name: format!("Agent {id}"),
            email: format!("{id}@x.io"),
            pbx_id: pbx.into(),
            slug: id.into(),
            availability: Availability::new(chrono_tz::UTC),
            links: vec![],
            calendars: vec![],
            created_at: now(),
            version: 1,
            active: true,
            role: Default::default(),
            sessions_after: None,
            language: Default::default(),
        }
    }

    fn service(id: &str, pbx: &str, members: &[(&str, MemberKind)]) -> Service {
        Service {
            id: id.into(),
            name: format!("Service {id}"),
            pbx_id: pbx.into(),
            members: members.iter().map(|(a, k)| (a.to_string(), *k)).collect(),
            created_at: now(),
            slug: None,
            bookable: false,
            priorities: Default::default(),
            durations: vec![30],
            revision: 0,
        }
    }

    #[test]
    fn the_rules_of_choosing_a_service() {
        use MemberKind::*;
        let services = vec![
            service("sales", "rome", &[("ann", Static), ("bob", Dynamic), ("zed", Static)]),
            service("support", "rome", &[("ann", Static)]),
            service("milan-desk", "milan", &[("ann", Static), ("mia", Static)]),
        ];
        let (ann, bob, mia, zed) =
            (agent("ann", "rome"), agent("bob", "rome"), agent("mia", "milan"), agent("zed", "rome"));
        let first = |_: usize| 0;
        let second = |_: usize| 1;
        assert_eq!(choose_service(&services, "rome", &ann, &ann, Some("sales"), first).unwrap().id, "sales");
        assert_eq!(choose_service(&services, "rome", &ann, &ann, None, first).unwrap().id, "sales", "S6: own PBX only");
        assert_eq!(choose_service(&services, "rome", &ann, &ann, None, second).unwrap().id, "support");
        assert_eq!(
            choose_service(&services, "rome", &ann, &zed, None, first).unwrap().id,
            "sales",
            "S2: the one service"
        );
        assert_eq!(
            choose_service(&services, "rome", &ann, &bob, Some("sales"), first),
            Err(AssignRefusal::DynamicMember)
        );
        assert_eq!(choose_service(&services, "rome", &ann, &bob, None, first), Err(AssignRefusal::DynamicMember));
        assert_eq!(choose_service(&services, "rome", &ann, &mia, None, first), Err(AssignRefusal::OtherPbx));
        assert_eq!(
            choose_service(&services, "rome", &mia, &mia, None, first),
            Err(AssignRefusal::OtherPbx),
            "not even to herself"
        );
        assert_eq!(
            choose_service(&services, "rome", &ann, &ann, Some("milan-desk"), first),
            Err(AssignRefusal::OtherPbx)
        );
        assert_eq!(
            choose_service(&services, "rome", &ann, &zed, Some("support"), first),
            Err(AssignRefusal::NotAMember)
        );
        assert_eq!(
            choose_service(&services, "rome", &ann, &ann, Some("nope"), first),
            Err(AssignRefusal::UnknownService)
        );
        assert_eq!(choose_service(&[], "rome", &ann, &ann, None, first), Err(AssignRefusal::NoService));
    }

    #[test]
    fn only_members_and_static_members_of_its_service_may_assign() {
        use MemberKind::*;
        let services = vec![
            service("sales", "rome", &[("ann", Static), ("zed", Static), ("bob", Dynamic)]),
            service("other", "rome", &[("kim", Static)]),
        ];
        let c = Conversation::open("c".into(), "rome", ("ann", "Ann"), ("g@x.io", "G"), &[], now());
        let (ann, zed, bob, kim) =
            (agent("ann", "rome"), agent("zed", "rome"), agent("bob", "rome"), agent("kim", "rome"));
        assert!(may_assign(&c, &ann, &services), "a member");
        assert!(may_assign(&c, &zed, &services), "a static member of the conversation's service");
        assert!(!may_assign(&c, &bob, &services), "a dynamic member is not");
        assert!(!may_assign(&c, &kim, &services), "nor a member of another service");
        // Assigned to zed through sales: ann is no longer a member, but still a static member of sales.
        let (after, _) = assign(&c, &zed, &services[0], &Author::agent("zed"), now());
        assert!(may_assign(&after, &ann, &services) && may_assign(&after, &zed, &services));
        assert!(!may_assign(&after, &kim, &services));
    }

    #[test]
    fn assigning_keeps_guests_and_leaves_one_agent() {
        let c = Conversation::open("c".into(), "rome", ("ann", "Ann"), ("g@x.io", "G"), &["b@x.io".into()], now());
        let zed = agent("zed", "rome");
        let (after, _) = assign(&c, &zed, &service("sales", "rome", &[]), &Author::agent("ann"), now());
        let agents: Vec<&Member> = after.members.iter().filter(|m| matches!(m, Member::Agent { .. })).collect();
        assert_eq!(agents, vec![&Member::Agent { agent_id: "zed".into(), name: "Agent zed".into() }]);
        assert!(after.has_email("g@x.io") && after.has_email("b@x.io"));
        assert_eq!(after.assignee.unwrap().agent_id, "zed");
    }
}

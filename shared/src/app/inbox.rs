//! An agent's inbox (C6): the conversations the agent is a member of and the unassigned ones of
//! the services the agent is a static member of, newest activity first, a page at a time; each
//! with its title as the agent sees it, its last message, the agent's unread count and its
//! assignee. The index is eventually consistent: each entry is checked against the conversation
//! itself before it is shown.

use super::Deps;
use crate::domain::assignment::{colleagues, in_service_queue, served_by};
use crate::domain::conversation::{Conversation, Viewer};
use crate::domain::directory::Agent;
use crate::store::{keys, Activity, StoreError};

/// Colleagues whose queues one inbox reads: a large call group's, bounded.
pub const MAX_COLLEAGUES: usize = 50;

pub struct Entry {
    pub conversation: Conversation,
    pub activity: Activity,
    /// Whether the agent is a member (else it waits in a service the agent serves).
    pub member: bool,
}

pub struct Inbox {
    pub entries: Vec<Entry>,
    /// Where the next page starts, if there is one.
    pub next: Option<String>,
}

pub async fn inbox(
    deps: &Deps,
    tenant_id: &str,
    agent: &Agent,
    before: Option<&str>,
    limit: usize,
) -> Result<Inbox, StoreError> {
    let services = deps.store.services_recent(tenant_id).await?;
    let mut partitions = vec![keys::inbox_of(tenant_id, &agent.id), keys::queue_of(tenant_id, &agent.id)];
    partitions.extend(served_by(agent, &services).map(|s| keys::service_queue(tenant_id, &s.id)));
    partitions.extend(colleagues(agent, &services, MAX_COLLEAGUES).into_iter().map(|id| keys::queue_of(tenant_id, id)));
    let page = deps.store.inbox_page(&partitions, before, limit).await?;
    let ids: Vec<&str> = page.entries.iter().map(|(_, a)| a.conversation_id.as_str()).collect();
    let conversations = deps.store.conversations(tenant_id, &ids).await?;
    let next = page.more.then(|| page.entries.last().map(|(sort, _)| sort.clone())).flatten();
    let viewer = Viewer::Agent(agent.id.clone());
    let entries = page
        .entries
        .into_iter()
        .filter_map(|(_, activity)| {
            let conversation = conversations.iter().find(|c| c.id == activity.conversation_id)?.clone();
            let member = conversation.may_post(&viewer);
            (member || in_service_queue(&conversation, &agent.id, &services)).then_some(Entry {
                conversation,
                activity,
                member,
            })
        })
        .collect();
    Ok(Inbox { entries, next })
}

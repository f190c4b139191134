//! A meeting's manage link replaced (G11): the guest (through the link itself or a session) or
//! the meeting's agent asks; the old link stops working at once, and the guest is mailed the new
//! one in the same transaction. Only a guest who asked is handed it in the answer: an agent never
//! holds a guest's token.

use super::deliver::deliver_now;
use super::Deps;
use crate::domain::meeting::Meeting;
use crate::domain::notification::{recipients, AgentContact, Notification, Planned, Reason, Role};
use crate::secrets::{self, TokenKind};
use crate::store::StoreError;

/// The new manage token, once the old one is replaced; `None` when the meeting's token changed
/// meanwhile (someone replaced it first).
pub async fn reissue(
    deps: &Deps,
    tenant_id: &str,
    meeting: &Meeting,
    old_hash: &str,
    agent: AgentContact,
) -> Result<Option<String>, StoreError> {
    let now = deps.clock.now();
    let issued = secrets::issue(TokenKind::Manage, tenant_id, &meeting.id);
    let guest = recipients(meeting, &agent).into_iter().filter(|r| r.role == Role::Guest).collect();
    let notification = Notification {
        id: secrets::new_id(),
        tenant_id: tenant_id.to_string(),
        reason: Reason::ManageLink,
        meeting: Some(meeting.clone()),
        agent,
        recipients: guest,
        manage_token: Some(issued.token.clone()),
        conversation_link: None,
        code: None,
        event: None,
        created_at: now,
    };
    let email = Planned { notification, due_at: now };
    if !deps.store.replace_manage_token(tenant_id, &meeting.id, old_hash, &issued.hash, &email).await? {
        return Ok(None);
    }
    deliver_now(deps, tenant_id, &email.notification.id).await;
    Ok(Some(issued.token))
}

//! One-click unsubscribe (G7, RFC 8058): every email about a conversation carries a link signed
//! for its recipient; following it stops that conversation's mail to that address (digests,
//! changes, reminders), says so in the conversation, and puts the address on the tenant's
//! suppression list (T8), where the admin can lift it. Following it twice changes nothing.

use thiserror::Error;

use super::Deps;
use crate::domain::conversation::{Author, Event, Member, Message, Viewer};
use crate::secrets::{self, LinkKind};
use crate::signing::SigningError;
use crate::store::{StoreError, Suppression};

#[derive(Debug, Error)]
pub enum UnsubscribeError {
    /// Not a link we signed, or its conversation or member is gone.
    #[error("no such link")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Signing(#[from] SigningError),
}

/// Who stopped which conversation's mail.
pub struct Unsubscribed {
    pub email: String,
    /// The conversation's title as that member sees it.
    pub conversation: String,
}

pub async fn unsubscribe(deps: &Deps, token: &str) -> Result<Unsubscribed, UnsubscribeError> {
    let link =
        secrets::parse_link(token).filter(|l| l.kind == LinkKind::Unsubscribe).ok_or(UnsubscribeError::NotFound)?;
    if !link.verify(deps.notifier.signer.key().await?) {
        return Err(UnsubscribeError::NotFound);
    }
    let tenant_id = &link.tenant_id;
    let (conversation, _) =
        deps.store.conversation(tenant_id, &link.conversation_id).await?.ok_or(UnsubscribeError::NotFound)?;
    let named = |email: &str| secrets::address_digest(email) == link.member;
    // A person of the conversation, or one of its agents (their email copies carry the link too).
    let (email, viewer, name) = match conversation.member_email(named) {
        Some(email) => {
            let viewer = Viewer::Outsider(Some(email.to_string()));
            (email.to_string(), viewer, conversation.author_name(&Author::Member(email.to_string())))
        }
        None => {
            let mut found = None;
            for member in &conversation.members {
                if let Member::Agent { agent_id, name } = member {
                    if let Some((agent, _)) = deps.store.agent(tenant_id, agent_id).await? {
                        if named(&agent.email) {
                            found = Some((agent.email, Viewer::Agent(agent.id), name.clone()));
                            break;
                        }
                    }
                }
            }
            found.ok_or(UnsubscribeError::NotFound)?
        }
    };
    let now = deps.clock.now();
    let suppression = Suppression {
        email: email.clone(),
        reason: "unsubscribe".into(),
        at: now,
        conversation_id: Some(conversation.id.clone()),
    };
    deps.store.suppress(tenant_id, &suppression).await?;
    // Once per member: the key of the message comes from who stopped their mail.
    let message = Message::event(now, Author::System, Event::Unsubscribed { name });
    let source = format!("unsubscribed-{}", &link.member[..16]);
    deps.store.post_message_once(tenant_id, &conversation.id, &message, &source).await?;
    Ok(Unsubscribed { email, conversation: conversation.title_for(&viewer) })
}

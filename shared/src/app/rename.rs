//! Renaming a conversation (C2): a member gives it a title everyone sees, or resets it to each
//! viewer's own; the rename is a system message, written with the conversation at the version read.

use super::Deps;
use crate::domain::conversation::{Author, Conversation, Event, Message};
use crate::store::StoreError;

pub async fn rename(
    deps: &Deps,
    tenant_id: &str,
    before: &Conversation,
    link_token_hash: &str,
    by: Author,
    title: Option<String>,
) -> Result<Conversation, StoreError> {
    let mut after = before.clone();
    after.title = title.clone();
    after.version += 1;
    let message = Message::event(deps.clock.now(), by, Event::Renamed { title });
    deps.store.save_conversation(tenant_id, before, &after, link_token_hash, &message, None).await?;
    Ok(after)
}

//! The digest (C5): when a planned digest falls due, each member who has not read what people
//! wrote since (and was not told of it yet, and has not muted the conversation) gets one email
//! quoting it; nobody is told of their own messages. It goes out through the outbox like every
//! notification, so racing deliveries send each member's copy once; afterwards the members told
//! are marked, and if messages came while it ran, the next digest is planned in its place.

use chrono::{DateTime, Utc};

use super::deliver::Delivery;
use crate::domain::conversation::{Member, Viewer};
use crate::domain::notification::{Notification, Planned, Recipient, Role};
use crate::domain::timeline::{missed, DIGEST_DELAY, DIGEST_SCAN};
use crate::i18n::Lang;
use crate::mail::digest::{render_digest, Quoted};
use crate::mail::Rendered;
use crate::secrets;
use crate::store::{PageOf, StoreError};

/// What a digest run covered, for closing it.
pub struct DigestRun {
    conversation_id: String,
    told: Vec<Viewer>,
    newest: Option<String>,
    covered: u64,
}

impl Delivery<'_> {
    /// Each member's copy of a digest; `None` when the conversation is gone.
    pub(super) async fn digest(
        &self,
        n: &Notification,
        conversation_id: &str,
        key: &crate::signing::Key,
    ) -> Result<Option<(Vec<(Recipient, Rendered)>, DigestRun)>, StoreError> {
        let tenant_id = &n.tenant_id;
        let Some((conversation, _)) = self.store.conversation(tenant_id, conversation_id).await? else {
            return Ok(None);
        };
        // The count first, then the page: the page holds at least what the count counted.
        let activity = self.store.activity(tenant_id, conversation_id).await?;
        let page = self.store.messages_page(tenant_id, conversation_id, &PageOf::Newest, DIGEST_SCAN).await?;
        let mut copies = Vec::new();
        let mut told = Vec::new();
        for member in conversation.member_viewers() {
            if activity.muted(&member) {
                continue;
            }
            let read = activity.read_position(&member);
            let missed = missed(&member, &page.messages, &read.sk, activity.notified_sk(&member));
            if missed.is_empty() {
                continue;
            }
            let Some(to) = self
                .recipient(n, &conversation.members, conversation.guest_language.unwrap_or_default(), &member)
                .await?
            else {
                continue;
            };
            let quoted: Vec<Quoted> = missed
                .iter()
                .map(|m| Quoted { author: conversation.author_name(&m.by), at: m.at, text: m.text() })
                .collect();
            let links = self.notifier.links.for_recipient(key, tenant_id, conversation_id, &to);
            copies.push((to.clone(), render_digest(&conversation.title_for(&member), &quoted, &to, &links)));
            told.push(member);
        }
        let newest = page.messages.last().map(|(sk, _)| sk.clone());
        Ok(Some((
            copies,
            DigestRun { conversation_id: conversation_id.to_string(), told, newest, covered: activity.message_count },
        )))
    }

    /// Who a member is as a recipient: an agent by their contact, a person by their address;
    /// times on the conversation's agent's clock (the zone is named in the email).
    async fn recipient(
        &self,
        n: &Notification,
        members: &[Member],
        language: Lang,
        member: &Viewer,
    ) -> Result<Option<Recipient>, StoreError> {
        let zone = n.agent.time_zone;
        Ok(match member {
            Viewer::Agent(id) => {
                let contact = if *id == n.agent.id && !n.agent.email.is_empty() {
                    Some(n.agent.clone())
                } else {
                    self.store.agent(&n.tenant_id, id).await?.map(|(agent, _)| agent.contact())
                };
                contact.map(|c| Recipient {
                    email: c.email,
                    name: Some(c.name),
                    role: Role::Agent,
                    time_zone: c.time_zone,
                    language: c.language,
                })
            }
            Viewer::Outsider(Some(email)) => {
                let (name, role) = match members.iter().find(|m| m.email() == Some(email.as_str())) {
                    Some(Member::Guest { name, .. }) => (Some(name.clone()), Role::Guest),
                    _ => (None, Role::Additional),
                };
                Some(Recipient { email: email.clone(), name, role, time_zone: zone, language })
            }
            Viewer::Outsider(None) => None,
        })
    }

    /// Marks the members told and closes the digest, or plans the next one for what came since.
    pub(super) async fn finish_digest(
        &self,
        n: &Notification,
        run: DigestRun,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let next = Planned {
            notification: Notification { id: secrets::new_id(), created_at: now, ..n.clone() },
            due_at: now + DIGEST_DELAY,
        };
        self.store
            .finish_digest(
                &n.tenant_id,
                &run.conversation_id,
                &n.id,
                &run.told,
                run.newest.as_deref(),
                run.covered,
                &next,
            )
            .await
    }
}

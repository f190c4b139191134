//! A meeting's change email (G7) as its delivery moves it along, on the meeting item itself (the
//! item every change of the meeting is written to, so a change and a delivery are ordered there):
//! a delivery *takes* the waiting email before it reads what to say, and *finishes* it once sent.
//! Each step advances `change_mail.rev`, which every change is written against.

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use chrono::{DateTime, Utc};

use super::booking::MeetingItem;
use super::keys;
use super::transaction::Condition;
use super::{Store, StoreError};
use crate::domain::meeting::Meeting;

impl Store {
    /// Marks the meeting's waiting change email `id` as taken and answers the meeting as it now
    /// is (what the email says); `None` when `id` is no longer the email waiting.
    pub async fn take_change_mail(
        &self,
        tenant_id: &str,
        meeting_id: &str,
        id: &str,
    ) -> Result<Option<Meeting>, StoreError> {
        let condition = Condition::new("change_mail.pending.id = :id")
            .value(":id", keys::s(id))
            .value(":yes", AttributeValue::Bool(true))
            .value(":one", keys::n(1));
        let update = "SET change_mail.pending.taken = :yes, change_mail.rev = change_mail.rev + :one";
        let found =
            self.update_returning(keys::meeting(tenant_id, meeting_id), update, condition, ReturnValue::AllNew).await?;
        match found {
            Some(item) => Ok(Some(serde_dynamo::from_item::<_, MeetingItem>(item)?.meeting)),
            None => Ok(None),
        }
    }

    /// The change email `id` went out at `at`: it is no longer waiting (unless a later change
    /// already planned the next one, which stays), and the next waits two minutes from `at`.
    pub async fn finish_change_mail(
        &self,
        tenant_id: &str,
        meeting_id: &str,
        id: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let key = || keys::meeting(tenant_id, meeting_id);
        let values =
            |c: Condition| c.value(":at", keys::s(crate::domain::time::render_utc(at))).value(":one", keys::n(1));
        let set = "SET change_mail.last_at = :at, change_mail.rev = change_mail.rev + :one";
        let closing = values(Condition::new("change_mail.pending.id = :id").value(":id", keys::s(id)));
        if self.update_one(key(), &format!("{set} REMOVE change_mail.pending"), closing).await? {
            return Ok(());
        }
        self.update_one(key(), set, values(Condition::new("attribute_exists(change_mail)"))).await?;
        Ok(())
    }
}

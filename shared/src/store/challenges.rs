//! Codes sent by email (a hold's, a sign-in's) are tried a bounded number of times (G2). A try is
//! taken, in one conditional update, before the code is compared: however many guesses arrive at
//! once, no more than [`MAX_CODE_ATTEMPTS`] of them are ever compared with the code.

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};

use super::keys::{self, Key};
use super::transaction::Condition;
use super::{Store, StoreError};
use crate::domain::identity::MAX_CODE_ATTEMPTS;

impl Store {
    /// Takes one try of the challenge in the item at `key`, if it has tries left and `state` (the
    /// item's own condition, such as "the hold is open") holds. Answers how many tries were taken
    /// before this one, or `None` when the try was refused.
    pub(crate) async fn take_try(&self, key: Key, state: Condition) -> Result<Option<u32>, StoreError> {
        let condition = Condition {
            expression: format!("attribute_exists(pk) AND ({}) AND challenge.attempts < :max", state.expression),
            ..state
        }
        .value(":max", keys::n(MAX_CODE_ATTEMPTS))
        .value(":one", keys::n(1));
        let before = self
            .update_returning(
                key,
                "SET challenge.attempts = challenge.attempts + :one",
                condition,
                ReturnValue::UpdatedOld,
            )
            .await?;
        Ok(before.map(|item| {
            let attempts = match item.get("challenge") {
                Some(AttributeValue::M(challenge)) => challenge.get("attempts"),
                _ => None,
            };
            match attempts {
                Some(AttributeValue::N(n)) => n.parse().unwrap_or(MAX_CODE_ATTEMPTS),
                // Taken, but not said how many before: count it as the last.
                _ => MAX_CODE_ATTEMPTS - 1,
            }
        }))
    }
}

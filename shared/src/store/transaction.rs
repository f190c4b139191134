//! `TransactWriteItems` with a purpose attached to each item, so that when DynamoDB cancels the
//! transaction the caller learns which rule refused it (the cancellation reasons come back in
//! item order).

use std::collections::HashMap;

use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Put, ReturnConsumedCapacity, TransactWriteItem, Update,
};

use super::keys::Key;
use super::{Store, StoreError};

pub type Item = HashMap<String, AttributeValue>;

/// A condition expression with its placeholders.
#[derive(Clone, Default)]
pub struct Condition {
    pub expression: String,
    pub names: Vec<(String, String)>,
    pub values: Vec<(String, AttributeValue)>,
}

impl Condition {
    pub fn new(expression: impl Into<String>) -> Self {
        Self { expression: expression.into(), ..Default::default() }
    }

    /// The item must not exist yet.
    pub fn absent() -> Self {
        Self::new("attribute_not_exists(pk)")
    }

    /// The item must exist.
    pub fn present() -> Self {
        Self::new("attribute_exists(pk)")
    }

    pub fn name(mut self, placeholder: impl Into<String>, attribute: impl Into<String>) -> Self {
        self.names.push((placeholder.into(), attribute.into()));
        self
    }

    pub fn value(mut self, placeholder: impl Into<String>, value: AttributeValue) -> Self {
        self.values.push((placeholder.into(), value));
        self
    }

    pub(crate) fn names_map(&self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    pub(crate) fn values_map(&self) -> Option<HashMap<String, AttributeValue>> {
        (!self.values.is_empty()).then(|| self.values.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }
}

/// Why a transaction did not commit.
#[derive(Debug)]
pub enum Failure<P> {
    /// These items' conditions were false: the rules they guard refused.
    Refused(Vec<P>),
    /// Another transaction was touching the same items; trying again may succeed.
    Contended,
    Store(StoreError),
}

/// DynamoDB's most items in one transaction (TransactWriteItems).
pub const MAX_TRANSACTION_ITEMS: usize = 100;

pub struct Transaction<P> {
    items: Vec<TransactWriteItem>,
    purposes: Vec<P>,
}

impl<P: Copy> Transaction<P> {
    pub fn new() -> Self {
        Self { items: Vec::new(), purposes: Vec::new() }
    }

    pub fn put(&mut self, purpose: P, table: &str, item: Item, condition: Option<Condition>) {
        let mut put = Put::builder().table_name(table).set_item(Some(item));
        if let Some(c) = condition {
            put = put
                .condition_expression(&c.expression)
                .set_expression_attribute_names(c.names_map())
                .set_expression_attribute_values(c.values_map());
        }
        self.push(purpose, TransactWriteItem::builder().put(put.build().expect("put")).build());
    }

    pub fn delete(&mut self, purpose: P, table: &str, key: Key, condition: Option<Condition>) {
        let mut delete = Delete::builder().table_name(table).set_key(Some(key_map(key)));
        if let Some(c) = condition {
            delete = delete
                .condition_expression(&c.expression)
                .set_expression_attribute_names(c.names_map())
                .set_expression_attribute_values(c.values_map());
        }
        self.push(purpose, TransactWriteItem::builder().delete(delete.build().expect("delete")).build());
    }

    /// `update` is the `UpdateExpression`; its placeholders travel in `condition` with the condition's
    /// (an empty condition expression means none).
    pub fn update(&mut self, purpose: P, table: &str, key: Key, update: &str, condition: Condition) {
        let item = Update::builder()
            .table_name(table)
            .set_key(Some(key_map(key)))
            .update_expression(update)
            .set_condition_expression((!condition.expression.is_empty()).then(|| condition.expression.clone()))
            .set_expression_attribute_names(condition.names_map())
            .set_expression_attribute_values(condition.values_map())
            .build()
            .expect("update");
        self.push(purpose, TransactWriteItem::builder().update(item).build());
    }

    pub fn check(&mut self, purpose: P, table: &str, key: Key, condition: Condition) {
        let check = ConditionCheck::builder()
            .table_name(table)
            .set_key(Some(key_map(key)))
            .condition_expression(&condition.expression)
            .set_expression_attribute_names(condition.names_map())
            .set_expression_attribute_values(condition.values_map())
            .build()
            .expect("condition check");
        self.push(purpose, TransactWriteItem::builder().condition_check(check).build());
    }

    /// How many items it writes or checks.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    fn push(&mut self, purpose: P, item: TransactWriteItem) {
        self.items.push(item);
        self.purposes.push(purpose);
    }

    pub async fn commit(self, store: &Store) -> Result<(), Failure<P>> {
        let items = self.items.len();
        let result = store
            .client()
            .transact_write_items()
            .set_transact_items(Some(self.items))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await;
        match result {
            Ok(out) => {
                store.metrics.record_transaction(items, out.consumed_capacity().iter());
                Ok(())
            }
            Err(err) => {
                store.metrics.record(None);
                let service = match err {
                    aws_sdk_dynamodb::error::SdkError::ServiceError(service) => service.into_err(),
                    other => return Err(Failure::Store(StoreError::from_sdk(other))),
                };
                match service {
                    TransactWriteItemsError::TransactionCanceledException(cancelled) => {
                        let reasons = cancelled.cancellation_reasons();
                        let code = |i: usize| reasons.get(i).and_then(|r| r.code()).unwrap_or("None");
                        let refused: Vec<P> = (0..self.purposes.len())
                            .filter(|i| code(*i) == "ConditionalCheckFailed")
                            .map(|i| self.purposes[i])
                            .collect();
                        if !refused.is_empty() {
                            Err(Failure::Refused(refused))
                        } else if (0..self.purposes.len()).any(|i| code(i) == "TransactionConflict") {
                            Err(Failure::Contended)
                        } else if (0..self.purposes.len()).any(|i| code(i) == "ThrottlingError") {
                            Err(Failure::Store(StoreError::Throttled))
                        } else {
                            let codes: Vec<&str> = (0..self.purposes.len()).map(code).collect();
                            Err(Failure::Store(StoreError::Unavailable(format!("transaction cancelled: {codes:?}"))))
                        }
                    }
                    other => Err(Failure::Store(StoreError::Unavailable(format!(
                        "{}",
                        aws_sdk_dynamodb::error::DisplayErrorContext(&other)
                    )))),
                }
            }
        }
    }
}

pub fn key_map((pk, sk): Key) -> HashMap<String, AttributeValue> {
    HashMap::from([("pk".to_string(), AttributeValue::S(pk)), ("sk".to_string(), AttributeValue::S(sk))])
}

/// Serialises a record with its key into one item.
pub fn item<T: serde::Serialize>((pk, sk): Key, record: &T) -> Result<Item, StoreError> {
    let mut item: Item = serde_dynamo::to_item(record)?;
    item.insert("pk".into(), AttributeValue::S(pk));
    item.insert("sk".into(), AttributeValue::S(sk));
    Ok(item)
}

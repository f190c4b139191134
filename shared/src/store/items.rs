//! Reading and writing single items and partitions: the generic helpers every store module
//! uses, each recording what it cost in [`super::Metrics`].

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::{KeysAndAttributes, ReturnConsumedCapacity, ReturnValue};
use serde::de::DeserializeOwned;

use super::keys::{self, Key};
use super::transaction::{key_map, Condition, Item};
use super::{Store, StoreError};

/// Which sort keys of a partition a query reads.
pub(crate) enum SortKeys<'a> {
    Prefix(&'a str),
    /// Inclusive bounds.
    Between(String, String),
}

impl Store {
    pub(crate) async fn get<T: DeserializeOwned>(&self, key: Key, consistent: bool) -> Result<Option<T>, StoreError> {
        match self.get_item(key, consistent).await? {
            Some(item) => Ok(Some(serde_dynamo::from_item(item)?)),
            None => Ok(None),
        }
    }

    /// One item as stored, for a record whose attributes are not all known in advance.
    pub(crate) async fn get_item(&self, key: Key, consistent: bool) -> Result<Option<Item>, StoreError> {
        let out = self
            .client()
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key_map(key)))
            .consistent_read(consistent)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        self.metrics.record(out.consumed_capacity());
        Ok(out.item)
    }

    /// Writes one item with a plain PutItem (half a transaction's write units); `false` when
    /// `condition` was not met.
    pub(crate) async fn put(&self, item: Item, condition: Option<Condition>) -> Result<bool, StoreError> {
        let mut put = self
            .client()
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .return_consumed_capacity(ReturnConsumedCapacity::Total);
        if let Some(c) = &condition {
            put = put
                .condition_expression(&c.expression)
                .set_expression_attribute_names(c.names_map())
                .set_expression_attribute_values(c.values_map());
        }
        match put.send().await {
            Ok(out) => {
                self.metrics.record(out.consumed_capacity());
                Ok(true)
            }
            Err(SdkError::ServiceError(e)) if matches!(e.err(), PutItemError::ConditionalCheckFailedException(_)) => {
                self.metrics.record(None);
                Ok(false)
            }
            Err(e) => Err(StoreError::from_sdk(e)),
        }
    }

    /// Every item of a partition whose sort key starts with `prefix`, all pages.
    pub(crate) async fn query_prefix<T: DeserializeOwned>(
        &self,
        pk: String,
        prefix: &str,
    ) -> Result<Vec<T>, StoreError> {
        self.query(pk, SortKeys::Prefix(prefix)).await
    }

    /// The same, eventually consistent (half the read units: for what may be a moment old).
    pub(crate) async fn query_prefix_eventually<T: DeserializeOwned>(
        &self,
        pk: String,
        prefix: &str,
    ) -> Result<Vec<T>, StoreError> {
        self.query_reading(pk, SortKeys::Prefix(prefix), false, &[]).await
    }

    /// Every item of a partition whose sort key matches `sort_keys`, all pages, strongly consistent.
    pub(crate) async fn query<T: DeserializeOwned>(
        &self,
        pk: String,
        sort_keys: SortKeys<'_>,
    ) -> Result<Vec<T>, StoreError> {
        self.query_reading(pk, sort_keys, true, &[]).await
    }

    /// The same, reading only `attributes` of each item: for a hot read of many items that needs
    /// few of their attributes (parsing what is not used is most of the reader's work).
    pub(crate) async fn query_attributes<T: DeserializeOwned>(
        &self,
        pk: String,
        sort_keys: SortKeys<'_>,
        attributes: &[&str],
    ) -> Result<Vec<T>, StoreError> {
        self.query_reading(pk, sort_keys, true, attributes).await
    }

    async fn query_reading<T: DeserializeOwned>(
        &self,
        pk: String,
        sort_keys: SortKeys<'_>,
        consistent: bool,
        attributes: &[&str],
    ) -> Result<Vec<T>, StoreError> {
        // Named by placeholders, so that no attribute name can clash with a reserved word.
        let projection = (!attributes.is_empty())
            .then(|| (0..attributes.len()).map(|k| format!("#p{k}")).collect::<Vec<_>>().join(", "));
        let (condition, low, high) = match sort_keys {
            SortKeys::Prefix(prefix) => ("pk = :pk AND begins_with(sk, :low)", prefix.to_string(), None),
            SortKeys::Between(low, high) => ("pk = :pk AND sk BETWEEN :low AND :high", low, Some(high)),
        };
        let mut found = Vec::new();
        let mut start = None;
        loop {
            let out = self
                .client()
                .query()
                .table_name(&self.table)
                .key_condition_expression(condition)
                .expression_attribute_values(":pk", keys::s(pk.clone()))
                .expression_attribute_values(":low", keys::s(low.clone()))
                .consistent_read(consistent)
                .set_exclusive_start_key(start)
                .return_consumed_capacity(ReturnConsumedCapacity::Total);
            let out = match &high {
                Some(high) => out.expression_attribute_values(":high", keys::s(high.clone())),
                None => out,
            };
            let out = match &projection {
                Some(projection) => {
                    attributes.iter().enumerate().fold(out.projection_expression(projection), |out, (k, name)| {
                        out.expression_attribute_names(format!("#p{k}"), *name)
                    })
                }
                None => out,
            };
            let out = out.send().await.map_err(StoreError::from_sdk)?;
            self.metrics.record(out.consumed_capacity());
            for item in out.items.unwrap_or_default() {
                found.push(serde_dynamo::from_item(item)?);
            }
            start = out.last_evaluated_key;
            if start.is_none() {
                return Ok(found);
            }
        }
    }

    /// Up to `limit` items of a partition with sort keys between `bounds` (inclusive), in one
    /// request, strongly consistent; newest (highest) first when asked.
    pub(crate) async fn query_page(
        &self,
        pk: String,
        bounds: (String, String),
        highest_first: bool,
        limit: usize,
    ) -> Result<Vec<Item>, StoreError> {
        let out = self
            .client()
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND sk BETWEEN :low AND :high")
            .expression_attribute_values(":pk", keys::s(pk))
            .expression_attribute_values(":low", keys::s(bounds.0))
            .expression_attribute_values(":high", keys::s(bounds.1))
            .scan_index_forward(!highest_first)
            .limit(i32::try_from(limit).unwrap_or(i32::MAX))
            .consistent_read(true)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        self.metrics.record(out.consumed_capacity());
        Ok(out.items.unwrap_or_default())
    }

    pub(crate) async fn delete(&self, key: Key) -> Result<(), StoreError> {
        let out = self
            .client()
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_map(key)))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        self.metrics.record(out.consumed_capacity());
        Ok(())
    }

    /// One conditional UpdateItem (unconditional when the condition's expression is empty);
    /// `false` when `condition` was not met. The update's placeholders travel with the condition's.
    pub(crate) async fn update_one(&self, key: Key, update: &str, condition: Condition) -> Result<bool, StoreError> {
        Ok(self.update_returning(key, update, condition, ReturnValue::None).await?.is_some())
    }

    /// As [`Self::update_one`], answering the attributes `returning` asks for, or `None` when the
    /// condition refused the update.
    pub(crate) async fn update_returning(
        &self,
        key: Key,
        update: &str,
        condition: Condition,
        returning: ReturnValue,
    ) -> Result<Option<Item>, StoreError> {
        use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
        let result = self
            .client()
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_map(key)))
            .update_expression(update)
            .set_condition_expression((!condition.expression.is_empty()).then(|| condition.expression.clone()))
            .set_expression_attribute_names(condition.names_map())
            .set_expression_attribute_values(condition.values_map())
            .return_values(returning)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await;
        match result {
            Ok(out) => {
                self.metrics.record(out.consumed_capacity());
                Ok(Some(out.attributes.unwrap_or_default()))
            }
            Err(SdkError::ServiceError(e))
                if matches!(e.err(), UpdateItemError::ConditionalCheckFailedException(_)) =>
            {
                self.metrics.record(None);
                Ok(None)
            }
            Err(e) => Err(StoreError::from_sdk(e)),
        }
    }

    /// Every item of `keys` that exists, strongly consistent, 100 at a time.
    pub(crate) async fn batch_get<T: DeserializeOwned>(&self, keys: Vec<Key>) -> Result<Vec<T>, StoreError> {
        self.batch_get_counted(keys, false).await
    }

    /// The same, counted as delivery work when `delivery` (see [`super::Metrics`]).
    pub(crate) async fn batch_get_counted<T: DeserializeOwned>(
        &self,
        keys: Vec<Key>,
        delivery: bool,
    ) -> Result<Vec<T>, StoreError> {
        let items = self.batch_get_items(keys, delivery).await?;
        items.into_iter().map(|item| serde_dynamo::from_item(item).map_err(StoreError::from)).collect()
    }

    /// Every item of `keys` that exists, as stored (its keys included).
    pub(crate) async fn batch_get_items(&self, keys: Vec<Key>, delivery: bool) -> Result<Vec<Item>, StoreError> {
        let mut found = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(100) {
            let mut pending: Vec<_> = chunk.iter().cloned().map(key_map).collect();
            // DynamoDB may leave keys unprocessed under load: ask again for just those, a few times.
            for _ in 0..5 {
                if pending.is_empty() {
                    break;
                }
                let batch =
                    KeysAndAttributes::builder().set_keys(Some(pending)).consistent_read(true).build().expect("keys");
                let out = self
                    .client()
                    .batch_get_item()
                    .request_items(&self.table, batch)
                    .return_consumed_capacity(ReturnConsumedCapacity::Total)
                    .send()
                    .await
                    .map_err(StoreError::from_sdk)?;
                self.metrics.record_all(out.consumed_capacity().iter());
                if delivery {
                    self.metrics.count_as_delivery();
                }
                found.extend(out.responses.unwrap_or_default().remove(&self.table).unwrap_or_default());
                pending = out
                    .unprocessed_keys
                    .and_then(|mut unprocessed| unprocessed.remove(&self.table))
                    .map(|k| k.keys)
                    .unwrap_or_default();
            }
            if !pending.is_empty() {
                return Err(StoreError::Throttled);
            }
        }
        Ok(found)
    }
}

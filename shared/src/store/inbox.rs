//! The inbox index (C6): conversations' activity items by agent member, newest activity first.
//! An agent's inbox merges a few of its partitions (their own inbox, their own queue and the
//! queues of their service colleagues), each read a page at a time.

use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use futures::stream::{self, StreamExt, TryStreamExt};

use super::activity::Activity;
use super::keys;
use super::{Store, StoreError};

/// Partitions of the index read at once.
const PARALLEL_READS: usize = 8;

/// A page of an inbox: activities newest first, and whether more are older.
#[derive(Debug, Default)]
pub struct InboxPage {
    pub entries: Vec<(String, Activity)>,
    pub more: bool,
}

impl Store {
    /// The newest `limit` activities filed under any of `partitions` (older than `before`, an
    /// inbox sort key, when paging), each conversation once.
    pub async fn inbox_page(
        &self,
        partitions: &[String],
        before: Option<&str>,
        limit: usize,
    ) -> Result<InboxPage, StoreError> {
        let pages: Vec<Vec<(String, Activity)>> = stream::iter(partitions.iter().cloned())
            .map(|partition| self.inbox_partition(partition, before, limit + 1))
            .buffer_unordered(PARALLEL_READS)
            .try_collect()
            .await?;
        let mut entries: Vec<(String, Activity)> = pages.into_iter().flatten().collect();
        entries.sort_by(|a, b| b.0.cmp(&a.0));
        let mut seen = std::collections::HashSet::new();
        entries.retain(|(_, activity)| seen.insert(activity.conversation_id.clone()));
        let more = entries.len() > limit;
        entries.truncate(limit);
        Ok(InboxPage { entries, more })
    }

    async fn inbox_partition(
        &self,
        partition: String,
        before: Option<&str>,
        limit: usize,
    ) -> Result<Vec<(String, Activity)>, StoreError> {
        let query = self
            .client()
            .query()
            .table_name(&self.table)
            .index_name(keys::INBOX_INDEX)
            .expression_attribute_values(":pk", keys::s(partition))
            .scan_index_forward(false)
            .limit(i32::try_from(limit).unwrap_or(i32::MAX))
            .return_consumed_capacity(ReturnConsumedCapacity::Total);
        let query = match before {
            Some(before) => query
                .key_condition_expression("inbox_pk = :pk AND inbox_sk < :before")
                .expression_attribute_values(":before", keys::s(before)),
            None => query.key_condition_expression("inbox_pk = :pk"),
        };
        let out = query.send().await.map_err(StoreError::from_sdk)?;
        self.metrics.record(out.consumed_capacity());
        Ok(out
            .items
            .unwrap_or_default()
            .into_iter()
            .filter_map(|item| {
                let sort = match item.get("inbox_sk") {
                    Some(aws_sdk_dynamodb::types::AttributeValue::S(sort)) => sort.clone(),
                    _ => return None,
                };
                Some((sort, Activity::from_item(item)))
            })
            .collect())
    }
}

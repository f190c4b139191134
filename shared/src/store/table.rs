//! The table's definition: the single source for the local stack's `CreateTable` and for the
//! test that holds `template.yaml` to it.

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection, ProjectionType,
    ScalarAttributeType, TimeToLiveSpecification,
};
use aws_sdk_dynamodb::Client;

use super::StoreError;

pub const PARTITION_KEY: &str = "pk";
pub const SORT_KEY: &str = "sk";
/// Items that only matter for a while (locks, idempotency records, guest places) carry an expiry
/// in epoch seconds here; DynamoDB deletes them some time after.
pub const TTL_ATTRIBUTE: &str = "expires_at";
/// The sparse index of outbox items waiting for delivery (see `store::outbox`).
pub const DUE_INDEX: &str = super::DUE_INDEX;
pub const DUE_PARTITION_KEY: &str = "gsi1pk";
pub const DUE_SORT_KEY: &str = "gsi1sk";
/// The sparse index of conversations' activity by agent member (see `store::inbox`).
pub const INBOX_INDEX: &str = super::keys::INBOX_INDEX;
pub const INBOX_PARTITION_KEY: &str = "inbox_pk";
pub const INBOX_SORT_KEY: &str = "inbox_sk";

/// A global secondary index: its name, keys (strings) and projection as CloudFormation spells it.
pub struct Index {
    pub name: &'static str,
    pub partition_key: &'static str,
    pub sort_key: &'static str,
    pub projection: &'static str,
}

/// Every index of the table, in the template's order.
pub const INDEXES: [Index; 2] = [
    Index { name: DUE_INDEX, partition_key: DUE_PARTITION_KEY, sort_key: DUE_SORT_KEY, projection: "KEYS_ONLY" },
    Index { name: INBOX_INDEX, partition_key: INBOX_PARTITION_KEY, sort_key: INBOX_SORT_KEY, projection: "ALL" },
];

/// Creates the table if it does not exist and waits until it is usable. Used by the local server
/// and the tests; in AWS the SAM template creates it.
pub async fn ensure_table(client: &Client, name: &str) -> Result<(), StoreError> {
    let exists = client.describe_table().table_name(name).send().await.is_ok();
    if !exists {
        let mut create = client
            .create_table()
            .table_name(name)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(attribute(PARTITION_KEY))
            .attribute_definitions(attribute(SORT_KEY))
            .key_schema(key(PARTITION_KEY, KeyType::Hash))
            .key_schema(key(SORT_KEY, KeyType::Range));
        for index in &INDEXES {
            create = create
                .attribute_definitions(attribute(index.partition_key))
                .attribute_definitions(attribute(index.sort_key))
                .global_secondary_indexes(
                    GlobalSecondaryIndex::builder()
                        .index_name(index.name)
                        .key_schema(key(index.partition_key, KeyType::Hash))
                        .key_schema(key(index.sort_key, KeyType::Range))
                        .projection(
                            Projection::builder().projection_type(ProjectionType::from(index.projection)).build(),
                        )
                        .build()
                        .expect("index"),
                );
        }
        let created = create.send().await;
        if let Err(err) = created {
            // Another process may have created it between the describe and the create.
            if client.describe_table().table_name(name).send().await.is_err() {
                return Err(StoreError::from_sdk(err));
            }
        }
        client
            .update_time_to_live()
            .table_name(name)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .enabled(true)
                    .attribute_name(TTL_ATTRIBUTE)
                    .build()
                    .expect("ttl spec"),
            )
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
    }
    Ok(())
}

fn attribute(name: &str) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .expect("attribute definition")
}

fn key(name: &str, key_type: KeyType) -> KeySchemaElement {
    KeySchemaElement::builder().attribute_name(name).key_type(key_type).build().expect("key schema")
}

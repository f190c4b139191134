//! Key builders: the only place key strings are spelled.

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};

use crate::domain::time::render_utc;

pub type Key = (String, String);

pub fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// A unit enum (a status, a kind) as stored: the spelling serde writes, so a condition compares
/// with exactly what the item holds and no status is ever spelled twice.
pub fn value<T: serde::Serialize>(unit: T) -> AttributeValue {
    serde_dynamo::to_attribute_value(unit).expect("a unit variant serialises")
}

pub fn tenant(tenant: &str) -> Key {
    (format!("TENANT#{tenant}"), "TENANT".into())
}

pub fn pbx(tenant: &str, pbx: &str) -> Key {
    (format!("TENANT#{tenant}"), format!("PBX#{pbx}"))
}

pub const PBX_PREFIX: &str = "PBX#";
pub const SERVICE_PREFIX: &str = "SERVICE#";

pub fn service(tenant: &str, service: &str) -> Key {
    (format!("TENANT#{tenant}"), format!("{SERVICE_PREFIX}{service}"))
}
pub const AGENT_PREFIX: &str = "AGENT#";

pub fn agent(tenant: &str, agent: &str) -> Key {
    (format!("TENANT#{tenant}"), format!("{AGENT_PREFIX}{agent}"))
}

/// The hash of an agent's calendar-feed token, apart from the agent so that issuing or revoking
/// it never races a change of the agent's settings.
pub fn calendar_feed_token(tenant: &str, agent: &str) -> Key {
    (format!("TENANT#{tenant}"), format!("FEEDTOKEN#{agent}"))
}

/// A credential (T4): an admin key by its id, an agent's API token by the agent's id.
pub fn credential(tenant: &str, kind: super::credentials::CredentialKind, id: &str) -> Key {
    let (pk, prefix) = credentials_of(tenant, kind);
    (pk, format!("{prefix}{id}"))
}

/// Every credential of one kind: (partition, sort-key prefix).
pub fn credentials_of(tenant: &str, kind: super::credentials::CredentialKind) -> Key {
    use super::credentials::CredentialKind::*;
    let label = match kind {
        Admin => "ADMIN",
        Agent => "AGENT",
    };
    (tenant_partition(tenant), format!("CREDENTIAL#{label}#"))
}

pub fn tenant_partition(tenant: &str) -> String {
    format!("TENANT#{tenant}")
}

/// Where an agent's address leads (AC1: a console sign-in names only the address): one
/// partition per address (a digest, never the address), one row per tenant and agent. Like a
/// slug, a key without a tenant: the sign-in does not know it yet.
pub fn agent_email(email: &str, tenant: &str, agent: &str) -> Key {
    (agent_emails(email), format!("TENANT#{tenant}#AGENT#{agent}"))
}

pub fn agent_emails(email: &str) -> String {
    format!("AGENTEMAIL#{}", guest(email))
}

/// A tenant's webhook endpoint (W1).
pub fn webhook(tenant: &str, id: &str) -> Key {
    (tenant_partition(tenant), format!("WEBHOOK#{id}"))
}

/// Every endpoint of a tenant: (partition, sort-key prefix).
pub fn webhooks_of(tenant: &str) -> Key {
    (tenant_partition(tenant), "WEBHOOK#".into())
}

/// How many endpoints a tenant has (at most ten).
pub fn webhook_count(tenant: &str) -> Key {
    (tenant_partition(tenant), "WEBHOOKCOUNT".into())
}

/// One attempt in an endpoint's log (W3), by time.
pub fn webhook_attempt(tenant: &str, endpoint: &str, at: DateTime<Utc>, id: &str) -> Key {
    let (pk, prefix) = webhook_attempts(tenant, endpoint);
    (pk, format!("{prefix}{}#{id}", at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)))
}

/// An endpoint's log: (partition, sort-key prefix).
pub fn webhook_attempts(tenant: &str, endpoint: &str) -> Key {
    (format!("TENANT#{tenant}#WEBHOOKLOG#{endpoint}"), "AT#".into())
}

/// One of the items counting a tenant's guest bookings in one minute (`store::rates`).
pub fn tenant_rate(tenant: &str, minute: &str, shard: u32) -> Key {
    (tenant_partition(tenant), format!("RATE#{minute}#{shard}"))
}

/// A member's fairness count in a service for a month (S10).
pub fn host_count(tenant: &str, service: &str, month: &str, agent: &str) -> Key {
    let (pk, prefix) = host_counts(tenant, service, month);
    (pk, format!("{prefix}{agent}"))
}

/// Every member's count in a service for a month: (partition, sort-key prefix).
pub fn host_counts(tenant: &str, service: &str, month: &str) -> Key {
    (format!("TENANT#{tenant}#SERVICE#{service}#HOSTS"), format!("MONTH#{month}#AGENT#"))
}

/// Public slugs are the one key without a tenant: a guest arrives knowing only the slug. The item
/// holds the tenant, and everything read after it is keyed by that tenant.
pub fn slug(slug: &str) -> Key {
    (format!("SLUG#{slug}"), "SLUG".into())
}

pub fn meeting(tenant: &str, meeting: &str) -> Key {
    (format!("TENANT#{tenant}#MEETING#{meeting}"), "MEETING".into())
}

/// The partition of one agent's bookings: meeting spans, time locks, guest places, idempotency
/// records, conversation pairs and connected-calendar copies.
pub fn agent_partition(tenant: &str, agent: &str) -> String {
    format!("TENANT#{tenant}#AGENT#{agent}")
}

pub fn span_sk(blocked_from: DateTime<Utc>, meeting: &str) -> String {
    format!("SPAN#{}#{meeting}", render_utc(blocked_from))
}

/// Lower bound of span sort keys for spans starting at or after `at` (RFC 3339 UTC sorts by time).
pub fn span_bound(at: DateTime<Utc>) -> String {
    format!("SPAN#{}", render_utc(at))
}

pub fn lock_sk(granule: DateTime<Utc>) -> String {
    format!("LOCK#{}", render_utc(granule))
}

/// Guests are keyed by a digest of their normalised address (128 bits of SHA-256), never by the
/// address itself: no address, however it is written, can share a key or a key prefix with
/// another, and the keys hold no personal data.
pub fn guest(email: &str) -> String {
    crate::secrets::address_digest(email)
}

/// A client (the network address a request came from, as API Gateway saw it) as keys know it:
/// a digest, never the address itself.
pub fn client(address: &str) -> String {
    crate::secrets::hash(&format!("client:{address}"))[..32].to_string()
}

/// A guest's own partition in a tenant: their G5 places, their meeting and conversation index.
pub fn guest_partition(tenant: &str, email: &str) -> String {
    format!("TENANT#{tenant}#GUEST#{}", guest(email))
}

/// An address this tenant no longer mails: for good (it bounced for good, or its owner marked
/// our mail as spam: see `app::mail_events`), or about one conversation (unsubscribed, G7).
pub fn suppression(tenant: &str, email: &str, conversation: Option<&str>) -> Key {
    let sk = match conversation {
        None => "SUPPRESSED".to_string(),
        Some(conversation) => format!("SUPPRESSED#CONVERSATION#{conversation}"),
    };
    (guest_partition(tenant, email), sk)
}

/// All of an address's suppressions: (partition, sort-key prefix).
pub fn suppressions_of(tenant: &str, email: &str) -> Key {
    (guest_partition(tenant, email), "SUPPRESSED".into())
}

/// The tenant's list of suppressions (T8), one row per suppression, in a partition of its own.
pub fn suppression_list(tenant: &str) -> String {
    format!("TENANT#{tenant}#SUPPRESSIONS")
}

pub const SUPPRESSION_ROW_PREFIX: &str = "SUPPRESSION#";

pub fn suppression_row(tenant: &str, email: &str, conversation: Option<&str>) -> Key {
    let scope = conversation.unwrap_or("ALL");
    (suppression_list(tenant), format!("{SUPPRESSION_ROW_PREFIX}{}#{scope}", guest(email)))
}

/// A hold (G2), until it becomes the meeting of the same id.
pub fn hold(tenant: &str, hold: &str) -> Key {
    (format!("TENANT#{tenant}#HOLD#{hold}"), "HOLD".into())
}

/// A guest session (G3).
pub fn session(tenant: &str, session: &str) -> Key {
    (format!("TENANT#{tenant}#SESSION#{session}"), "SESSION".into())
}

/// A sign-in by email code, before it opens a session.
pub fn sign_in(tenant: &str, sign_in: &str) -> Key {
    (format!("TENANT#{tenant}#SIGNIN#{sign_in}"), "SIGNIN".into())
}

/// The guest index: the meetings and conversations of an address, in its partition.
pub const GUEST_INDEX_PREFIX: &str = "INDEX#";

/// Bounds that take in every sort key of a partition (DynamoDB refuses an empty string as a
/// bound, and a sort key is never empty).
pub fn every_sort_key() -> (String, String) {
    ("\u{1}".into(), "\u{10ffff}".into())
}

pub fn guest_meeting(tenant: &str, email: &str, meeting: &str) -> Key {
    guest_index_entry(tenant, email, "MEETING", meeting)
}

pub fn guest_conversation(tenant: &str, email: &str, conversation: &str) -> Key {
    guest_index_entry(tenant, email, "CONVERSATION", conversation)
}

/// One entry of an address's index: what it is (`MEETING`, `SESSION`, …) and its id.
pub fn guest_index_entry(tenant: &str, email: &str, kind: &str, id: &str) -> Key {
    (guest_partition(tenant, email), format!("{GUEST_INDEX_PREFIX}{kind}#{id}"))
}

/// The cap places of a guest with an agent (B2): (partition, sort-key prefix).
pub fn places_of_guest_with_agent(tenant: &str, agent: &str, email: &str) -> Key {
    (agent_partition(tenant, agent), format!("GUEST#{}#", guest(email)))
}

/// A guest's G5 places of one kind in a tenant.
pub fn places_of_guest(tenant: &str, kind: crate::domain::places::PlaceKind, email: &str) -> Key {
    use crate::domain::places::PlaceKind::*;
    let label = match kind {
        GuestMeeting => "MEETING",
        OpenHold => "HOLD",
        CodeSent => "CODE",
        CodeSentByClient => "CLIENTCODE",
        PageHold => "PAGEHOLD",
        BookingMade => "BOOKED",
        UnverifiedMeeting => "UNVERIFIED",
        AdminKey => "ADMINKEY",
    };
    (guest_partition(tenant, email), format!("PLACE#{label}#"))
}

/// A tenant's admin-key places (T4: five keys at most).
pub fn places_of_tenant(tenant: &str) -> Key {
    (tenant_partition(tenant), "PLACE#ADMINKEY#".into())
}

/// One client's places of one kind in a tenant (G8: the codes it asked for).
pub fn places_of_client(tenant: &str, client: &str) -> Key {
    (format!("TENANT#{tenant}#CLIENT#{client}"), "PLACE#CODE#".into())
}

/// One client's open-hold places on one booking page (G5, G8).
pub fn places_of_page(tenant: &str, agent: &str, slug: &str, client: &str) -> Key {
    (agent_partition(tenant, agent), format!("PAGEHOLD#{slug}#{client}#"))
}

/// One client's unproven meetings with an agent (G9).
pub fn places_of_client_with_agent(tenant: &str, agent: &str, client: &str) -> Key {
    (agent_partition(tenant, agent), format!("CLIENT#{client}#"))
}

pub fn idempotency_sk(key_hash: &str) -> String {
    format!("IDEMPOTENCY#{key_hash}")
}

pub fn conversation(tenant: &str, conversation: &str) -> Key {
    (conversation_partition(tenant, conversation), "CONVERSATION".into())
}

pub const MESSAGE_PREFIX: &str = "MSG#";

/// A message's sort key: time first (microseconds, RFC 3339 UTC sorts by time), then the record
/// that caused it and its own sequence, so that messages of one instant still read in the order
/// they were written and two writers never share a key.
pub fn message_sk(at: DateTime<Utc>, source: &str, sequence: u64) -> String {
    format!("{MESSAGE_PREFIX}{}#{source}#{sequence:08}", at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
}

/// A message's public cursor is its sort key without the prefix, `_` for `#` so that it needs no
/// escaping in a URL; `None` for anything that is not the shape of one (a cursor comes from
/// outside).
pub fn message_sk_of_cursor(cursor: &str) -> Option<String> {
    let shaped = cursor.len() <= 80
        && cursor.bytes().all(|b| b.is_ascii_alphanumeric() || b"-:._".contains(&b))
        && cursor.split('_').count() == 3;
    shaped.then(|| format!("{MESSAGE_PREFIX}{}", cursor.replace('_', "#")))
}

pub fn cursor_of_message_sk(sk: &str) -> String {
    sk.strip_prefix(MESSAGE_PREFIX).unwrap_or(sk).replace('#', "_")
}

/// A conversation's activity: its message count, last message, members' read positions and the
/// pending digest (C4–C6); in the conversation's partition, apart from the conversation itself
/// so that posting never contends with a rename or an assignment's version check.
pub fn activity(tenant: &str, conversation: &str) -> Key {
    (conversation_partition(tenant, conversation), "ACTIVITY".into())
}

pub fn conversation_partition(tenant: &str, conversation: &str) -> String {
    format!("TENANT#{tenant}#CONVERSATION#{conversation}")
}

/// The inbox index (C6): each conversation's activity item sits under its agent member: in the
/// agent's queue while unassigned (where the agent's service colleagues look too), in the
/// assignee's inbox once assigned. Sorted by last activity.
pub const INBOX_INDEX: &str = "inbox";

pub fn inbox_of(tenant: &str, agent: &str) -> String {
    format!("TENANT#{tenant}#INBOX#{agent}")
}

pub fn queue_of(tenant: &str, agent: &str) -> String {
    format!("TENANT#{tenant}#QUEUE#{agent}")
}

/// A service's queue: the unassigned conversations that belong to it (T5, S11).
pub fn service_queue(tenant: &str, service: &str) -> String {
    format!("TENANT#{tenant}#QUEUE#SERVICE#{service}")
}

pub fn inbox_sort(last_at: DateTime<Utc>, conversation: &str) -> String {
    format!("{}#{conversation}", last_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
}

/// The activity attribute holding one member's state (`read`, `notified`, `muted`): agents by id,
/// people by the digest of their address, so no address is ever an attribute name.
pub fn member_attribute(state: &str, viewer: &crate::domain::conversation::Viewer) -> String {
    use crate::domain::conversation::Viewer;
    match viewer {
        Viewer::Agent(id) => format!("{state}_agent_{id}"),
        Viewer::Outsider(Some(email)) => format!("{state}_guest_{}", guest(email)),
        Viewer::Outsider(None) => format!("{state}_link"),
    }
}

/// Finds a guest's conversation with an agent; lives in the agent's calendar partition.
pub fn conversation_pair(tenant: &str, agent: &str, guest_email: &str) -> Key {
    (agent_partition(tenant, agent), format!("CONVERSATION#{}", guest(guest_email)))
}

/// Each outbox item in its own partition, so delivery updates never contend on a key.
pub fn outbox(tenant: &str, id: &str) -> Key {
    (format!("TENANT#{tenant}#OUTBOX#{id}"), "OUTBOX".into())
}

/// The due index: outbox items waiting for delivery, spread over a few shards, sorted by when
/// they are due (epoch seconds, zero-padded so text order is time order).
pub fn due_shard(shard: u32) -> String {
    format!("DUE#{shard}")
}

pub fn due_sort(due_at: i64, id: &str) -> String {
    format!("{due_at:012}#{id}")
}

/// Above every due sort key of items due at or before `due_at`.
pub fn due_upper_bound(due_at: i64) -> String {
    format!("{due_at:012}#~")
}

/// The tenant and id back from an outbox item's partition key.
pub fn parse_outbox(pk: &str) -> Option<(String, String)> {
    let rest = pk.strip_prefix("TENANT#")?;
    let (tenant, id) = rest.split_once("#OUTBOX#")?;
    Some((tenant.to_string(), id.to_string()))
}

/// A booking counter of a tenant's month; a few shards, so a busy tenant's bookings do not all
/// update one item.
pub fn usage(tenant: &str, month: &str, shard: u32) -> Key {
    (tenant_partition(tenant), format!("USAGE#{month}#{shard}"))
}

pub fn usage_prefix(month: &str) -> String {
    format!("USAGE#{month}#")
}

/// A connected calendar's cached busy time, in the agent's calendar partition.
pub const FEED_PREFIX: &str = "FEED#";

pub fn feed(tenant: &str, agent: &str, calendar_id: &str) -> Key {
    (agent_partition(tenant, agent), format!("{FEED_PREFIX}{calendar_id}"))
}

/// An agent's offboarding (T5): its record and report.
pub fn offboarding(tenant: &str, agent: &str) -> Key {
    (tenant_partition(tenant), format!("OFFBOARD#{agent}"))
}

/// A guest's erasure (T7): where it stands, by the digest of the address.
pub fn erasure(tenant: &str, digest: &str) -> Key {
    (tenant_partition(tenant), format!("ERASURE#{digest}"))
}

/// The sweep's list of tenants with a retention (T7): one partition, one row per tenant.
pub fn retention(tenant: &str) -> Key {
    ("RETENTION".into(), format!("TENANT#{tenant}"))
}

/// The audit trail (T8): a partition of its own per tenant, sorted by time.
pub fn audit_partition(tenant: &str) -> String {
    format!("TENANT#{tenant}#AUDIT")
}

pub const AUDIT_PREFIX: &str = "AUDIT#";

pub fn audit(tenant: &str, at: DateTime<Utc>, id: &str) -> Key {
    (audit_partition(tenant), format!("{AUDIT_PREFIX}{}#{id}", at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)))
}

pub fn health() -> Key {
    ("HEALTH".into(), "HEALTH".into())
}

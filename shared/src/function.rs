//! The Lambda functions this service deploys: one per group of endpoints (the route table says
//! which serves what), the scheduled outbox delivery and the listener for SES's mail events. All
//! run the one `bootstrap` binary; a function's name is its `SCHEDULER_FUNCTION` in
//! `template.yaml`, and a test holds the template to this list.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Function {
    Health,
    Admin,
    Availability,
    Profile,
    Slots,
    Booking,
    Meetings,
    AgentMeetings,
    Conversations,
    Assignment,
    Guest,
    Pages,
    /// Run every minute by a schedule: delivers the outbox (due notifications, reminders).
    Delivery,
    /// Hears SES's bounce and complaint events (through SNS): suppresses the address, tells the
    /// conversation.
    MailEvents,
}

/// What a function may do in AWS: its IAM policy is exactly these (least privilege: a test holds
/// `template.yaml` to this list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Access {
    /// Read items of the table and its indexes: `GetItem`, `BatchGetItem`, `Query`.
    TableRead,
    /// Write items of the table: `PutItem`, `UpdateItem`, `DeleteItem`, `ConditionCheckItem`.
    TableWrite,
    /// Write only the agents' connected-calendar caches (`TENANT#…#AGENT#…` partitions), what a
    /// slot lookup refreshes, and a calendar's alert (`TENANT#…#OUTBOX#calendar-…`), which
    /// names no recipient (delivery mails the agent as stored): see [`FEED_CACHE_WRITE_KEYS`].
    FeedCacheWrite,
    /// Send mail from the deployment's sender, through its configuration set.
    Mail,
    /// Publish domain events on the stack's bus.
    Events,
    /// Read the secret that signs the links emails carry.
    SigningKey,
}

/// The partition keys [`Access::FeedCacheWrite`] may write (IAM `dynamodb:LeadingKeys`).
pub const FEED_CACHE_WRITE_KEYS: &[&str] = &["TENANT#*#AGENT#*", "TENANT#*#OUTBOX#calendar-*"];

/// What starts a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// API Gateway requests, on the function's routes.
    Requests,
    /// An EventBridge schedule.
    Schedule,
    /// SNS messages (SES events).
    Notifications,
}

impl Function {
    pub const ALL: [Function; 14] = [
        Function::Health,
        Function::Admin,
        Function::Availability,
        Function::Profile,
        Function::Slots,
        Function::Booking,
        Function::Meetings,
        Function::AgentMeetings,
        Function::Conversations,
        Function::Assignment,
        Function::Guest,
        Function::Pages,
        Function::Delivery,
        Function::MailEvents,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Function::Health => "health",
            Function::Admin => "admin",
            Function::Availability => "availability",
            Function::Profile => "profile",
            Function::Slots => "slots",
            Function::Booking => "booking",
            Function::Meetings => "meetings",
            Function::AgentMeetings => "agent-meetings",
            Function::Conversations => "conversations",
            Function::Assignment => "assignment",
            Function::Guest => "guest",
            Function::Pages => "pages",
            Function::Delivery => "delivery",
            Function::MailEvents => "mail-events",
        }
    }

    pub fn from_name(name: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.name() == name)
    }

    /// What it may do (see [`Access`]).
    pub const fn access(self) -> &'static [Access] {
        use Access::*;
        match self {
            Function::Health | Function::Profile => &[TableRead],
            // The pages are static and call the API like any client; the booking page only asks
            // whether its slug takes guests (T5: a deactivated agent's answers 404).
            Function::Pages => &[TableRead],
            Function::Slots => &[TableRead, FeedCacheWrite],
            // An admin's webhook secrets are sealed under the signing key (W1).
            Function::Admin => &[TableRead, TableWrite, SigningKey],
            Function::Availability => &[TableRead, TableWrite],
            // A bounce is matched to what was sent by a mark under the signing key.
            Function::MailEvents => &[TableRead, TableWrite, SigningKey],
            Function::Assignment => &[TableRead, TableWrite, Events],
            Function::Conversations => &[TableRead, TableWrite, SigningKey],
            Function::Guest => &[TableRead, TableWrite, Mail, SigningKey],
            Function::Booking | Function::Meetings | Function::AgentMeetings => {
                &[TableRead, TableWrite, Mail, Events, SigningKey]
            }
            Function::Delivery => &[TableRead, TableWrite, Mail, Events, SigningKey],
        }
    }

    pub const fn trigger(self) -> Trigger {
        match self {
            Function::Delivery => Trigger::Schedule,
            Function::MailEvents => Trigger::Notifications,
            _ => Trigger::Requests,
        }
    }
}

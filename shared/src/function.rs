//! The Lambda functions this service deploys: one per group of endpoints (the route table says
//! which serves what) and the scheduled outbox delivery. A function's name is its package name,
//! its binary name and its SAM `Binary` build property; a test holds `template.yaml` to this list.

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
}

impl Function {
    pub const ALL: [Function; 13] = [
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
        }
    }

    pub fn from_name(name: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Functions started by a schedule rather than by requests.
    pub const fn is_scheduled(self) -> bool {
        matches!(self, Function::Delivery)
    }
}

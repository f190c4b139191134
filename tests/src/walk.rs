//! Walking the route table (T1, T4, T5): every route that takes a credential, pointed at real
//! records, with a body its owner would be answered for. The isolation test walks it with
//! another tenant's credentials; the credential tests with revoked ones.

use serde_json::{json, Value};
use shared::http::routes::{Operation, ROUTES};

use crate::TestApp;

/// The records a walk points routes at.
pub struct Targets {
    pub agent_id: String,
    pub pbx_id: String,
    pub service: String,
    pub meeting: String,
    pub conversation: String,
    pub slug: String,
    /// An admin key's id (`adm_<tenant>_<key id>_<secret>`).
    pub admin_key_id: String,
    /// A guest's address, for the routes that name one.
    pub guest: String,
}

impl Targets {
    /// The path of a route pointing at these records.
    pub fn path(&self, template: &str, operation: Operation) -> String {
        use Operation::*;
        let id = match operation {
            UpdateAgent | ReissueAgentToken | DeactivateAgent | ReactivateAgent => &self.agent_id,
            DeleteService | SetServiceMember | RemoveServiceMember => &self.service,
            DeletePbx => &self.pbx_id,
            RevokeAdminKey => &self.admin_key_id,
            GetMeeting | ChangeMeeting | CancelMeeting | ReissueManageToken => &self.meeting,
            _ => &self.conversation,
        };
        template
            .replace("{id}", id)
            .replace("{agent_id}", &self.agent_id)
            .replace("{slug}", &self.slug)
            .replace("{email}", &self.guest)
            .replace("{delivery}", "wh_0123456789abcdef0123456789abcdef")
    }

    /// A body that would be accepted from the owner's credentials.
    pub fn body(&self, operation: Operation) -> Option<Value> {
        use Operation::*;
        Some(match operation {
            CreateTenant => json!({ "name": "Intruder" }),
            CreatePbx => json!({ "name": "Intruder site" }),
            CreateAgent => {
                json!({ "name": "Mole", "email": "mole@x.example", "pbx_id": self.pbx_id, "time_zone": "UTC" })
            }
            UpdateAgent => json!({ "name": "Renamed" }),
            PutAvailability | PatchAvailability => json!({ "time_zone": "UTC" }),
            ScheduleMeeting => {
                json!({ "subject": "s", "start": "2027-03-29T09:00:00Z", "name": "n", "email": "n@x.example" })
            }
            ChangeMeeting => json!({ "subject": "Hijacked" }),
            RenameConversation => json!({ "title": "Hijacked" }),
            CreateService => json!({ "name": "Intruder group", "pbx_id": self.pbx_id }),
            SetServiceMember => json!({ "kind": "static" }),
            AssignConversation => json!({ "service_id": self.service }),
            CreateBookingLink => json!({ "first_date": "2027-04-01" }),
            PutCalendars => json!({ "feeds": [] }),
            PostMessage => json!({ "text": "Hijacked" }),
            MarkRead => json!({}),
            MuteConversation => json!({ "muted": true }),
            DeactivateAgent => json!({ "meetings": "cancel" }),
            CreateAdminKey => json!({ "name": "Intruder key" }),
            UpdateTenant => json!({ "retention_days": 30 }),
            ChangeBookingLink => json!({ "durations": [30] }),
            CreateWebhook => json!({ "url": "http://127.0.0.1:9/hook", "types": ["meeting.scheduled"] }),
            UpdateWebhook => json!({ "enabled": false }),
            UpdateService => json!({ "bookable": true }),
            _ => return None,
        })
    }
}

/// Routes open to anyone by design: a booking link's page, slots and booking, the guest's HTML
/// pages (which hold no data; they call the API), and health.
pub fn public(operation: Operation) -> bool {
    use Operation::*;
    matches!(
        operation,
        Health
            | GetBookingPage
            | ListSlots
            | BookMeeting
            | ConfirmHold
            | ResendHoldCode
            | StartSignIn
            | ConfirmSignIn
            | BookingPageHtml
            | ManagePageHtml
            | ConfirmPageHtml
            | ConversationPageHtml
            | SignInPageHtml
            | UnsubscribePageHtml
            | Unsubscribe
            | PageAsset
            | ConsoleSignIn
            | ConsoleConfirmSignIn
            | ConsolePageHtml
            | OpenApi
    )
}

/// Every route that takes a credential, called with `token` in the header: the statuses, by
/// route. Nothing is asserted here; the caller says what it expects.
pub async fn with_credential(app: &TestApp, targets: &Targets, token: &str) -> Vec<(String, u16)> {
    let mut answers = Vec::new();
    for route in ROUTES.iter().filter(|r| !public(r.operation)) {
        let path = targets.path(route.path, route.operation);
        let reply = app.call(route.method, &path, Some(token), targets.body(route.operation)).await;
        answers.push((format!("{} {}", route.method, route.path), reply.status));
    }
    answers
}

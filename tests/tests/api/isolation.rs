//! Tenant isolation (T1), walked over the whole route table: every route that addresses
//! something, called with another tenant's admin key, agent token, manage token and conversation
//! link, answers 401, 403 or 404 (or, for a route about the caller's own tenant, the caller's own
//! data) and never shows anything of the first tenant.

use integration_tests::walk::{public, Targets};
use integration_tests::{unique_address, Fixture, TestApp};
use serde_json::json;
use shared::http::routes::{Operation, ROUTES};

const NOW: &str = "2027-03-24T08:00:00Z";

/// Everything tenant A has, and the strings that must never reach tenant B.
struct Victim {
    f: Fixture,
    targets: Targets,
    meeting: String,
    conversation: String,
    secrets: Vec<String>,
}

async fn victim(app: &TestApp) -> Victim {
    let f = app.fixture("Europe/Rome").await;
    let distinct = json!({ "name": "Victoria Victim", "email": "victoria@victim.example" });
    assert_eq!(
        app.call("PATCH", &format!("/v1/agents/{}", f.agent_id), Some(&f.admin_key), Some(distinct)).await.status,
        200
    );
    let service = app
        .call("POST", "/v1/services", Some(&f.admin_key), Some(json!({ "name": "A-Sales", "pbx_id": f.pbx_id })))
        .await;
    let service = service.body["id"].as_str().unwrap().to_string();
    let path = format!("/v1/services/{service}/members/{}", f.agent_id);
    assert_eq!(app.call("PUT", &path, Some(&f.admin_key), Some(json!({ "kind": "static" }))).await.status, 200);
    let body = json!({ "subject": "A-secret-subject", "start": "2027-03-29T07:00:00Z", "name": "A-Guest", "email": "a-guest@victim.example" });
    let booked = app.call("POST", &format!("/v1/book/{}/meetings", f.slug), None, Some(body)).await;
    assert_eq!(booked.status, 201);
    let meeting = booked.body["meeting"]["id"].as_str().unwrap().to_string();
    let conversation = booked.body["conversation"]["id"].as_str().unwrap().to_string();
    let said = json!({ "text": "A-secret-message" });
    let path = format!("/v1/conversations/{conversation}/messages");
    assert_eq!(app.call("POST", &path, Some(&f.agent_token), Some(said)).await.status, 201);
    let secrets = vec![
        "A-secret-message".into(),
        f.tenant_id.clone(),
        f.agent_id.clone(),
        f.pbx_id.clone(),
        service.clone(),
        meeting.clone(),
        conversation.clone(),
        "victoria@victim.example".into(),
        "Victoria Victim".into(),
        "A-secret-subject".into(),
        "a-guest@victim.example".into(),
        "A-Guest".into(),
    ];
    let targets = Targets {
        agent_id: f.agent_id.clone(),
        pbx_id: f.pbx_id.clone(),
        service: service.clone(),
        meeting: meeting.clone(),
        conversation: conversation.clone(),
        slug: f.slug.clone(),
        admin_key_id: f.admin_key.split('_').nth(2).unwrap_or_default().to_string(),
        guest: "a-guest@victim.example".into(),
    };
    Victim { f, targets, meeting, conversation, secrets }
}

/// Routes whose answer is about the caller's own tenant (nothing in the path names a record).
fn about_the_caller(operation: Operation) -> bool {
    use Operation::*;
    matches!(
        operation,
        ListPbxs
            | ListAgents
            | GetUsage
            | ListServices
            | GetAvailability
            | PutAvailability
            | PatchAvailability
            | ConsoleMe
            | ConsoleSignOut
            | CreateWebhook
            | ListWebhooks
            | ListMyMeetings
            | ScheduleMeeting
            | CreatePbx
            | CreateBookingLink
            | ListBookingLinks
            | AgentCalendarFeed
            | IssueCalendarFeedToken
            | RevokeCalendarFeedToken
            | PutCalendars
            | GetCalendars
            | ListGuestMeetings
            | SignOut
            | ListInbox
            | ListSuppressions
            | GetTenant
            | UpdateTenant
            | CreateAdminKey
            | ListAdminKeys
            | ListAudit
            // An address names no record: the answer is about what the caller's tenant holds of it.
            | ExportGuest
            | EraseGuest
            | RevokeGuestSessions
    )
}

#[tokio::test]
async fn another_tenants_credentials_open_nothing_of_this_tenant() {
    let app = TestApp::at(NOW).await;
    let v = victim(&app).await;
    let intruder = app.fixture("Europe/Rome").await;
    let theirs = app.book(&intruder.slug, "2027-03-29T07:00:00Z", "mole@intruder.example").await;
    let manage = theirs.body["manage_token"].as_str().unwrap().to_string();
    let link = theirs.body["conversation"]["link_token"].as_str().unwrap().to_string();
    let session = app.guest_session(&intruder.slug, &unique_address("mole")).await;
    // An admin agent of B's, signed in to the console (AC1, AC3).
    let mole = unique_address("mole-agent");
    let body = json!({ "name": "Mole", "email": mole, "pbx_id": intruder.pbx_id, "time_zone": "UTC", "role": "admin" });
    assert_eq!(app.call("POST", "/v1/agents", Some(&intruder.admin_key), Some(body)).await.status, 201);
    let console = app.console_session(&mole).await;
    let credentials = [
        ("admin key", &intruder.admin_key),
        ("agent token", &intruder.agent_token),
        ("manage token", &manage),
        ("conversation link", &link),
        ("guest session", &session),
        ("console session", &console),
    ];

    let mut walked = 0;
    for route in ROUTES.iter().filter(|r| !public(r.operation)) {
        let path = v.targets.path(route.path, route.operation);
        for (what, token) in credentials {
            for via_query in [false, true] {
                let (url, bearer) = if via_query {
                    let sep = if path.contains('?') { '&' } else { '?' };
                    (format!("{path}{sep}token={token}"), None)
                } else {
                    (path.clone(), Some(token.as_str()))
                };
                let reply = app.call(route.method, &url, bearer, v.targets.body(route.operation)).await;
                walked += 1;
                let text = reply.body.to_string();
                // What the caller put in the path (an address to export) is no leak when echoed.
                for secret in v.secrets.iter().filter(|s| !url.contains(s.as_str())) {
                    assert!(
                        !text.contains(secret.as_str()),
                        "{} {url} with B's {what} leaked {secret}: {text}",
                        route.method
                    );
                }
                let refused = matches!(reply.status, 401 | 403 | 404 | 422);
                assert!(
                    refused || (about_the_caller(route.operation) && reply.status < 300),
                    "{} {} with B's {what}: {} {text}",
                    route.method,
                    route.path,
                    reply.status
                );
                if reply.status == 422 {
                    let kind = reply.body["type"].as_str().unwrap();
                    assert!(
                        ["/problems/unknown-pbx", "/problems/unknown-service", "/problems/unknown-agent"]
                            .contains(&kind),
                        "{kind}"
                    );
                }
            }
        }
    }
    assert!(walked >= 6 * 2 * 20, "walked {walked} calls");

    // And nothing of A changed.
    let meeting = app.call("GET", &format!("/v1/meetings/{}", v.meeting), Some(&v.f.agent_token), None).await;
    assert_eq!(
        (meeting.body["subject"].as_str(), meeting.body["status"].as_str()),
        (Some("A-secret-subject"), Some("scheduled"))
    );
    let conversation =
        app.call("GET", &format!("/v1/conversations/{}", v.conversation), Some(&v.f.agent_token), None).await;
    assert!(conversation.body["assignee"].is_null());
    assert_eq!(conversation.body["title"], "A-Guest");
    let agents = app.call("GET", "/v1/agents", Some(&v.f.admin_key), None).await;
    assert_eq!(agents.body["agents"].as_array().unwrap().len(), 1);
    assert_eq!(agents.body["agents"][0]["name"], "Victoria Victim");
}

/// Before: `?token=` with an agent token was accepted on every route, so an agent token could end
/// up in links, logs and browser histories. Now only the tokens a link must carry are read from
/// the query (manage links, conversation links, the calendar feed's own token).
#[tokio::test]
async fn agent_and_admin_credentials_are_never_read_from_the_query() {
    let app = TestApp::at(NOW).await;
    let v = victim(&app).await;
    for route in ROUTES.iter().filter(|r| !public(r.operation)) {
        let path = v.targets.path(route.path, route.operation);
        let sep = if path.contains('?') { '&' } else { '?' };
        for (what, token) in [("agent token", &v.f.agent_token), ("admin key", &v.f.admin_key)] {
            let url = format!("{path}{sep}token={token}");
            let reply = app.call(route.method, &url, None, v.targets.body(route.operation)).await;
            assert_eq!(
                reply.status, 401,
                "{} {} with the {what} in the query: {}",
                route.method, route.path, reply.body
            );
        }
    }
}

//! Services and conversation assignment against DynamoDB Local (S1–S7, C3): one test per rule,
//! refusals with their specific problem types, and a race of two assigning agents.

use std::collections::HashSet;
use std::sync::Arc;

use integration_tests::client::Booking;
use integration_tests::moto::EventCapture;
use integration_tests::{utc, Reply, TestApp};
use serde_json::{json, Value};
use shared::secrets;

const NOW: &str = "2027-03-24T08:00:00Z";

/// Rome: Ada (the booked agent), Zed, Bob. Milan: Mia.
/// sales (Rome): Ada static, Zed static, Bob dynamic, Mia static. support (Rome): Ada static.
/// desk (Milan): Mia static.
pub(crate) struct Org {
    pub(crate) admin: String,
    pub(crate) rome: String,
    pub(crate) slug: String,
    pub(crate) ada: (String, String),
    pub(crate) zed: (String, String),
    pub(crate) bob: (String, String),
    pub(crate) mia: (String, String),
    pub(crate) sales: String,
    pub(crate) support: String,
    pub(crate) desk: String,
}

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> Value {
    let reply = app.call("POST", path, Some(token), Some(body)).await;
    assert!(reply.status == 201, "{path}: {:?}", reply.body);
    reply.body
}

pub(crate) async fn org(app: &TestApp) -> Org {
    let f = app.fixture("Europe/Rome").await;
    let milan =
        post(app, "/v1/pbxs", &f.admin_key, json!({ "name": "Milan" })).await["id"].as_str().unwrap().to_string();
    let agent = |name: &'static str, pbx: String| {
        let admin = f.admin_key.clone();
        async move {
            let body = json!({ "name": name, "email": format!("{}@acme.example", name.to_lowercase()), "pbx_id": pbx, "time_zone": "Europe/Rome" });
            let created = post(app, "/v1/agents", &admin, body).await;
            (created["agent"]["id"].as_str().unwrap().to_string(), created["token"].as_str().unwrap().to_string())
        }
    };
    let zed = agent("Zed", f.pbx_id.clone()).await;
    let bob = agent("Bob", f.pbx_id.clone()).await;
    let mia = agent("Mia", milan.clone()).await;
    let ada = (f.agent_id.clone(), f.agent_token.clone());
    let service = |name: &'static str, pbx: String| {
        let admin = f.admin_key.clone();
        async move {
            post(app, "/v1/services", &admin, json!({ "name": name, "pbx_id": pbx })).await["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let (sales, support, desk) = (
        service("Sales", f.pbx_id.clone()).await,
        service("Support", f.pbx_id.clone()).await,
        service("Desk", milan).await,
    );
    for (service, agent, kind) in [
        (&sales, &ada.0, "static"),
        (&sales, &zed.0, "static"),
        (&sales, &bob.0, "dynamic"),
        (&sales, &mia.0, "static"),
        (&support, &ada.0, "static"),
        (&desk, &mia.0, "static"),
    ] {
        let path = format!("/v1/services/{service}/members/{agent}");
        let reply = app.call("PUT", &path, Some(&f.admin_key), Some(json!({ "kind": kind }))).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
    }
    Org { admin: f.admin_key, rome: f.pbx_id, slug: f.slug, ada, zed, bob, mia, sales, support, desk }
}

/// A conversation from a booking with Ada; `extra` adds an additional member.
pub(crate) async fn conversation(app: &TestApp, org: &Org, day: u32, extra: &[&str]) -> String {
    let start = format!("2027-03-{day:02}T07:00:00Z");
    let booking = Booking::at(&start, &format!("grace{day}@example.com")).name("Grace").with_members(extra);
    app.booked(&org.slug, &booking).await.conversation
}

async fn assign(app: &TestApp, conversation: &str, token: &str, body: Value) -> Reply {
    app.assign(conversation, token, body).await
}

fn agent_members(view: &Value) -> Vec<String> {
    view["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "agent")
        .map(|m| m["agent_id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn s2_the_service_is_found_from_the_agent() {
    let app = TestApp::at(NOW).await;
    let org = org(&app).await;
    let c = conversation(&app, &org, 29, &[]).await;
    let to_zed = assign(&app, &c, &org.ada.1, json!({ "agent_id": org.zed.0 })).await;
    assert_eq!(to_zed.status, 200, "{:?}", to_zed.body);
    assert_eq!(to_zed.body["assignee"]["service_id"], org.sales.as_str(), "Zed's one service");
    let to_me = assign(&app, &c, &org.zed.1, json!({})).await;
    assert_eq!((to_me.status, to_me.body["assignee"]["agent_id"].as_str()), (200, Some(org.zed.0.as_str())));
    let named = assign(&app, &c, &org.ada.1, json!({ "service_id": org.support })).await;
    assert_eq!(named.body["assignee"]["service_id"], org.support.as_str(), "a named service is used");
}

#[tokio::test]
async fn s3_other_agents_leave_and_guests_stay() {
    let app = TestApp::at(NOW).await;
    let org = org(&app).await;
    let c = conversation(&app, &org, 29, &["bob@example.com"]).await;
    let reply = assign(&app, &c, &org.ada.1, json!({ "agent_id": org.zed.0 })).await;
    assert_eq!(agent_members(&reply.body), vec![org.zed.0.clone()]);
    let kinds: Vec<&str> =
        reply.body["members"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["agent", "guest", "additional"]);
    let path = format!("/v1/conversations/{c}");
    assert_eq!(app.call("GET", &path, Some(&org.ada.1), None).await.status, 404, "Ada left the conversation");
    assert_eq!(app.call("GET", &path, Some(&org.zed.1), None).await.status, 200, "Zed is in it");
}

#[tokio::test]
async fn s4_an_assigned_one_to_one_becomes_a_group_with_the_assignee() {
    let app = TestApp::at(NOW).await;
    let org = org(&app).await;
    let c = conversation(&app, &org, 29, &[]).await;
    let before = app.call("GET", &format!("/v1/conversations/{c}"), Some(&org.ada.1), None).await;
    assert_eq!(before.body["kind"], "one_to_one");
    let after = assign(&app, &c, &org.zed.1, json!({})).await;
    assert_eq!(after.body["kind"], "group");
    assert!(agent_members(&after.body).contains(&org.zed.0));
}

#[tokio::test]
async fn s5_dynamic_members_cannot_be_assignees() {
    let app = TestApp::at(NOW).await;
    let org = org(&app).await;
    let c = conversation(&app, &org, 29, &[]).await;
    for body in [json!({ "agent_id": org.bob.0, "service_id": org.sales }), json!({ "agent_id": org.bob.0 })] {
        let reply = assign(&app, &c, &org.ada.1, body).await;
        assert_eq!((reply.status, reply.body["type"].as_str()), (422, Some("/problems/dynamic-member")));
    }
    let not_member = assign(&app, &c, &org.ada.1, json!({ "agent_id": org.zed.0, "service_id": org.support })).await;
    assert_eq!(not_member.body["type"], "/problems/not-a-member");
}

#[tokio::test]
async fn s6_assign_to_me_picks_a_random_service_of_my_own_pbx_where_i_am_static() {
    let app = TestApp::at(NOW).await;
    let org = org(&app).await;
    let c = conversation(&app, &org, 29, &[]).await;
    let mut chosen = HashSet::new();
    for _ in 0..30 {
        let reply = assign(&app, &c, &org.ada.1, json!({})).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body);
        chosen.insert(reply.body["assignee"]["service_id"].as_str().unwrap().to_string());
    }
    let want: HashSet<String> = [org.sales.clone(), org.support.clone()].into();
    assert_eq!(chosen, want, "both of Ada's Rome services, at random; never Milan's desk ({})", org.desk);
}

#[tokio::test]
async fn s7_nothing_crosses_a_pbx_or_a_tenant() {
    let app = TestApp::at(NOW).await;
    let org = org(&app).await;
    let c = conversation(&app, &org, 29, &[]).await;
    // Mia is a static member of Rome's sales, but her PBX is Milan.
    let other_pbx = assign(&app, &c, &org.ada.1, json!({ "agent_id": org.mia.0, "service_id": org.sales })).await;
    assert_eq!((other_pbx.status, other_pbx.body["type"].as_str()), (422, Some("/problems/other-pbx")));
    let self_elsewhere = assign(&app, &c, &org.mia.1, json!({})).await;
    assert_eq!(self_elsewhere.body["type"], "/problems/other-pbx", "Mia cannot take Rome's conversation through Milan");

    let stranger = org_in_another_tenant(&app).await;
    let foreign_agent = assign(&app, &c, &org.ada.1, json!({ "agent_id": stranger.0 })).await;
    assert_eq!(foreign_agent.body["type"], "/problems/unknown-agent");
    let foreign_service = assign(&app, &c, &org.ada.1, json!({ "service_id": stranger.2 })).await;
    assert_eq!(foreign_service.body["type"], "/problems/unknown-service");
    assert_eq!(
        assign(&app, &c, &stranger.1, json!({})).await.status,
        404,
        "another tenant's conversation does not exist"
    );
    let unchanged = app.call("GET", &format!("/v1/conversations/{c}"), Some(&org.ada.1), None).await;
    assert!(unchanged.body["assignee"].is_null(), "no refusal changed anything");
}

/// (agent id, agent token, service id) of another tenant.
async fn org_in_another_tenant(app: &TestApp) -> (String, String, String) {
    let f = app.fixture("Europe/Rome").await;
    let service = post(app, "/v1/services", &f.admin_key, json!({ "name": "Theirs", "pbx_id": f.pbx_id })).await;
    (f.agent_id, f.agent_token, service["id"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn c3_each_assignment_is_a_message_and_an_event() {
    let mut app = TestApp::at(NOW).await;
    let capture = EventCapture::new(&app.aws, &secrets::new_id()).await;
    app.publish_to(&capture);
    let org = org(&app).await;
    let c = conversation(&app, &org, 29, &[]).await;
    app.clock.advance(chrono::Duration::seconds(1));
    assign(&app, &c, &org.ada.1, json!({ "agent_id": org.zed.0 })).await;
    let view = app.call("GET", &format!("/v1/conversations/{c}"), Some(&org.zed.1), None).await;
    let last = view.body["messages"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["event"]["type"].as_str(), last["text"].as_str()),
        (Some("assigned"), Some("Conversation assigned to Zed (Sales)"))
    );
    let events = capture.received().await;
    let assigned: Vec<&Value> = events.iter().filter(|e| e["detail-type"] == "ConversationAssigned").collect();
    assert_eq!(assigned.len(), 1);
    assert_eq!(assigned[0]["detail"]["agent_id"], org.zed.0.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_agents_assigning_at_once_leave_one_consistent_result() {
    let app = Arc::new(TestApp::at(NOW).await);
    let org = org(&app).await;
    for day in [29, 30, 31] {
        let c = conversation(&app, &org, day, &[]).await;
        // Both through Sales, so each stays allowed to assign (S8) whoever lands first.
        let race = |token: String| {
            let (app, c, sales) = (app.clone(), c.clone(), org.sales.clone());
            tokio::spawn(async move { assign(&app, &c, &token, json!({ "service_id": sales })).await })
        };
        let (ada, zed) = tokio::join!(race(org.ada.1.clone()), race(org.zed.1.clone()));
        let (ada, zed) = (ada.unwrap(), zed.unwrap());
        // Overlapping, one is refused; one after the other, both land and the later stands.
        for reply in [&ada, &zed] {
            assert!(matches!(reply.status, 200 | 409), "{:?}", reply.body);
        }
        assert!(ada.status == 200 || zed.status == 200);
        let assignee = [(&ada, &org.ada), (&zed, &org.zed)]
            .iter()
            .filter(|(reply, _)| reply.status == 200)
            .map(|(_, agent)| agent.0.clone())
            .collect::<Vec<_>>();
        let now = app.call("GET", &format!("/v1/conversations/{c}"), Some(&org.zed.1), None).await;
        let now = if now.status == 200 {
            now
        } else {
            app.call("GET", &format!("/v1/conversations/{c}"), Some(&org.ada.1), None).await
        };
        let winner = now.body["assignee"]["agent_id"].as_str().unwrap().to_string();
        assert!(assignee.contains(&winner), "the assignee is one whose assignment landed");
        assert_eq!(agent_members(&now.body), vec![winner], "the members match the assignee, never a mix");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_assignments_from_the_same_read_cannot_both_land() {
    use shared::domain::assignment::{assign, Service};
    use shared::domain::conversation::{Author, Message};
    use shared::domain::notification::{Notification, Planned, Reason};

    let app = Arc::new(TestApp::at(NOW).await);
    let org = org(&app).await;
    let c = conversation(&app, &org, 29, &[]).await;
    let tenant =
        app.call("GET", "/v1/usage", Some(&org.admin), None).await.body["tenant_id"].as_str().unwrap().to_string();
    let (before, link) = app.deps.store.conversation(&tenant, &c).await.unwrap().unwrap();
    let services: Vec<Service> = app.deps.store.services(&tenant).await.unwrap();
    let sales = services.iter().find(|s| s.id == org.sales).unwrap().clone();
    let attempts = [&org.ada.0, &org.zed.0].map(|agent_id| {
        let (app, tenant, before, link, sales) =
            (app.clone(), tenant.clone(), before.clone(), link.clone(), sales.clone());
        let agent_id = agent_id.clone();
        tokio::spawn(async move {
            let (agent, _) = app.deps.store.agent(&tenant, &agent_id).await.unwrap().unwrap();
            let now = utc(NOW);
            let by = Author::agent(&agent.id);
            let (after, event) = assign(&before, &agent, &sales, &by, now);
            let message = Message::event(now, by, event);
            let notification = Notification {
                id: secrets::new_id(),
                tenant_id: tenant.clone(),
                reason: Reason::Assigned,
                meeting: None,
                agent: agent.contact(),
                recipients: vec![],
                manage_token: None,
                conversation_link: None,
                code: None,
                event: None,
                created_at: now,
            };
            let entry = Planned { notification, due_at: now };
            app.deps.store.save_conversation(&tenant, &before, &after, &link, &message, Some(&entry)).await.is_ok()
        })
    });
    let mut landed = 0;
    for attempt in attempts {
        landed += usize::from(attempt.await.unwrap());
    }
    assert_eq!(landed, 1, "both read version {}; only one write may build on it", before.version);
}

#[tokio::test]
async fn services_and_members_are_managed_by_the_admin() {
    let app = TestApp::at(NOW).await;
    let org = org(&app).await;
    let listed = app.call("GET", "/v1/services", Some(&org.admin), None).await;
    let sales =
        listed.body["services"].as_array().unwrap().iter().find(|s| s["id"] == org.sales.as_str()).unwrap().clone();
    assert_eq!(sales["members"].as_array().unwrap().len(), 4);
    let unknown_pbx = app
        .call("POST", "/v1/services", Some(&org.admin), Some(json!({ "name": "X", "pbx_id": "0123456789abcdef0123" })))
        .await;
    assert_eq!((unknown_pbx.status, unknown_pbx.body["type"].as_str()), (422, Some("/problems/unknown-pbx")));
    let ghost = format!("/v1/services/{}/members/0123456789abcdef0123", org.sales);
    assert_eq!(app.call("PUT", &ghost, Some(&org.admin), Some(json!({ "kind": "static" }))).await.status, 404);
    let bob = format!("/v1/services/{}/members/{}", org.sales, org.bob.0);
    assert_eq!(app.call("DELETE", &bob, Some(&org.admin), None).await.status, 204);
    assert_eq!(app.call("DELETE", &bob, Some(&org.admin), None).await.status, 404, "no longer a member");
    let bad_kind = app.call("PUT", &bob, Some(&org.admin), Some(json!({ "kind": "sometimes" }))).await;
    assert_eq!((bad_kind.status, bad_kind.body["field"].as_str()), (400, Some("kind")));
    assert_eq!(
        app.call("GET", "/v1/services", Some(&org.ada.1), None).await.status,
        403,
        "agents do not manage services"
    );
}

/// Before: any agent of the PBX could take over a conversation they could not even read (404),
/// after which its own agent could no longer read it. S8: only a member, or a static member of
/// the conversation's service, may assign it.
#[tokio::test]
async fn s8_only_members_and_static_members_of_its_service_may_assign() {
    let app = TestApp::at(NOW).await;
    let org = org(&app).await;
    let c = conversation(&app, &org, 29, &[]).await;
    let path = format!("/v1/conversations/{c}");
    // Kim works in Rome but is in no service; Bob is only a dynamic member of Sales.
    let kim = post(
        &app,
        "/v1/agents",
        &org.admin,
        json!({ "name": "Kim", "email": "kim@acme.example", "pbx_id": org.rome, "time_zone": "Europe/Rome" }),
    )
    .await["token"]
        .as_str()
        .unwrap()
        .to_string();
    for (who, token) in [("Kim", &kim), ("Bob", &org.bob.1)] {
        assert_eq!(app.call("GET", &path, Some(token), None).await.status, 404, "{who} cannot read it");
        let taken = assign(&app, &c, token, json!({})).await;
        assert_eq!((taken.status, taken.body["type"].as_str()), (404, Some("/problems/not-found")), "{who}");
    }
    let seen = app.call("GET", &path, Some(&org.ada.1), None).await;
    assert_eq!((seen.status, seen.body["assignee"].is_null()), (200, true), "nothing changed");
    // Zed is a static member of Sales, one of the services Ada (its agent) belongs to.
    let by_zed = assign(&app, &c, &org.zed.1, json!({})).await;
    assert_eq!(by_zed.status, 200, "{:?}", by_zed.body);
}

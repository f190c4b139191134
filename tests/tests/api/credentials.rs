//! Credentials taken back (T4, T5): admin keys named, limited, revoked; an agent's token
//! reissued; a deactivated agent refused. Each old credential is walked over the whole route
//! table (as the isolation test walks another tenant's) and refused everywhere, from the request
//! after the change on.

use chrono::Duration;
use integration_tests::client::Booking;
use integration_tests::walk::{self, Targets};
use integration_tests::{unique_address, Fixture, TestApp};
use serde_json::json;

const NOW: &str = "2027-03-24T08:00:00Z";
const AT_0900: &str = "2027-03-29T07:00:00Z";

/// A tenant with a service, a meeting and a conversation for the walk to point at.
async fn tenant(app: &TestApp) -> (Fixture, Targets) {
    let f = app.fixture("Europe/Rome").await;
    let service = app
        .call("POST", "/v1/services", Some(&f.admin_key), Some(json!({ "name": "Sales", "pbx_id": f.pbx_id })))
        .await;
    let service = service.body["id"].as_str().unwrap().to_string();
    let guest = unique_address("grace");
    let booked = app.booked(&f.slug, &Booking::at(AT_0900, &guest)).await;
    let targets = Targets {
        agent_id: f.agent_id.clone(),
        pbx_id: f.pbx_id.clone(),
        service,
        meeting: booked.id,
        conversation: booked.conversation,
        slug: f.slug.clone(),
        admin_key_id: key_id(&f.admin_key),
        guest,
    };
    (f, targets)
}

fn key_id(admin_key: &str) -> String {
    admin_key.split('_').nth(2).expect("adm_<tenant>_<key id>_<secret>").to_string()
}

/// Walks every route with `token` and asserts each refuses it as a credential: 401 where it was
/// a credential of the route's kind, else 403 (a credential of another kind); never an answer.
async fn refused_everywhere(app: &TestApp, targets: &Targets, token: &str, what: &str) -> usize {
    let answers = walk::with_credential(app, targets, token).await;
    let mut unauthorized = 0;
    for (route, status) in &answers {
        assert!(matches!(status, 401 | 403), "{route} with {what}: {status}");
        unauthorized += usize::from(*status == 401);
    }
    unauthorized
}

async fn new_key(app: &TestApp, admin_key: &str, name: &str) -> (u16, serde_json::Value) {
    let reply = app.call("POST", "/v1/admin-keys", Some(admin_key), Some(json!({ "name": name }))).await;
    (reply.status, reply.body)
}

#[tokio::test]
async fn a_tenant_holds_five_named_admin_keys_and_a_revoked_one_opens_nothing() {
    let app = TestApp::at(NOW).await;
    let (f, targets) = tenant(&app).await;
    let mut keys = Vec::new();
    for name in ["ci", "billing", "backup", "ops"] {
        // A second apart, as people act: the trail is ordered by time.
        app.clock.advance(Duration::seconds(1));
        let (status, body) = new_key(&app, &f.admin_key, name).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["key"]["name"], name);
        keys.push((body["key"]["id"].as_str().unwrap().to_string(), body["admin_key"].as_str().unwrap().to_string()));
    }
    let (status, body) = new_key(&app, &f.admin_key, "one too many").await;
    assert_eq!((status, body["type"].as_str()), (409, Some("/problems/too-many-admin-keys")), "{body}");

    // Each key works, and the list says when each was last used (never its secret).
    let (ci_id, ci) = keys[0].clone();
    assert_eq!(app.call("GET", "/v1/agents", Some(&ci), None).await.status, 200);
    let listed = app.call("GET", "/v1/admin-keys", Some(&f.admin_key), None).await;
    let listed = listed.body["keys"].as_array().unwrap().clone();
    assert_eq!(listed.len(), 5, "{listed:?}");
    let ci_row = listed.iter().find(|k| k["id"] == ci_id.as_str()).unwrap();
    assert_eq!(ci_row["last_used"], "2027-03-24T08", "used this hour");
    let ops_row = listed.iter().find(|k| k["name"] == "ops").unwrap();
    assert!(ops_row["last_used"].is_null(), "never used");
    assert!(!listed.iter().any(|k| k.to_string().contains(&ci[ci.len() - 20..])), "no secret is listed");

    // Revoked with another key: refused on the very next request, by every route.
    app.clock.advance(Duration::seconds(1));
    let revoke = app.call("DELETE", &format!("/v1/admin-keys/{ci_id}"), Some(&f.admin_key), None).await;
    assert_eq!(revoke.status, 204, "{:?}", revoke.body);
    let unauthorized = refused_everywhere(&app, &targets, &ci, "a revoked admin key").await;
    assert!(unauthorized >= 20, "every admin route said 401 ({unauthorized})");
    // …and its place is free again.
    app.clock.advance(Duration::seconds(1));
    assert_eq!(new_key(&app, &f.admin_key, "replacement").await.0, 201);

    // The last key standing cannot be revoked (the tenant would be locked out).
    let listed = app.call("GET", "/v1/admin-keys", Some(&f.admin_key), None).await;
    let first_id = key_id(&f.admin_key);
    for key in listed.body["keys"].as_array().unwrap() {
        let id = key["id"].as_str().unwrap();
        if id != first_id {
            app.clock.advance(Duration::seconds(1));
            assert_eq!(app.call("DELETE", &format!("/v1/admin-keys/{id}"), Some(&f.admin_key), None).await.status, 204);
        }
    }
    let last = app.call("DELETE", &format!("/v1/admin-keys/{first_id}"), Some(&f.admin_key), None).await;
    assert_eq!((last.status, last.body["type"].as_str()), (409, Some("/problems/last-admin-key")), "{:?}", last.body);
    assert_eq!(app.call("GET", "/v1/agents", Some(&f.admin_key), None).await.status, 200);

    // Who did what, newest first.
    let audit = app.call("GET", "/v1/audit?limit=3", Some(&f.admin_key), None).await;
    let entries = audit.body["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0]["action"], "admin_key.revoked");
    assert_eq!(entries[0]["by"], format!("key:{first_id}"));
    let next = audit.body["next"].as_str().expect("more pages");
    let next = next.replace('#', "%23").replace(':', "%3A");
    let older = app.call("GET", &format!("/v1/audit?limit=200&before={next}"), Some(&f.admin_key), None).await;
    let actions: Vec<&str> =
        older.body["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    let keys_created: Vec<&str> = older.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "admin_key.created")
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert_eq!(keys_created, ["replacement", "ops", "backup", "billing", "ci"], "newest first: {actions:?}");
    for setup in ["pbx.created", "agent.created", "service.created"] {
        assert!(actions.contains(&setup), "{setup} in {actions:?}");
    }
}

#[tokio::test]
async fn a_reissued_agent_token_refuses_the_old_one_everywhere_at_once() {
    let app = TestApp::at(NOW).await;
    let (f, targets) = tenant(&app).await;
    assert_eq!(app.inbox(&f.agent_token, "").await.status, 200);
    let reissued = app.call("POST", &format!("/v1/agents/{}/token", f.agent_id), Some(&f.admin_key), None).await;
    assert_eq!(reissued.status, 201, "{:?}", reissued.body);
    let token = reissued.body["token"].as_str().unwrap();
    assert_ne!(token, f.agent_token);

    let unauthorized = refused_everywhere(&app, &targets, &f.agent_token, "the old agent token").await;
    assert!(unauthorized >= 15, "every agent route said 401 ({unauthorized})");
    let feed = app.call("GET", &format!("/v1/me/calendar.ics?token={}", f.agent_token), None, None).await;
    assert_eq!(feed.status, 401, "nor through the feed's query");
    assert_eq!(app.inbox(token, "").await.status, 200, "the new one works");
    let agents = app.call("GET", "/v1/agents", Some(&f.admin_key), None).await;
    assert_eq!(agents.body["agents"][0]["token_last_used"], "2027-03-24T08");
}

#[tokio::test]
async fn a_deactivated_agent_is_refused_everywhere_and_their_pages_are_gone_until_reactivated() {
    let app = TestApp::at(NOW).await;
    let (f, targets) = tenant(&app).await;
    let link = app.create_link(&f.agent_token, json!({ "durations": [30] })).await;
    let link = link.body["slug"].as_str().unwrap().to_string();
    let feed = app.call("POST", "/v1/me/calendar-feed", Some(&f.agent_token), None).await;
    let feed_token = feed.body["token"].as_str().expect("a feed token").to_string();

    let body = json!({ "meetings": "cancel" });
    let off = app.call("POST", &format!("/v1/agents/{}/deactivate", f.agent_id), Some(&f.admin_key), Some(body)).await;
    assert_eq!(off.status, 200, "{:?}", off.body);

    let unauthorized = refused_everywhere(&app, &targets, &f.agent_token, "a deactivated agent's token").await;
    assert!(unauthorized >= 15, "every agent route said 401 ({unauthorized})");
    let ics = app.call("GET", &format!("/v1/me/calendar.ics?token={feed_token}"), None, None).await;
    assert_eq!(ics.status, 401, "nor the calendar feed's own token");
    for slug in [&f.slug, &link] {
        for path in [
            format!("/v1/book/{slug}"),
            format!("/v1/book/{slug}/slots?from=2027-03-29&to=2027-03-29"),
            format!("/b/{slug}"),
        ] {
            assert_eq!(app.call("GET", &path, None, None).await.status, 404, "{path}");
        }
        let booking = app.book(slug, "2027-03-30T07:00:00Z", &unique_address("late")).await;
        assert_eq!(booking.status, 404, "{:?}", booking.body);
    }
    let agents = app.call("GET", "/v1/agents", Some(&f.admin_key), None).await;
    assert_eq!(agents.body["agents"][0]["active"], false);

    // Reactivation gives access back (not the meetings).
    let on = app.call("POST", &format!("/v1/agents/{}/reactivate", f.agent_id), Some(&f.admin_key), None).await;
    assert_eq!((on.status, &on.body["active"]), (200, &json!(true)), "{:?}", on.body);
    assert_eq!(app.inbox(&f.agent_token, "").await.status, 200);
    assert_eq!(app.call("GET", &format!("/v1/book/{link}"), None, None).await.status, 200);
    let meeting = app.meeting(&targets.meeting, &f.agent_token).await;
    assert_eq!(meeting.body["status"], "cancelled", "the meeting stays cancelled");
}

#[tokio::test]
async fn the_admin_ends_every_session_of_a_guest_at_once() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let (grace, first) = app.proven_guest(&f.slug, "grace").await;
    let second = app.guest_session(&f.slug, &grace).await;
    let (_, other) = app.proven_guest(&f.slug, "ivy").await;
    for session in [&first, &second, &other] {
        assert_eq!(app.call("GET", "/v1/guest/meetings", Some(session), None).await.status, 200);
    }
    let path = format!("/v1/guests/{}/sessions", grace.replace('@', "%40"));
    let revoked = app.call("DELETE", &path, Some(&f.admin_key), None).await;
    assert_eq!((revoked.status, &revoked.body["revoked"]), (200, &json!(2)), "{:?}", revoked.body);
    for session in [&first, &second] {
        assert_eq!(app.call("GET", "/v1/guest/meetings", Some(session), None).await.status, 401);
    }
    assert_eq!(app.call("GET", "/v1/guest/meetings", Some(&other), None).await.status, 200, "another guest's stays");
}

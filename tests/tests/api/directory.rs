//! The directory changed and pruned (T6): a booking link's limits changed and the link removed;
//! a service removed, its conversations back with their agents; a PBX removed once empty.

use integration_tests::client::Booking;
use integration_tests::{unique_address, TestApp};
use serde_json::json;

use crate::assignment::{conversation, org};

const NOW: &str = "2027-03-24T08:00:00Z";

#[tokio::test]
async fn a_links_limits_change_and_a_removed_link_is_gone_while_its_meetings_stay() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let body = json!({ "slug": "ada-april", "first_date": "2027-04-01", "durations": [30] });
    assert_eq!(app.create_link(&f.agent_token, body).await.status, 201);
    let early = Booking::at("2027-03-29T07:00:00Z", &unique_address("early")).lasting(45);
    let refused = app.book_as("ada-april", &early).await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);

    // A `null` lifts a limit, a value replaces it, a field left out stays.
    let changes = json!({ "first_date": null, "durations": [45] });
    let changed = app.call("PATCH", "/v1/me/booking-links/ada-april", Some(&f.agent_token), Some(changes)).await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    assert_eq!((&changed.body["first_date"], &changed.body["durations"]), (&json!(null), &json!([45])));
    let page = app.call("GET", "/v1/book/ada-april", None, None).await;
    assert_eq!(page.body["durations"], json!([45]));
    let booked = app.booked("ada-april", &early).await;
    let bad = app
        .call("PATCH", "/v1/me/booking-links/ada-april", Some(&f.agent_token), Some(json!({ "durations": [] })))
        .await;
    assert_eq!((bad.status, bad.body["field"].as_str()), (400, Some("durations")), "{:?}", bad.body);
    let unknown = json!({ "durations": [30], "colour": "red" });
    assert_eq!(
        app.call("PATCH", "/v1/me/booking-links/ada-april", Some(&f.agent_token), Some(unknown)).await.status,
        400
    );

    let removed = app.call("DELETE", "/v1/me/booking-links/ada-april", Some(&f.agent_token), None).await;
    assert_eq!(removed.status, 204, "{:?}", removed.body);
    for path in ["/v1/book/ada-april", "/b/ada-april", "/v1/book/ada-april/slots"] {
        assert_eq!(app.call("GET", path, None, None).await.status, 404, "{path}");
    }
    let late =
        app.book_as("ada-april", &Booking::at("2027-03-30T07:00:00Z", &unique_address("late")).lasting(45)).await;
    assert_eq!(late.status, 404);
    let links = app.call("GET", "/v1/me/booking-links", Some(&f.agent_token), None).await;
    assert!(links.body["links"].as_array().unwrap().is_empty());
    assert_eq!(app.meeting(&booked.id, &booked.token).await.body["status"], "scheduled", "its meeting stays");
    let again = app.call("DELETE", "/v1/me/booking-links/ada-april", Some(&f.agent_token), None).await;
    assert_eq!(again.status, 404);
}

#[tokio::test]
async fn a_removed_services_conversations_go_back_to_their_agent() {
    let app = TestApp::at(NOW).await;
    let o = org(&app).await;
    let c = conversation(&app, &o, 29, &[]).await;
    let assigned = app.assign(&c, &o.ada.1, json!({ "agent_id": o.zed.0 })).await;
    assert_eq!(assigned.body["assignee"]["service_id"], o.sales.as_str(), "{:?}", assigned.body);
    let path = format!("/v1/conversations/{c}");
    assert_eq!(app.call("GET", &path, Some(&o.ada.1), None).await.status, 404, "Ada left it when Zed took it");

    let removed = app.call("DELETE", &format!("/v1/services/{}", o.sales), Some(&o.admin), None).await;
    assert_eq!(removed.status, 204, "{:?}", removed.body);
    let services = app.call("GET", "/v1/services", Some(&o.admin), None).await;
    let names: Vec<&str> =
        services.body["services"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert!(!names.contains(&"Sales"), "{names:?}");

    let seen = app.call("GET", &path, Some(&o.ada.1), None).await;
    assert_eq!(seen.status, 200, "Ada holds it again: {:?}", seen.body);
    assert!(seen.body["assignee"].is_null());
    let kinds: Vec<&str> =
        seen.body["messages"].as_array().unwrap().iter().filter_map(|m| m["event"]["type"].as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "service_removed").count(), 1, "{kinds:?}");
    let inbox = app.inbox(&o.ada.1, "").await;
    let entry = inbox.body["conversations"].as_array().unwrap().iter().find(|e| e["id"] == c.as_str()).cloned();
    assert_eq!(entry.map(|e| e["member"].clone()), Some(json!(true)), "in Ada's own inbox");
    assert_eq!(app.call("DELETE", &format!("/v1/services/{}", o.sales), Some(&o.admin), None).await.status, 404);
}

#[tokio::test]
async fn a_pbx_is_removed_only_when_nothing_belongs_to_it() {
    let app = TestApp::at(NOW).await;
    let o = org(&app).await;
    let busy = app.call("DELETE", &format!("/v1/pbxs/{}", o.rome), Some(&o.admin), None).await;
    assert_eq!((busy.status, busy.body["type"].as_str()), (409, Some("/problems/not-empty")), "{:?}", busy.body);
    let empty = app.call("POST", "/v1/pbxs", Some(&o.admin), Some(json!({ "name": "Turin" }))).await;
    let turin = empty.body["id"].as_str().unwrap().to_string();
    assert_eq!(app.call("DELETE", &format!("/v1/pbxs/{turin}"), Some(&o.admin), None).await.status, 204);
    let pbxs = app.call("GET", "/v1/pbxs", Some(&o.admin), None).await;
    assert!(!pbxs.body["pbxs"].as_array().unwrap().iter().any(|p| p["id"] == turin.as_str()));
    // An agent on a removed PBX cannot be made.
    let body = json!({ "name": "Tia", "email": "tia@acme.example", "pbx_id": turin, "time_zone": "Europe/Rome" });
    let agent = app.call("POST", "/v1/agents", Some(&o.admin), Some(body)).await;
    assert_eq!(agent.status, 422, "{:?}", agent.body);
}

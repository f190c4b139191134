//! Conversations against DynamoDB Local (C1–C3): one per guest and agent, titles per viewer,
//! a system message for everything, in order; readable by members and by the public link.

use integration_tests::client::Booking;
use integration_tests::{unique_address, Reply, TestApp};
use serde_json::{json, Value};

const NOW: &str = "2027-03-24T08:00:00Z";

async fn book(app: &TestApp, slug: &str, start: &str, email: &str, name: &str, additional: &[&str]) -> Reply {
    let reply = app.book_as(slug, &Booking::at(start, email).name(name).with_members(additional)).await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    reply
}

/// A booking by a guest who signed in (G3): only a verified guest's bookings share one
/// conversation (G4).
async fn book_signed_in(
    app: &TestApp,
    slug: &str,
    start: &str,
    email: &str,
    session: &str,
    name: &str,
    additional: &[&str],
) -> Reply {
    let booking = Booking::at(start, email).name(name).with_members(additional).signed_in(session);
    let reply = app.book_as(slug, &booking).await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    reply
}

fn event_types(conversation: &Value) -> Vec<String> {
    conversation["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["event"]["type"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_guests_meetings_with_an_agent_share_one_conversation() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let grace = unique_address("grace");
    let session = app.guest_session(&f.slug, &grace).await;
    let first = book_signed_in(&app, &f.slug, "2027-03-29T07:00:00Z", &grace, &session, "Grace Hopper", &[]).await;
    let second = book_signed_in(
        &app,
        &f.slug,
        "2027-03-30T07:00:00Z",
        &grace.to_uppercase(),
        &session,
        "Grace Hopper",
        &["bob@example.com"],
    )
    .await;
    let other = book(&app, &f.slug, "2027-03-31T07:00:00Z", "alan@example.com", "Alan Turing", &[]).await;

    let id = first.body["conversation"]["id"].as_str().unwrap();
    assert_eq!(second.body["conversation"]["id"], id, "reused");
    assert_ne!(other.body["conversation"]["id"], id, "another guest, another conversation");
    assert!(first.body["conversation"]["link_token"].as_str().unwrap().starts_with("cnv_"));
    assert!(second.body["conversation"]["link_token"].is_null(), "the link is shown once, when it is made");

    let seen = app.call("GET", &format!("/v1/conversations/{id}"), Some(&f.agent_token), None).await;
    assert_eq!(seen.status, 200, "{:?}", seen.body);
    let members: Vec<&str> =
        seen.body["members"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(members, vec!["agent", "guest", "additional"], "the second booking's extra member joined");
    assert_eq!(event_types(&seen.body), vec!["meeting_booked", "meeting_booked"]);
}

#[tokio::test]
async fn each_viewer_sees_their_own_title_until_someone_renames_it() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let grace = unique_address("grace");
    let session = app.guest_session(&f.slug, &grace).await;
    let booked =
        book_signed_in(&app, &f.slug, "2027-03-29T07:00:00Z", &grace, &session, "Grace Hopper", &["bob@example.com"])
            .await;
    let id = booked.body["conversation"]["id"].as_str().unwrap().to_string();
    let guest = booked.body["manage_token"].as_str().unwrap().to_string();
    let link = booked.body["conversation"]["link_token"].as_str().unwrap().to_string();
    let path = format!("/v1/conversations/{id}");

    let title = |reply: Reply| reply.body["title"].as_str().unwrap().to_string();
    assert_eq!(title(app.call("GET", &path, Some(&f.agent_token), None).await), "Grace Hopper, bob@example.com");
    assert_eq!(title(app.call("GET", &path, Some(&guest), None).await), "Ada Lovelace, bob@example.com");
    let public = app.call("GET", &format!("{path}?token={link}"), None, None).await;
    assert_eq!(public.status, 200, "public by link");
    assert!(
        public.body["members"].as_array().unwrap().iter().all(|m| m.get("email").is_none()),
        "no addresses by link"
    );

    let renamed = app.call("PATCH", &path, Some(&guest), Some(json!({ "title": "Onboarding" }))).await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.body);
    for token in [&f.agent_token, &guest, &link] {
        assert_eq!(title(app.call("GET", &path, Some(token), None).await), "Onboarding");
    }
    let by_link = app.call("PATCH", &path, Some(&link), Some(json!({ "title": "Mine" }))).await;
    assert_eq!(by_link.status, 403, "the link reads, it does not rename");
    let reset = app.call("PATCH", &path, Some(&f.agent_token), Some(json!({ "title": null }))).await;
    assert_eq!(title(reset), "Grace Hopper, bob@example.com");
}

#[tokio::test]
async fn every_change_is_a_system_message_in_order() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let booked = book(&app, &f.slug, "2027-03-29T07:00:00Z", "grace@example.com", "Grace Hopper", &[]).await;
    let meeting = booked.body["meeting"]["id"].as_str().unwrap();
    let token = booked.body["manage_token"].as_str().unwrap();
    let path = format!("/v1/meetings/{meeting}");
    // All at the same instant on the test clock: order must come from the changes themselves.
    assert_eq!(
        app.call("PATCH", &path, Some(token), Some(json!({ "start": "2027-03-29T09:00:00Z" }))).await.status,
        200
    );
    assert_eq!(app.call("PATCH", &path, Some(&f.agent_token), Some(json!({ "duration": 45 }))).await.status, 200);
    assert_eq!(app.call("PATCH", &path, Some(token), Some(json!({ "subject": "Pricing" }))).await.status, 200);
    assert_eq!(app.call("DELETE", &path, Some(token), None).await.status, 200);

    let id = booked.body["conversation"]["id"].as_str().unwrap();
    let seen = app.call("GET", &format!("/v1/conversations/{id}"), Some(&f.agent_token), None).await;
    assert_eq!(
        event_types(&seen.body),
        vec!["meeting_booked", "meeting_rescheduled", "duration_changed", "subject_changed", "meeting_cancelled"]
    );
    let messages = seen.body["messages"].as_array().unwrap();
    let by: Vec<&str> = messages.iter().map(|m| m["by"].as_str().unwrap()).collect();
    assert_eq!(by[..3], ["guest", "guest", &format!("agent:{}", f.agent_id)]);
    assert_eq!(messages[1]["event"]["from"], "2027-03-29T07:00:00Z");
    assert!(messages[3]["text"].as_str().unwrap().contains("Pricing"));
}

#[tokio::test]
async fn only_members_and_link_holders_can_read() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let grace = book(&app, &f.slug, "2027-03-29T07:00:00Z", "grace@example.com", "Grace", &[]).await;
    let alan = book(&app, &f.slug, "2027-03-30T07:00:00Z", "alan@example.com", "Alan", &[]).await;
    let id = grace.body["conversation"]["id"].as_str().unwrap();
    let path = format!("/v1/conversations/{id}");
    let other = app.fixture("Europe/Rome").await;
    let alans_token = alan.body["manage_token"].as_str().unwrap();
    let alans_link = alan.body["conversation"]["link_token"].as_str().unwrap();
    for (token, want) in
        [(alans_token, 404), (alans_link, 404), (other.agent_token.as_str(), 404), (f.admin_key.as_str(), 403)]
    {
        assert_eq!(app.call("GET", &path, Some(token), None).await.status, want, "{token}");
    }
    assert_eq!(app.call("GET", &path, None, None).await.status, 401);
}

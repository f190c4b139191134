//! Webhooks (W1–W3) with a real receiver on loopback: deliveries signed the Standard Webhooks
//! way (checked here from the specification, not with our own code), the same `webhook-id` for
//! every try of one delivery, retried until the receiver takes it, never in a booking's way;
//! rotation's two signatures; addresses a deployment may not call; an endpoint failing for a day
//! disabled and its admins told; SES and the receiver down at once, then back: everything once.

use std::time::Instant;

use base64::Engine;
use chrono::Duration;
use hmac::{Hmac, Mac};
use integration_tests::client::Booking;
use integration_tests::moto::mail_to;
use integration_tests::receiver::{Received, Receiver};
use integration_tests::{unique_address, Fixture, TestApp};
use serde_json::{json, Value};
use shared::clock::Clock;

const NOW: &str = "2027-03-24T08:00:00Z";
const MONDAY_0900: &str = "2027-03-29T07:00:00Z";

/// The Standard Webhooks check, as its specification writes it: the timestamp within five
/// minutes of `now`, and some `v1,` signature of `{id}.{timestamp}.{body}` under the secret.
fn verifies(secret: &str, received: &Received, now: i64) -> bool {
    let (Some(id), Some(timestamp), Some(signatures)) = (
        received.headers.get("webhook-id"),
        received.headers.get("webhook-timestamp"),
        received.headers.get("webhook-signature"),
    ) else {
        return false;
    };
    let Ok(timestamp) = timestamp.parse::<i64>() else { return false };
    if (now - timestamp).abs() > 300 {
        return false;
    }
    let key = base64::engine::general_purpose::STANDARD.decode(secret.trim_start_matches("whsec_")).unwrap();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.{}", received.body).as_bytes());
    let expected = format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()));
    signatures.split(' ').any(|s| s == expected)
}

async fn endpoint(app: &TestApp, f: &Fixture, url: &str, types: &[&str]) -> (String, String) {
    let reply = app.call("POST", "/v1/webhooks", Some(&f.admin_key), Some(json!({ "url": url, "types": types }))).await;
    assert_eq!(reply.status, 201, "{:?}", reply.body);
    (reply.body["endpoint"]["id"].as_str().unwrap().to_string(), reply.body["secret"].as_str().unwrap().to_string())
}

/// Runs the delivery `runs` times, the clock moved on by `step` before each run but the first
/// (as the schedule runs it).
async fn drain(app: &TestApp, step: Duration, runs: usize) {
    for run in 0..runs {
        if run > 0 {
            app.clock.advance(step);
        }
        app.deps.delivery().run_due().await.unwrap();
    }
}

fn body(received: &Received) -> Value {
    serde_json::from_str(&received.body).unwrap()
}

#[tokio::test]
async fn a_booking_arrives_once_signed_the_standard_webhooks_way() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let receiver = Receiver::start();
    let (id, secret) = endpoint(&app, &f, &receiver.url, &["meeting.scheduled", "meeting.rescheduled"]).await;
    let booked = app.booked(&f.slug, &Booking::at(MONDAY_0900, &unique_address("grace"))).await;
    drain(&app, Duration::seconds(1), 5).await;
    drain(&app, Duration::seconds(1), 5).await;

    let got = receiver.received();
    assert_eq!(got.len(), 1, "once: {got:?}");
    assert!(verifies(&secret, &got[0], app.clock.now().timestamp()), "the reference check accepts it");
    assert!(
        !verifies("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", &got[0], app.clock.now().timestamp()),
        "and refuses another secret"
    );
    let sent = body(&got[0]);
    assert_eq!((sent["type"].as_str(), sent["version"].as_u64()), (Some("meeting.scheduled"), Some(1)));
    let data = &sent["data"];
    assert_eq!(data["meeting_id"], booked.id.as_str());
    assert_eq!(data["conversation_id"], booked.conversation.as_str());
    assert_eq!(
        (data["tenant_id"].as_str(), data["agent_id"].as_str()),
        (Some(f.tenant_id.as_str()), Some(f.agent_id.as_str()))
    );
    assert_eq!(data["version"], 1, "the meeting's sequence");

    // A reschedule carries the old time and the new, and a higher sequence.
    let moved = app.change(&booked.id, &booked.token, json!({ "start": "2027-03-29T08:00:00Z" })).await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    drain(&app, Duration::seconds(1), 5).await;
    let got = receiver.received();
    assert_eq!(got.len(), 2);
    let later = body(&got[1]);
    assert_eq!(later["type"], "meeting.rescheduled");
    assert_eq!(
        (later["data"]["previous_start"].as_str(), later["data"]["start"].as_str()),
        (Some(MONDAY_0900), Some("2027-03-29T08:00:00Z"))
    );
    assert!(later["data"]["version"].as_u64() > data["version"].as_u64());

    let log = app.call("GET", &format!("/v1/webhooks/{id}/deliveries"), Some(&f.admin_key), None).await;
    let attempts = log.body["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[0]["status"], 200);
}

#[tokio::test]
async fn a_receiver_failing_three_times_gets_the_same_delivery_four_times_and_nothing_is_lost() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let receiver = Receiver::start();
    receiver.answer_with(&[500, 500, 500]);
    let (id, secret) = endpoint(&app, &f, &receiver.url, &["meeting.scheduled"]).await;
    app.booked(&f.slug, &Booking::at(MONDAY_0900, &unique_address("grace"))).await;
    drain(&app, Duration::minutes(10), 20).await;
    let got = receiver.received();
    assert_eq!(got.len(), 4, "three failures, then taken");
    let ids: Vec<&String> = got.iter().map(|r| &r.headers["webhook-id"]).collect();
    assert!(ids.iter().all(|i| *i == ids[0]), "the same webhook-id every time: {ids:?}");
    assert!(got.iter().all(|r| r.body == got[0].body), "the same body");
    let log = app.call("GET", &format!("/v1/webhooks/{id}/deliveries"), Some(&f.admin_key), None).await;
    let statuses: Vec<u64> =
        log.body["attempts"].as_array().unwrap().iter().map(|a| a["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [200, 500, 500, 500], "newest first");
    let sent_at: i64 = got.last().unwrap().headers["webhook-timestamp"].parse().unwrap();
    assert!(verifies(&secret, got.last().unwrap(), sent_at + 60), "verifies a minute after it was sent");

    // Sent again on request: the same id once more.
    let delivery = log.body["attempts"][0]["delivery_id"].as_str().unwrap();
    let resent =
        app.call("POST", &format!("/v1/webhooks/{id}/deliveries/{delivery}/retry"), Some(&f.admin_key), None).await;
    assert_eq!(resent.status, 202, "{:?}", resent.body);
    drain(&app, Duration::seconds(1), 3).await;
    let got = receiver.received();
    assert_eq!((got.len(), &got[4].headers["webhook-id"]), (5, ids[0]));
}

#[tokio::test]
async fn a_receiver_that_hangs_never_slows_a_booking() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let timed = |reply: (std::time::Duration, u16)| reply;
    let started = Instant::now();
    let first = app.book(&f.slug, MONDAY_0900, &unique_address("before")).await;
    let without = timed((started.elapsed(), first.status));
    let receiver = Receiver::start();
    receiver.hang(true);
    endpoint(&app, &f, &receiver.url, &["meeting.scheduled"]).await;
    let started = Instant::now();
    let second = app.book(&f.slug, "2027-03-29T08:00:00Z", &unique_address("after")).await;
    let with = timed((started.elapsed(), second.status));
    println!("a booking without an endpoint: {:?}; with one that hangs: {:?}", without.0, with.0);
    assert_eq!((without.1, with.1), (201, 201));
    // The hanging receiver costs the delivery its time limit, then a retry is planned.
    let report = app.deps.delivery().run_due().await.unwrap();
    assert_eq!(report.retried, 1, "{report:?}");
    assert_eq!(receiver.received().len(), 1);
}

#[tokio::test]
async fn during_a_rotation_both_secrets_sign_and_after_a_day_only_the_new_one() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let receiver = Receiver::start();
    let (id, old) =
        endpoint(&app, &f, &receiver.url, &["meeting.scheduled", "message.posted", "conversation.assigned"]).await;
    let rotated = app.call("POST", &format!("/v1/webhooks/{id}/rotate-secret"), Some(&f.admin_key), None).await;
    assert_eq!(rotated.status, 201);
    let new = rotated.body["secret"].as_str().unwrap().to_string();
    assert_ne!(new, old);
    let booked = app.booked(&f.slug, &Booking::at(MONDAY_0900, &unique_address("grace"))).await;
    drain(&app, Duration::seconds(1), 5).await;
    let during = receiver.received().pop().unwrap();
    let now = app.clock.now().timestamp();
    assert_eq!(during.headers["webhook-signature"].split(' ').count(), 2);
    assert!(verifies(&old, &during, now) && verifies(&new, &during, now), "both verify during the overlap");

    app.clock.advance(Duration::hours(25));
    app.said(&booked.conversation, &f.agent_token, "Hello").await;
    drain(&app, Duration::seconds(1), 5).await;
    let after = receiver.received().pop().unwrap();
    let now = app.clock.now().timestamp();
    assert_eq!(body(&after)["type"], "message.posted");
    assert!(verifies(&new, &after, now) && !verifies(&old, &after, now), "only the new one after a day");
    assert_eq!(body(&after)["data"]["text"], "Hello");
}

#[tokio::test]
async fn addresses_a_deployment_may_not_call_are_refused_at_registration() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    // This test deployment calls loopback only; AWS's calls public https addresses only.
    for url in ["http://169.254.169.254/latest/meta-data/", "https://10.0.0.7/hook", "ftp://127.0.0.1/x", "not a url"] {
        let reply = app
            .call(
                "POST",
                "/v1/webhooks",
                Some(&f.admin_key),
                Some(json!({ "url": url, "types": ["meeting.scheduled"] })),
            )
            .await;
        assert_eq!((reply.status, reply.body["field"].as_str()), (400, Some("url")), "{url}: {:?}", reply.body);
    }
    let public = shared::feeds::fetch::FeedPolicy { local_only: false, ..shared::feeds::fetch::FeedPolicy::from_env() };
    for url in [
        "https://169.254.169.254/latest/meta-data/",
        "https://[fd00:ec2::254]/latest",
        "https://10.1.2.3/hook",
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "http://hooks.example.com/plain-http",
    ] {
        assert!(shared::feeds::fetch::check_url(url, &public).is_err(), "{url} refused in AWS");
    }
    for k in 0..10 {
        let reply = app
            .call(
                "POST",
                "/v1/webhooks",
                Some(&f.admin_key),
                Some(json!({ "url": format!("http://127.0.0.1:9/{k}"), "types": ["meeting.cancelled"] })),
            )
            .await;
        assert_eq!(reply.status, 201);
    }
    let eleventh = app
        .call(
            "POST",
            "/v1/webhooks",
            Some(&f.admin_key),
            Some(json!({ "url": "http://127.0.0.1:9/x", "types": ["meeting.cancelled"] })),
        )
        .await;
    assert_eq!((eleventh.status, eleventh.body["type"].as_str()), (409, Some("/problems/too-many-endpoints")));
}

#[tokio::test]
async fn an_endpoint_failing_for_a_day_is_disabled_and_its_admins_told() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let admin_email = unique_address("admin");
    let admin = json!({ "name": "Ann Admin", "email": admin_email, "pbx_id": f.pbx_id, "time_zone": "Europe/Rome", "role": "admin" });
    assert_eq!(app.call("POST", "/v1/agents", Some(&f.admin_key), Some(admin)).await.status, 201);
    let receiver = Receiver::start();
    receiver.answer_with(&[503; 100]);
    let (id, _) = endpoint(&app, &f, &receiver.url, &["meeting.scheduled"]).await;
    app.booked(&f.slug, &Booking::at(MONDAY_0900, &unique_address("grace"))).await;
    drain(&app, Duration::hours(2), 30).await;
    let listed = app.call("GET", "/v1/webhooks", Some(&f.admin_key), None).await;
    let ours = &listed.body["endpoints"][0];
    assert_eq!((ours["id"].as_str(), ours["enabled"].as_bool()), (Some(id.as_str()), Some(false)), "{ours}");
    assert!(ours["disabled_reason"].as_str().unwrap().contains("503"));
    let told = mail_to(&admin_email);
    assert!(told.iter().any(|m| m.raw.contains("A webhook endpoint was disabled")), "the admins are told");
    let tries = receiver.received().len();
    assert!((10..=20).contains(&tries), "backed off over the day: {tries} tries");
    // Enabled again, a ping goes through.
    receiver.answer_with(&[]);
    let enabled =
        app.call("PATCH", &format!("/v1/webhooks/{id}"), Some(&f.admin_key), Some(json!({ "enabled": true }))).await;
    assert_eq!((enabled.status, &enabled.body["enabled"]), (200, &json!(true)));
    assert_eq!(app.call("POST", &format!("/v1/webhooks/{id}/ping"), Some(&f.admin_key), None).await.status, 202);
    drain(&app, Duration::seconds(1), 3).await;
    assert_eq!(body(&receiver.received().pop().unwrap())["type"], "webhook.ping");
}

#[tokio::test]
async fn ses_and_the_receiver_down_at_once_then_back_every_email_and_delivery_goes_out_once() {
    let mut app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let receiver = Receiver::start();
    receiver.answer_with(&[500; 6]);
    endpoint(&app, &f, &receiver.url, &["meeting.scheduled"]).await;
    app.ses_down();
    let guest = unique_address("grace");
    let booked = app.book(&f.slug, MONDAY_0900, &guest).await;
    assert_eq!(booked.status, 201, "a booking stands whatever mail and webhooks do");
    drain(&app, Duration::minutes(1), 3).await;
    assert!(mail_to(&guest).is_empty());
    app.ses_up();
    receiver.answer_with(&[]);
    drain(&app, Duration::minutes(40), 20).await;
    let invitations = mail_to(&guest).into_iter().filter(|m| m.raw.contains("Meeting booked")).count();
    assert_eq!(invitations, 1, "the invitation once");
    let got = receiver.received();
    let ids: std::collections::BTreeSet<&String> = got.iter().map(|r| &r.headers["webhook-id"]).collect();
    assert_eq!(ids.len(), 1, "one delivery, however many tries");
    let log = app.call("GET", "/v1/webhooks", Some(&f.admin_key), None).await;
    let id = log.body["endpoints"][0]["id"].as_str().unwrap();
    let attempts = app.call("GET", &format!("/v1/webhooks/{id}/deliveries"), Some(&f.admin_key), None).await;
    let taken = attempts.body["attempts"].as_array().unwrap().iter().filter(|a| a["status"] == 200).count();
    assert_eq!(taken, 1, "taken once");
}

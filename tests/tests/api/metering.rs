//! Metering (T2): every booking counted once for its tenant and month, in its own transaction.

use std::sync::Arc;

use integration_tests::client::Booking;
use integration_tests::{utc, TestApp};
use serde_json::json;

const NOW: &str = "2027-03-24T08:00:00Z";

async fn usage(app: &TestApp, admin: &str, month: &str) -> serde_json::Value {
    let reply = app.usage(admin, month).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bookings_are_counted_once_whatever_is_replayed_refused_or_cancelled() {
    let app = Arc::new(TestApp::at(NOW).await);
    let f = app.fixture("Europe/Rome").await;
    let path = format!("/v1/book/{}/meetings", f.slug);
    let starts = [
        "2027-03-29T07:00:00Z",
        "2027-03-29T08:00:00Z",
        "2027-03-29T09:00:00Z",
        "2027-03-30T07:00:00Z",
        "2027-03-30T08:00:00Z",
    ];

    // N = 5 bookings, each retried twice with its key, concurrently (K = 10 replays).
    let mut tasks = Vec::new();
    for (i, start) in starts.iter().enumerate() {
        for _ in 0..3 {
            let (app, path) = (app.clone(), path.clone());
            let body = json!({ "subject": "s", "start": start, "name": "G", "email": format!("g{i}@example.com") });
            let key = format!("metering-key-{i}-0000000000");
            tasks.push(tokio::spawn(async move {
                app.call_with("POST", &path, None, Some(body), &[("idempotency-key", &key)]).await.status
            }));
        }
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 201, "a booking or its replay");
    }
    // M = 4 refused: taken slot, cap, outside hours, malformed.
    assert_eq!(app.book(&f.slug, starts[0], "late@example.com").await.status, 409);
    let (proven, session) = app.proven_guest(&f.slug, "proven").await;
    for (start, status, what) in [
        ("2027-03-31T07:00:00Z", 201, "a 6th booking"),
        ("2027-03-31T08:00:00Z", 201, "a 7th"),
        ("2027-03-31T09:00:00Z", 422, "the cap"),
    ] {
        let reply = app.book_as(&f.slug, &Booking::at(start, &proven).signed_in(&session)).await;
        assert_eq!(reply.status, status, "{what}");
    }
    assert_eq!(app.book(&f.slug, "2027-03-27T08:00:00Z", "x@example.com").await.status, 422);
    assert_eq!(app.call("POST", &path, None, Some(json!({ "subject": 1 }))).await.status, 400);
    // C = 1 cancelled: still counted.
    let booked = app.book(&f.slug, "2027-04-01T07:00:00Z", "c@example.com").await;
    let id = booked.body["meeting"]["id"].as_str().unwrap();
    let token = booked.body["manage_token"].as_str().unwrap();
    assert_eq!(app.call("DELETE", &format!("/v1/meetings/{id}"), Some(token), None).await.status, 200);
    // An agent's own booking counts too, apart.
    let own = json!({ "subject": "s", "start": "2027-04-01T08:00:00Z", "name": "E", "email": "e@example.com" });
    assert_eq!(app.call("POST", "/v1/me/meetings", Some(&f.agent_token), Some(own)).await.status, 201);

    let march = usage(&app, &f.admin_key, "2027-03").await;
    assert_eq!(
        (march["bookings"].as_u64(), march["booked_by_guests"].as_u64(), march["booked_by_agents"].as_u64()),
        (Some(9), Some(8), Some(1))
    );
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 9, "the table agrees");
}

#[tokio::test]
async fn a_booking_counts_in_the_month_it_was_made_and_only_for_its_tenant() {
    let app = TestApp::at("2027-03-31T23:00:00Z").await;
    let f = app.fixture("UTC").await;
    let weekdays = json!({ "time_zone": "UTC", "minimum_notice": 0, "weekly_hours": { "thursday": [{ "start": "00:00", "end": "24:00" }] } });
    assert_eq!(app.call("PUT", "/v1/me/availability", Some(&f.agent_token), Some(weekdays)).await.status, 200);
    assert_eq!(app.book(&f.slug, "2027-04-01T10:00:00Z", "a@example.com").await.status, 201);
    app.clock.set(utc("2027-04-01T00:00:00Z"));
    assert_eq!(app.book(&f.slug, "2027-04-01T11:00:00Z", "b@example.com").await.status, 201);
    assert_eq!(usage(&app, &f.admin_key, "2027-03").await["bookings"], 1, "made in March, for April");
    assert_eq!(usage(&app, &f.admin_key, "2027-04").await["bookings"], 1);
    assert_eq!(usage(&app, &f.admin_key, "2027-05").await["bookings"], 0);

    let other = app.fixture("UTC").await;
    assert_eq!(usage(&app, &other.admin_key, "2027-03").await["bookings"], 0, "another tenant's usage is its own");
    for bad in ["2027-3", "2027-13", "march", "2027-03-01"] {
        let reply = app.call("GET", &format!("/v1/usage?month={bad}"), Some(&f.admin_key), None).await;
        assert_eq!((reply.status, reply.body["field"].as_str()), (400, Some("month")), "{bad}");
    }
    assert_eq!(app.call("GET", "/v1/usage", Some(&f.agent_token), None).await.status, 403);
}

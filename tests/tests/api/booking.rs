//! Booking against DynamoDB Local through the handlers: B1–B4 and A6 end to end.
//!
//! The agent works in Europe/Rome, Mon–Fri 09:00–13:00 and 14:00–18:00 (the defaults). The clock
//! stands on Wednesday 2027-03-24; Monday 2027-03-29 is the first Monday after the DST change, so
//! 09:00 there is 07:00Z.

use std::collections::HashSet;
use std::sync::Arc;

use integration_tests::client::Booking;
use integration_tests::{utc, TestApp};
use serde_json::json;

const NOW: &str = "2027-03-24T08:00:00Z";
const MONDAY_0900: &str = "2027-03-29T07:00:00Z";
const MONDAY: &str = "from=2027-03-29&to=2027-03-29";

#[tokio::test]
async fn a_guest_books_a_listed_slot_and_it_is_no_longer_listed() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let before = app.slot_starts(&f.slug, MONDAY).await;
    assert!(before.contains(&MONDAY_0900.to_string()), "{before:?}");

    let booked = app.book(&f.slug, MONDAY_0900, "Grace@Example.com").await;
    assert_eq!(booked.status, 201, "{:?}", booked.body);
    let meeting = &booked.body["meeting"];
    assert_eq!(meeting["start"], MONDAY_0900);
    assert_eq!(meeting["end"], "2027-03-29T07:30:00Z", "the default 30 minutes");
    assert_eq!(meeting["guest"]["email"], "grace@example.com");
    assert_eq!(meeting["status"], "scheduled");
    assert!(booked.body["manage_token"].as_str().unwrap().starts_with("mng_"));
    assert_eq!(booked.headers["cache-control"], "no-store", "it carries a token and the guest's address");

    let after = app.slot_starts(&f.slug, MONDAY).await;
    for taken in [MONDAY_0900, "2027-03-29T07:15:00Z"] {
        assert!(!after.contains(&taken.to_string()), "{taken} overlaps the meeting");
    }
    assert!(after.contains(&"2027-03-29T07:30:00Z".to_string()), "the slot right after is free");
    assert_eq!(before.len() - after.len(), 2);
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 1);
}

#[tokio::test]
async fn an_overlapping_booking_is_a_conflict() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    assert_eq!(app.book(&f.slug, MONDAY_0900, "grace@example.com").await.status, 201);
    for start in [MONDAY_0900, "2027-03-29T07:15:00Z"] {
        let clash = app.book(&f.slug, start, "alan@example.com").await;
        assert_eq!(clash.status, 409, "{start}: {:?}", clash.body);
        assert_eq!(clash.body["type"], "/problems/slot-taken");
    }
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 1);
}

#[tokio::test]
async fn a_guest_holds_at_most_two_scheduled_meetings_with_an_agent() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let (grace, session) = app.proven_guest(&f.slug, "grace").await;
    let as_grace = |start: &str, email: &str| Booking::at(start, email).signed_in(&session);
    assert_eq!(app.book_as(&f.slug, &as_grace("2027-03-25T08:00:00Z", &grace)).await.status, 201);
    assert_eq!(app.book_as(&f.slug, &as_grace("2027-03-29T07:00:00Z", &grace)).await.status, 201);
    let third = app.book_as(&f.slug, &as_grace("2027-03-30T07:00:00Z", &grace.to_uppercase())).await;
    assert_eq!(third.status, 422, "{:?}", third.body);
    assert_eq!(third.body["type"], "/problems/guest-cap-reached");
    let (alan, other) = app.proven_guest(&f.slug, "alan").await;
    let alans = Booking::at("2027-03-30T07:00:00Z", &alan).signed_in(&other);
    assert_eq!(app.book_as(&f.slug, &alans).await.status, 201, "the cap is per guest");

    // Once the first meeting (Thursday 09:00–09:30) has passed, Grace may book again.
    app.clock.set(utc("2027-03-25T08:31:00Z"));
    assert_eq!(app.book_as(&f.slug, &as_grace("2027-03-31T07:00:00Z", &grace)).await.status, 201);
    assert_eq!(app.book_as(&f.slug, &as_grace("2027-04-01T07:00:00Z", &grace)).await.status, 422);
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 4);
}

#[tokio::test]
async fn rule_refusals_are_specific_and_write_nothing() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let cases = [
        ("2027-04-26T07:00:00Z", 30, "/problems/beyond-booking-window", 422),
        ("2027-03-24T08:30:00Z", 30, "/problems/too-soon", 422),
        ("2027-03-23T08:00:00Z", 30, "/problems/too-soon", 422),
        ("2027-03-27T08:00:00Z", 30, "/problems/outside-working-hours", 422),
        ("2027-03-29T11:15:00Z", 30, "/problems/outside-working-hours", 422),
        ("2027-03-29T07:05:00Z", 30, "/problems/outside-working-hours", 422),
        ("2027-03-29T07:00:00Z", 20, "/problems/duration-not-allowed", 422),
    ];
    for (start, duration, kind, status) in cases {
        let body =
            json!({ "subject": "s", "start": start, "duration": duration, "name": "G", "email": "g@example.com" });
        let reply = app.call("POST", &format!("/v1/book/{}/meetings", f.slug), None, Some(body)).await;
        assert_eq!((reply.status, reply.body["type"].as_str().unwrap()), (status, kind), "{start}");
    }
    let malformed = [
        (json!({ "subject": "", "start": MONDAY_0900, "name": "G", "email": "g@example.com" }), "subject"),
        (json!({ "subject": "s", "start": MONDAY_0900, "name": "G", "email": "not-an-email" }), "email"),
        (json!({ "subject": "s", "start": "tomorrow", "name": "G", "email": "g@example.com" }), "start"),
        (json!({ "subject": "s", "start": MONDAY_0900, "name": "G", "email": "g@example.com", "extra": 1 }), ""),
        (
            json!({ "subject": "s", "start": MONDAY_0900, "name": "G", "email": "g@example.com", "time_zone": "Nowhere/City" }),
            "time_zone",
        ),
    ];
    for (body, field) in malformed {
        let reply = app.call("POST", &format!("/v1/book/{}/meetings", f.slug), None, Some(body)).await;
        assert_eq!(reply.status, 400, "{:?}", reply.body);
        if !field.is_empty() {
            assert_eq!(reply.body["field"], field);
        }
    }
    let unknown = app.book("no-such-agent", MONDAY_0900, "g@example.com").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 0);
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_returns_the_first_result() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let path = format!("/v1/book/{}/meetings", f.slug);
    let body = json!({ "subject": "Intro", "start": MONDAY_0900, "name": "Grace", "email": "grace@example.com" });
    let key = [("idempotency-key", "0b8e2c8c-6c1f-4f7e-9d0e-3c2f1f1f7a10")];

    let first = app.call_with("POST", &path, None, Some(body.clone()), &key).await;
    assert_eq!(first.status, 201);
    let again = app.call_with("POST", &path, None, Some(body.clone()), &key).await;
    assert_eq!(again.status, 201, "{:?}", again.body);
    assert_eq!(again.body, first.body, "same meeting, same manage token");
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 1);

    let mut other = body.clone();
    other["start"] = json!("2027-03-29T08:00:00Z");
    let reused = app.call_with("POST", &path, None, Some(other), &key).await;
    assert_eq!(reused.status, 422);
    assert_eq!(reused.body["type"], "/problems/idempotency-key-reused");

    let short = app.call_with("POST", &path, None, Some(body), &[("idempotency-key", "abc")]).await;
    assert_eq!(short.status, 400);
    assert_eq!(short.body["field"], "Idempotency-Key");
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_bookings_of_one_slot_yield_exactly_one_meeting() {
    let app = Arc::new(TestApp::at(NOW).await);
    let f = app.fixture("Europe/Rome").await;
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let (app, slug) = (app.clone(), f.slug.clone());
            tokio::spawn(async move { app.book(&slug, MONDAY_0900, &format!("guest{i}@example.com")).await })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        let reply = task.await.unwrap();
        match reply.status {
            201 => created += 1,
            409 => assert!(
                ["/problems/slot-taken", "/problems/calendar-busy"].contains(&reply.body["type"].as_str().unwrap())
            ),
            other => panic!("unexpected {other}: {:?}", reply.body),
        }
    }
    assert_eq!(created, 1, "exactly one booking wins");
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 1, "and the table holds exactly one meeting");
    assert!(!app.slot_starts(&f.slug, MONDAY).await.contains(&MONDAY_0900.to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_partly_overlapping_bookings_never_overlap() {
    let app = Arc::new(TestApp::at(NOW).await);
    let f = app.fixture("Europe/Rome").await;
    // 30-minute meetings every 15 minutes from 09:00 to 12:30: neighbours overlap by half.
    let starts: Vec<String> =
        (0..15).map(|k| (utc(MONDAY_0900) + chrono::Duration::minutes(15 * k)).to_rfc3339()).collect();
    let tasks: Vec<_> = starts
        .iter()
        .enumerate()
        .flat_map(|(i, start)| (0..2).map(move |j| (i, j, start.clone())))
        .map(|(i, j, start)| {
            let (app, slug) = (app.clone(), f.slug.clone());
            tokio::spawn(
                async move { (start.clone(), app.book(&slug, &start, &format!("g{i}-{j}@example.com")).await) },
            )
        })
        .collect();
    let mut won = Vec::new();
    for task in tasks {
        let (start, reply) = task.await.unwrap();
        assert!(matches!(reply.status, 201 | 409), "{:?}", reply.body);
        if reply.status == 201 {
            won.push(utc(&start));
        }
    }
    won.sort();
    assert!(!won.is_empty());
    for pair in won.windows(2) {
        assert!(pair[1] - pair[0] >= chrono::Duration::minutes(30), "overlap between {} and {}", pair[0], pair[1]);
    }
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, won.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_guest_racing_for_many_slots_gets_only_the_cap() {
    let app = Arc::new(TestApp::at(NOW).await);
    let f = app.fixture("Europe/Rome").await;
    let (grace, session) = app.proven_guest(&f.slug, "grace").await;
    let tasks: Vec<_> = (0..6)
        .map(|day| {
            let (app, slug) = (app.clone(), f.slug.clone());
            // Monday to Saturday would include a weekend; use Mon–Fri plus the next Monday.
            let start = ["2027-03-29", "2027-03-30", "2027-03-31", "2027-04-01", "2027-04-02", "2027-04-05"][day];
            let booking = Booking::at(&format!("{start}T07:00:00Z"), &grace).signed_in(&session);
            tokio::spawn(async move { app.book_as(&slug, &booking).await })
        })
        .collect();
    let mut statuses = HashSet::new();
    let mut created = 0;
    for task in tasks {
        let reply = task.await.unwrap();
        statuses.insert(reply.status);
        created += usize::from(reply.status == 201);
    }
    assert_eq!(created, 2, "statuses {statuses:?}");
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 2);
}

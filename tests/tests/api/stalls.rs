//! A database that stalls (SIGSTOP on a DynamoDB Local of the test's own) during a burst of
//! bookings. Before: every request waited as long as the database did (150 s when it was paused
//! for 150 s). Now: every request is answered within its deadline, 201 or 503 problem+json with
//! `Retry-After`; a retry with the same `Idempotency-Key` gets the original answer whatever
//! happened to the first try; and the agent's meetings are exactly those the answers name.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use integration_tests::dynamodb::PrivateDynamoDb;
use integration_tests::{Reply, TestApp};
use serde_json::{json, Value};

const NOW: &str = "2027-03-24T08:00:00Z";

fn booking(start: &str, i: usize) -> Value {
    json!({ "subject": "Burst", "start": start, "name": "Guest", "email": format!("burst{i}@example.com") })
}

async fn book(app: &TestApp, slug: &str, body: &Value, key: &str) -> (Reply, Duration) {
    let started = Instant::now();
    let path = format!("/v1/book/{slug}/meetings");
    let reply = app.call_with("POST", &path, None, Some(body.clone()), &[("idempotency-key", key)]).await;
    (reply, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stalled_database_gets_answers_in_time_and_retries_get_their_original_answer() {
    let db = Arc::new(PrivateDynamoDb::start());
    let app = Arc::new(TestApp::with_dynamodb(&db.endpoint, NOW).await);
    let f = app.fixture("Europe/Rome").await;
    // 24 half-hour slots over three mornings (Rome 09:00–12:30 is 07:00–10:30Z after the DST change).
    let starts: Vec<String> = ["2027-03-29", "2027-03-30", "2027-03-31"]
        .iter()
        .flat_map(|day| (0..8).map(move |k| format!("{day}T{:02}:{:02}:00Z", 7 + k / 2, 30 * (k % 2))))
        .collect();
    let requests: Vec<(Value, String)> = starts
        .iter()
        .enumerate()
        .map(|(i, start)| (booking(start, i), format!("stall-test-key-{i:04}-0000000000")))
        .collect();

    // The burst: the first half goes out, the database freezes while they are in flight, the
    // second half goes out into the freeze.
    let mut tasks = Vec::new();
    for (i, (body, key)) in requests.iter().enumerate() {
        let (app, slug, body, key) = (app.clone(), f.slug.clone(), body.clone(), key.clone());
        tasks.push(tokio::spawn(async move { book(&app, &slug, &body, &key).await }));
        if i == requests.len() / 2 {
            tokio::time::sleep(Duration::from_millis(20)).await;
            db.pause();
        }
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    db.resume();

    let mut unavailable = 0;
    for (reply, took) in &answers {
        let deadline = app.deps.config.timeouts.request_deadline;
        assert!(took < &(deadline + Duration::from_millis(500)), "answered after {took:?}");
        match reply.status {
            201 => {}
            503 => {
                unavailable += 1;
                assert!(reply.headers.contains_key("retry-after"), "{:?}", reply.headers);
                let kind = reply.body["type"].as_str().unwrap();
                assert!(["/problems/store-unavailable", "/problems/deadline-exceeded"].contains(&kind), "{kind}");
            }
            other => panic!("{other}: {}", reply.body),
        }
    }
    assert!(unavailable > 0, "the freeze was felt");

    // Every refused request retried with its key: each now has its one answer, the original one
    // when the first try had committed after all.
    let mut booked = BTreeSet::new();
    for ((body, key), (first, _)) in requests.iter().zip(&answers) {
        let reply = if first.status == 201 { first.clone() } else { book(&app, &f.slug, body, key).await.0 };
        assert_eq!(reply.status, 201, "{}", reply.body);
        assert!(booked.insert(reply.body["meeting"]["id"].as_str().unwrap().to_string()), "one meeting per key");
        if first.status == 201 {
            let again = book(&app, &f.slug, body, key).await.0;
            assert_eq!(again.body["meeting"]["id"], reply.body["meeting"]["id"], "a replay returns the original");
        }
    }
    let listed = app.call("GET", "/v1/me/meetings?from=2027-03-29&to=2027-03-31", Some(&f.agent_token), None).await;
    let in_calendar: BTreeSet<String> =
        listed.body["meetings"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(in_calendar, booked, "the agent's meetings are exactly the ones the answers named");
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, booked.len());
}

/// Before: with the database paused during a burst of confirmations, one answered 503 but was
/// applied when the database resumed, and its retry with the same code got 409
/// `already-confirmed` with no meeting, manage token or session. Now a confirmation sent again
/// with the same code answers what the first did.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_confirmation_answered_503_is_retried_with_its_code_and_gets_the_meeting() {
    let db = Arc::new(PrivateDynamoDb::start());
    let app = Arc::new(TestApp::with_dynamodb(&db.endpoint, NOW).await);
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let starts: Vec<String> = (0..8).map(|k| format!("2027-03-29T{:02}:{:02}:00Z", 7 + k / 2, 30 * (k % 2))).collect();
    let mut holds = Vec::new();
    for (i, start) in starts.iter().enumerate() {
        let email = integration_tests::unique_address(&format!("confirm{i}"));
        let body = json!({ "subject": "Burst", "start": start, "name": "Guest", "email": email });
        let held = app.call("POST", &format!("/v1/book/{}/meetings", f.slug), None, Some(body)).await;
        assert_eq!(held.status, 202, "{}", held.body);
        let code = integration_tests::moto::latest_code(&email).unwrap();
        holds.push((held.body["hold"]["id"].as_str().unwrap().to_string(), code));
    }
    let mut tasks = Vec::new();
    for (i, (hold, code)) in holds.iter().enumerate() {
        let (app, hold, code) = (app.clone(), hold.clone(), code.clone());
        tasks.push(tokio::spawn(async move { app.confirm_hold(&hold, json!({ "code": code })).await }));
        if i == holds.len() / 2 {
            tokio::time::sleep(Duration::from_millis(20)).await;
            db.pause();
        }
    }
    let mut first = Vec::new();
    for task in tasks {
        first.push(task.await.unwrap());
    }
    db.resume();
    assert!(first.iter().any(|r| r.status == 503), "the freeze was felt");
    for ((hold, code), answer) in holds.iter().zip(&first) {
        let again = app.confirm_hold(hold, json!({ "code": code })).await;
        assert_eq!(again.status, 201, "the retry gets the meeting: {}", again.body);
        assert!(again.body["manage_token"].as_str().is_some_and(|t| t.starts_with("mng_")));
        assert!(again.body["session"]["token"].as_str().is_some_and(|t| t.starts_with("gss_")));
        if answer.status == 201 {
            assert_eq!(again.body["meeting"]["id"], answer.body["meeting"]["id"]);
            assert_eq!(again.body["manage_token"], answer.body["manage_token"], "the same token, not a new one");
        }
        let token = again.body["manage_token"].as_str().unwrap();
        assert_eq!(app.meeting(again.body["meeting"]["id"].as_str().unwrap(), token).await.status, 200);
    }
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, holds.len());
}

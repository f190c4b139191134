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

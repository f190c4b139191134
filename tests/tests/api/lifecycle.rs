//! Changing meetings against DynamoDB Local (E1–E3, B5): every booking rule again for the new
//! time, the meeting never blocking its own move, one winner among concurrent changes.

use std::sync::Arc;

use integration_tests::client::{Booked, Booking};
use integration_tests::{utc, Reply, TestApp};
use serde_json::{json, Value};

const NOW: &str = "2027-03-24T08:00:00Z";
const MONDAY: &str = "from=2027-03-29&to=2027-03-29";
const AT_0900: &str = "2027-03-29T07:00:00Z";
const AT_0915: &str = "2027-03-29T07:15:00Z";
const AT_1000: &str = "2027-03-29T08:00:00Z";
const AT_1100: &str = "2027-03-29T09:00:00Z";

async fn booked(app: &TestApp, slug: &str, start: &str, email: &str) -> Booked {
    app.booked(slug, &Booking::at(start, email)).await
}

async fn patch(app: &TestApp, id: &str, token: &str, body: Value) -> Reply {
    app.change(id, token, body).await
}

#[tokio::test]
async fn the_guest_reschedules_into_a_free_slot_and_the_old_one_is_free_again() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let m = booked(&app, &f.slug, AT_0900, "grace@example.com").await;
    let moved = patch(&app, &m.id, &m.token, json!({ "start": AT_1100 })).await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    assert_eq!((moved.body["start"].as_str(), moved.body["version"].as_u64()), (Some(AT_1100), Some(2)));
    let slots = app.slot_starts(&f.slug, MONDAY).await;
    assert!(slots.contains(&AT_0900.to_string()), "the old time is offered again");
    assert!(!slots.contains(&AT_1100.to_string()));
    assert_eq!(app.book(&f.slug, AT_0900, "alan@example.com").await.status, 201, "and can be booked");
}

#[tokio::test]
async fn a_meeting_may_move_onto_part_of_its_own_time_but_not_onto_anothers() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let m = booked(&app, &f.slug, AT_0900, "grace@example.com").await;
    booked(&app, &f.slug, AT_1000, "alan@example.com").await;

    let overlap_self = patch(&app, &m.id, &m.token, json!({ "start": AT_0915 })).await;
    assert_eq!(overlap_self.status, 200, "{:?}", overlap_self.body);
    let taken = patch(&app, &m.id, &m.token, json!({ "start": "2027-03-29T07:45:00Z" })).await;
    assert_eq!((taken.status, taken.body["type"].as_str()), (409, Some("/problems/slot-taken")));
    // 09:15 + 60 minutes runs into the 10:00 meeting.
    let longer = patch(&app, &m.id, &m.token, json!({ "duration": 60 })).await;
    assert_eq!((longer.status, longer.body["type"].as_str()), (409, Some("/problems/slot-taken")));
    let fits = patch(&app, &m.id, &m.token, json!({ "duration": 45 })).await;
    assert_eq!((fits.status, fits.body["end"].as_str()), (200, Some("2027-03-29T08:00:00Z")));
    let quarter_hours = app.slot_starts(&f.slug, &format!("{MONDAY}&duration=15")).await;
    assert!(quarter_hours.contains(&AT_0900.to_string()), "the quarter hour it left is free");
    assert!(!quarter_hours.contains(&AT_0915.to_string()));
}

#[tokio::test]
async fn every_booking_rule_applies_to_the_new_time() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let m = booked(&app, &f.slug, AT_0900, "grace@example.com").await;
    let cases = [
        (json!({ "start": "2027-03-27T08:00:00Z" }), "/problems/outside-working-hours"),
        (json!({ "start": "2027-03-24T08:30:00Z" }), "/problems/too-soon"),
        (json!({ "start": "2027-04-26T07:00:00Z" }), "/problems/beyond-booking-window"),
        (json!({ "duration": 20 }), "/problems/duration-not-allowed"),
    ];
    for (body, kind) in cases {
        let reply = patch(&app, &m.id, &m.token, body.clone()).await;
        assert_eq!((reply.status, reply.body["type"].as_str()), (422, Some(kind)), "{body}");
    }
    for body in [json!({}), json!({ "start": "soon" }), json!({ "subject": "" }), json!({ "colour": "red" })] {
        assert_eq!(patch(&app, &m.id, &m.token, body.clone()).await.status, 400, "{body}");
    }
    let unchanged = app.call("GET", &format!("/v1/meetings/{}", m.id), Some(&m.token), None).await;
    assert_eq!((unchanged.body["start"].as_str(), unchanged.body["version"].as_u64()), (Some(AT_0900), Some(1)));
}

#[tokio::test]
async fn cancelling_frees_the_slot_and_the_guests_place() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    // The cap counts proven addresses (G9): Grace is signed in.
    let (grace, session) = app.proven_guest(&f.slug, "grace").await;
    let as_grace = |start: &str| Booking::at(start, &grace).signed_in(&session);
    let first = app.booked(&f.slug, &as_grace(AT_0900)).await;
    app.booked(&f.slug, &as_grace(AT_1100)).await;
    assert_eq!(app.book_as(&f.slug, &as_grace(AT_1000)).await.status, 422, "cap of two");

    let cancelled = app.call("DELETE", &format!("/v1/meetings/{}", first.id), Some(&first.token), None).await;
    assert_eq!((cancelled.status, cancelled.body["status"].as_str()), (200, Some("cancelled")));
    assert!(app.slot_starts(&f.slug, MONDAY).await.contains(&AT_0900.to_string()));
    assert_eq!(app.book_as(&f.slug, &as_grace(AT_1000)).await.status, 201, "the place is free again");
    assert_eq!(app.book(&f.slug, AT_0900, "alan@example.com").await.status, 201, "the slot is free again");

    // E3: a cancelled meeting stays readable through its link and refuses changes.
    let stale = app.call("GET", &format!("/v1/meetings/{}?token={}", first.id, first.token), None, None).await;
    assert_eq!((stale.status, stale.body["status"].as_str()), (200, Some("cancelled")));
    let again = patch(&app, &first.id, &first.token, json!({ "subject": "Still on?" })).await;
    assert_eq!((again.status, again.body["type"].as_str()), (409, Some("/problems/meeting-cancelled")));
    let twice = app.call("DELETE", &format!("/v1/meetings/{}", first.id), Some(&first.token), None).await;
    assert_eq!(twice.status, 409);
}

#[tokio::test]
async fn a_meeting_that_has_started_cannot_change() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let m = booked(&app, &f.slug, AT_0900, "grace@example.com").await;
    app.clock.set(utc("2027-03-29T07:10:00Z"));
    let late = patch(&app, &m.id, &m.token, json!({ "duration": 45 })).await;
    assert_eq!((late.status, late.body["type"].as_str()), (409, Some("/problems/meeting-started")));
    assert_eq!(app.call("DELETE", &format!("/v1/meetings/{}", m.id), Some(&m.token), None).await.status, 409);
}

#[tokio::test]
async fn tokens_open_only_their_own_meetings() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let grace = booked(&app, &f.slug, AT_0900, "grace@example.com").await;
    let alan = booked(&app, &f.slug, AT_1000, "alan@example.com").await;
    let other = app.fixture("Europe/Rome").await;
    let path = format!("/v1/meetings/{}", grace.id);
    for (token, what) in [(&alan.token, "another guest's manage token"), (&other.agent_token, "another agent's token")]
    {
        assert_eq!(app.call("GET", &path, Some(token), None).await.status, 404, "{what}");
        assert_eq!(patch(&app, &grace.id, token, json!({ "subject": "x" })).await.status, 404, "{what}");
        assert_eq!(app.call("DELETE", &path, Some(token), None).await.status, 404, "{what}");
    }
    assert_eq!(app.call("GET", &path, Some(&f.admin_key), None).await.status, 403);
    assert_eq!(app.call("GET", &path, None, None).await.status, 401);
    // The meeting's own agent may change it.
    let by_agent = patch(&app, &grace.id, &f.agent_token, json!({ "subject": "Agenda: pricing" })).await;
    assert_eq!((by_agent.status, by_agent.body["subject"].as_str()), (200, Some("Agenda: pricing")));
    let seen = app.call("GET", &path, Some(&grace.token), None).await;
    assert_eq!(seen.body["subject"], "Agenda: pricing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_meetings_racing_into_one_slot_leave_exactly_one_there() {
    let app = Arc::new(TestApp::at(NOW).await);
    let f = app.fixture("Europe/Rome").await;
    let a = booked(&app, &f.slug, AT_0900, "grace@example.com").await;
    let b = booked(&app, &f.slug, AT_1000, "alan@example.com").await;
    let moves: Vec<_> = [a, b]
        .into_iter()
        .map(|m| {
            let app = app.clone();
            tokio::spawn(async move { patch(&app, &m.id, &m.token, json!({ "start": AT_1100 })).await })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in moves {
        statuses.push(task.await.unwrap().status);
    }
    statuses.sort();
    assert_eq!(statuses, vec![200, 409]);
    let meetings = app.call("GET", "/v1/me/meetings?from=2027-03-29&to=2027-03-29", Some(&f.agent_token), None).await;
    let starts: Vec<&str> =
        meetings.body["meetings"].as_array().unwrap().iter().map(|m| m["start"].as_str().unwrap()).collect();
    assert_eq!(starts.iter().filter(|s| **s == AT_1100).count(), 1);
    assert_eq!(starts.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_edits_of_one_meeting_never_lose_an_update() {
    let app = Arc::new(TestApp::at(NOW).await);
    let f = app.fixture("Europe/Rome").await;
    let m = booked(&app, &f.slug, AT_0900, "grace@example.com").await;
    let edits: Vec<_> = ["First", "Second", "Third", "Fourth"]
        .into_iter()
        .map(|subject| {
            let (app, id, token) = (app.clone(), m.id.clone(), m.token.clone());
            tokio::spawn(async move {
                (subject, patch(&app, &id, &token, json!({ "subject": subject, "version": 1 })).await)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for task in edits {
        let (subject, reply) = task.await.unwrap();
        match reply.status {
            200 => winners.push(subject),
            409 => assert_eq!(reply.body["type"], "/problems/version-conflict"),
            other => panic!("{other}: {:?}", reply.body),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one edit of version 1 lands");
    let now = app.call("GET", &format!("/v1/meetings/{}", m.id), Some(&m.token), None).await;
    assert_eq!((now.body["subject"].as_str(), now.body["version"].as_u64()), (Some(winners[0]), Some(2)));
}

#[tokio::test]
async fn an_agent_schedules_for_an_external_person_without_the_guest_cap() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    for start in [AT_0900, AT_1000, AT_1100] {
        let body = json!({ "subject": "Follow-up", "start": start, "name": "Linus", "email": "linus@example.com" });
        let reply = app.call("POST", "/v1/me/meetings", Some(&f.agent_token), Some(body)).await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        assert_eq!(reply.body["meeting"]["booked_by"], "agent");
    }
    let weekend = json!({ "subject": "x", "start": "2027-03-27T08:00:00Z", "name": "L", "email": "linus@example.com" });
    let refused = app.call("POST", "/v1/me/meetings", Some(&f.agent_token), Some(weekend)).await;
    assert_eq!((refused.status, refused.body["type"].as_str()), (422, Some("/problems/outside-working-hours")));
    let clash = json!({ "subject": "x", "start": AT_0915, "name": "L", "email": "other@example.com" });
    assert_eq!(app.call("POST", "/v1/me/meetings", Some(&f.agent_token), Some(clash)).await.status, 409);

    let list = app.call("GET", "/v1/me/meetings?from=2027-03-29&to=2027-03-29", Some(&f.agent_token), None).await;
    let starts: Vec<&str> =
        list.body["meetings"].as_array().unwrap().iter().map(|m| m["start"].as_str().unwrap()).collect();
    assert_eq!(starts, vec![AT_0900, AT_1000, AT_1100]);
    let elsewhere = app.call("GET", "/v1/me/meetings?from=2027-03-30&to=2027-03-30", Some(&f.agent_token), None).await;
    assert!(elsewhere.body["meetings"].as_array().unwrap().is_empty());
    assert_eq!(app.call("GET", "/v1/me/meetings", Some(&f.admin_key), None).await.status, 403);
}

#[tokio::test]
async fn the_agents_meetings_are_a_calendar_feed_to_subscribe_to() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let kept = booked(&app, &f.slug, AT_0900, "grace@example.com").await;
    let gone = booked(&app, &f.slug, AT_1100, "alan@example.com").await;
    assert_eq!(app.call("DELETE", &format!("/v1/meetings/{}", gone.id), Some(&gone.token), None).await.status, 200);

    // A calendar app subscribes by URL: the feed has a read-only token of its own for that.
    let issued = app.call("POST", "/v1/me/calendar-feed", Some(&f.agent_token), None).await;
    assert_eq!(issued.status, 201, "{:?}", issued.body);
    let feed_token = issued.body["token"].as_str().unwrap().to_string();
    assert!(issued.body["url"].as_str().unwrap().ends_with(&format!("/v1/me/calendar.ics?token={feed_token}")));
    let reply = app.call("GET", &format!("/v1/me/calendar.ics?token={feed_token}"), None, None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.headers["content-type"], "text/calendar; charset=utf-8");
    assert_eq!(reply.headers["cache-control"], "no-store", "it holds guests' names and addresses");
    let text = reply.body.as_str().unwrap().to_string();
    let unfolded = icalendar::parser::unfold(&text);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar feed");
    let events: Vec<_> = calendar.components.iter().filter(|c| c.name.as_str() == "VEVENT").collect();
    assert_eq!(events.len(), 1, "the cancelled meeting is no longer on the calendar");
    let value =
        |name: &str| events[0].properties.iter().find(|p| p.name.as_str() == name).unwrap().val.as_str().to_string();
    assert_eq!(value("UID"), format!("{}@meeting-scheduler", kept.id), "the invitations' UID");
    assert_eq!((value("DTSTART"), value("DTEND")), ("20270329T070000Z".to_string(), "20270329T073000Z".to_string()));
    assert_eq!(app.call("GET", "/v1/me/calendar.ics?token=agt_nope", None, None).await.status, 401);
    assert_eq!(app.call("GET", &format!("/v1/me/calendar.ics?token={}", kept.token), None, None).await.status, 401);
    // The agent's own token works in the header, never in the URL.
    assert_eq!(app.call("GET", "/v1/me/calendar.ics", Some(&f.agent_token), None).await.status, 200);
    let in_url = app.call("GET", &format!("/v1/me/calendar.ics?token={}", f.agent_token), None, None).await;
    assert_eq!(in_url.status, 401, "an agent token in a URL is refused");
    // A new token replaces the old one; revoking ends the subscription.
    let again = app.call("POST", "/v1/me/calendar-feed", Some(&f.agent_token), None).await;
    let newer = again.body["token"].as_str().unwrap().to_string();
    assert_eq!(app.call("GET", &format!("/v1/me/calendar.ics?token={feed_token}"), None, None).await.status, 401);
    assert_eq!(app.call("GET", &format!("/v1/me/calendar.ics?token={newer}"), None, None).await.status, 200);
    assert_eq!(app.call("DELETE", "/v1/me/calendar-feed", Some(&f.agent_token), None).await.status, 204);
    assert_eq!(app.call("GET", &format!("/v1/me/calendar.ics?token={newer}"), None, None).await.status, 401);
    // The feed token opens the feed and nothing else.
    assert_eq!(app.call("GET", "/v1/me/meetings", Some(&newer), None).await.status, 403);
}

//! A guest's privacy requests (T7) on DynamoDB Local: the export of what the tenant holds about
//! an address; its erasure, checked by scanning every item of the table for the address, its
//! digest, its name, its subjects and its words; the bill unchanged; the guest starting fresh;
//! and the retention sweep.

use std::time::Instant;

use chrono::Duration;
use integration_tests::client::Booking;
use integration_tests::{unique_address, Fixture, TestApp};
use serde_json::{json, Value};
use shared::secrets;

const NOW: &str = "2027-03-24T08:00:00Z";

fn encoded(email: &str) -> String {
    email.replace('@', "%40").replace('+', "%2B")
}

async fn erase(app: &TestApp, f: &Fixture, email: &str) -> (u16, Value) {
    let reply = app.call("POST", &format!("/v1/guests/{}/erase", encoded(email)), Some(&f.admin_key), None).await;
    (reply.status, reply.body)
}

async fn bookings_billed(app: &TestApp, f: &Fixture) -> Value {
    app.usage(&f.admin_key, "2027-03").await.body["bookings"].clone()
}

/// Every item of the table that still holds one of `traces`, case-insensitively: (key, trace).
async fn holding(app: &TestApp, traces: &[String]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for item in app.table_items().await {
        let text = format!("{item:?}").to_lowercase();
        for trace in traces {
            if text.contains(&trace.to_lowercase()) {
                found.push((format!("{:?} {:?}", item.get("pk"), item.get("sk")), trace.clone()));
            }
        }
    }
    found
}

/// A guest who has been everywhere: meetings past and future (one of them as another guest's
/// additional member), messages, sessions, a pending hold, a sign-in, reminders and delivered
/// emails. Returns what must be gone after the erasure.
struct Grace {
    email: String,
    traces: Vec<String>,
    past: String,
    future: String,
    ivys: (String, String),
}

async fn grace_everywhere(app: &TestApp, f: &Fixture) -> Grace {
    let tag = &secrets::new_id()[..8];
    let email = unique_address("grace");
    let (name, subject, words) = (format!("Grace-{tag}"), format!("Subject-{tag}"), format!("Words-{tag}"));
    let session = app.guest_session(&f.slug, &email).await;
    let past = Booking::at("2027-03-29T07:00:00Z", &email).name(&name).subject(&subject).signed_in(&session);
    let past = app.booked(&f.slug, &past).await;
    let future = Booking::at("2027-03-30T07:00:00Z", &email).name(&name).subject(&subject).signed_in(&session);
    let future = app.booked(&f.slug, &future).await;
    app.said(&past.conversation, &past.token, &words).await;
    app.said(&past.conversation, &f.agent_token, "An agent's reply stays").await;
    let (ivy, ivy_session) = app.proven_guest(&f.slug, "ivy").await;
    let ivys = Booking::at("2027-03-31T07:00:00Z", &ivy).name("Ivy").with_members(&[&email]).signed_in(&ivy_session);
    let ivys = app.booked(&f.slug, &ivys).await;
    // A hold still waiting for its code, and the emails of all this delivered.
    let hold = app.book_as(&f.slug, &Booking::at("2027-04-01T07:00:00Z", &email).name(&name).subject(&subject)).await;
    assert_eq!(hold.status, 202, "{:?}", hold.body);
    app.send_change_emails().await;
    let traces = vec![email.clone(), secrets::address_digest(&email), name, subject, words];
    assert!(!holding(app, &traces).await.is_empty(), "the scan finds what it looks for");
    Grace { email, traces, past: past.id, future: future.id, ivys: (ivys.id, ivys.conversation) }
}

#[tokio::test]
async fn erasing_a_guest_leaves_no_trace_of_them_and_keeps_the_bill() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let grace = grace_everywhere(&app, &f).await;
    // The first meeting is over; the second is to come.
    app.clock.advance(Duration::days(5) + Duration::hours(4));
    let billed = bookings_billed(&app, &f).await;

    let (status, receipt) = erase(&app, &f, &grace.email).await;
    assert_eq!(status, 200, "{receipt}");
    assert_eq!((&receipt["done"], &receipt["meetings_cancelled"]), (&json!(true), &json!(1)), "{receipt}");
    assert!(!receipt.to_string().contains(&grace.email), "the receipt names no address");
    app.send_change_emails().await;

    let left = holding(&app, &grace.traces).await;
    assert!(left.is_empty(), "items still holding the guest: {left:#?}");
    assert_eq!(bookings_billed(&app, &f).await, billed, "billing counts stay");

    // The meetings stand, erased; the future one was cancelled, with its notice sent first.
    let past = app.call("GET", &format!("/v1/meetings/{}", grace.past), Some(&f.agent_token), None).await;
    assert_eq!(
        (past.body["guest"]["name"].as_str(), past.body["subject"].as_str()),
        (Some("[erased]"), Some("[erased]"))
    );
    let future = app.call("GET", &format!("/v1/meetings/{}", grace.future), Some(&f.agent_token), None).await;
    assert_eq!(future.body["status"], "cancelled");
    let ivys = app.call("GET", &format!("/v1/meetings/{}", grace.ivys.0), Some(&f.agent_token), None).await;
    assert_eq!((ivys.body["status"].as_str(), &ivys.body["additional_members"]), (Some("scheduled"), &json!([])));
    let talk = app.conversation(&grace.ivys.1, &f.agent_token).await;
    assert_eq!(talk.status, 200, "Ivy's conversation goes on without her");

    // Asked again: nothing left to do, the same answer.
    let (again, second) = erase(&app, &f, &grace.email).await;
    assert_eq!((again, &second["done"], &second["meetings_cancelled"]), (200, &json!(true), &json!(0)));
    let audit = app.call("GET", "/v1/audit", Some(&f.admin_key), None).await;
    let erased: Vec<&Value> =
        audit.body["entries"].as_array().unwrap().iter().filter(|e| e["action"] == "guest.erased").collect();
    assert_eq!(erased.len(), 2);
    assert!(!audit.body.to_string().contains(&secrets::address_digest(&grace.email)), "nor does the audit trail");

    // The guest, back, starts fresh: nothing of before is theirs, a new conversation begins.
    let session = app.guest_session(&f.slug, &grace.email).await;
    let theirs = app.call("GET", "/v1/guest/meetings", Some(&session), None).await;
    assert_eq!(
        (&theirs.body["meetings"], &theirs.body["conversations"]),
        (&json!([]), &json!([])),
        "{:?}",
        theirs.body
    );
    let anew = app.booked(&f.slug, &Booking::at("2027-04-05T07:00:00Z", &grace.email).signed_in(&session)).await;
    let messages = app.conversation(&anew.conversation, &anew.token).await.body["messages"].as_array().unwrap().len();
    assert_eq!(messages, 1, "a conversation of its own, with its booking only");
}

#[tokio::test]
async fn an_export_holds_what_the_tenant_has_about_one_address_and_nobody_elses() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let (grace, session) = app.proven_guest(&f.slug, "grace").await;
    let booked =
        app.booked(&f.slug, &Booking::at("2027-03-29T07:00:00Z", &grace).name("Grace").signed_in(&session)).await;
    app.said(&booked.conversation, &booked.token, "Grace's own words").await;
    app.said(&booked.conversation, &f.agent_token, "The agent's words").await;
    let other = app.booked(&f.slug, &Booking::at("2027-03-29T08:00:00Z", &unique_address("ivy")).name("Ivy")).await;
    app.said(&other.conversation, &other.token, "Ivy's words").await;

    let export = app.call("GET", &format!("/v1/guests/{}/export", encoded(&grace)), Some(&f.admin_key), None).await;
    assert_eq!(export.status, 200, "{:?}", export.body);
    let body = &export.body;
    assert_eq!(body["email"], grace.as_str());
    assert_eq!(body["meetings"].as_array().unwrap().len(), 1);
    assert_eq!(body["meetings"][0]["id"], booked.id.as_str());
    let texts: Vec<&str> = body["messages"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["Grace's own words"], "the messages the address wrote");
    assert_eq!(body["sessions"].as_array().unwrap().len(), 1);
    let calendar = body["calendar"].as_str().unwrap();
    assert!(calendar.starts_with("BEGIN:VCALENDAR") && calendar.contains(&format!("UID:{}@", booked.id)), "{calendar}");
    let text = body.to_string();
    for elsewhere in ["Ivy", &other.id, &other.conversation] {
        assert!(!text.contains(elsewhere), "nothing of another guest: {elsewhere}");
    }
    let nobody = app.call("GET", "/v1/guests/nobody%40example.com/export", Some(&f.admin_key), None).await;
    assert_eq!((nobody.status, &nobody.body["meetings"]), (200, &json!([])));
    let bad = app.call("GET", "/v1/guests/not-an-address/export", Some(&f.admin_key), None).await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn the_retention_sweep_erases_what_ended_long_enough_ago_and_nothing_newer() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let too_short = app.call("PATCH", "/v1/tenant", Some(&f.admin_key), Some(json!({ "retention_days": 29 }))).await;
    assert_eq!((too_short.status, too_short.body["field"].as_str()), (400, Some("retention_days")));
    let set = app.call("PATCH", "/v1/tenant", Some(&f.admin_key), Some(json!({ "retention_days": 30 }))).await;
    assert_eq!((set.status, &set.body["retention_days"]), (200, &json!(30)), "{:?}", set.body);
    let old = app
        .booked(&f.slug, &Booking::at("2027-03-29T07:00:00Z", &unique_address("old")).name("Olga").subject("Old"))
        .await;
    app.said(&old.conversation, &old.token, "Old words").await;
    let recent = app.booked(&f.slug, &Booking::at("2027-04-20T07:00:00Z", &unique_address("new")).name("Nina")).await;
    let billed = bookings_billed(&app, &f).await;

    // 31 days after the first meeting, 9 after the second.
    app.clock.advance(Duration::days(36));
    let swept = shared::app::privacy::sweep_retention(&app.deps).await.unwrap();
    assert_eq!(swept.meetings, 1, "{swept:?}");
    let gone = app.call("GET", &format!("/v1/meetings/{}", old.id), Some(&f.agent_token), None).await;
    assert_eq!(
        (gone.body["guest"]["name"].as_str(), gone.body["subject"].as_str()),
        (Some("[erased]"), Some("[erased]"))
    );
    let talk =
        app.call("GET", &format!("/v1/conversations/{}/messages", old.conversation), Some(&f.agent_token), None).await;
    assert!(!talk.body.to_string().contains("Old words"), "{:?}", talk.body);
    let kept = app.call("GET", &format!("/v1/meetings/{}", recent.id), Some(&f.agent_token), None).await;
    assert_eq!(kept.body["guest"]["name"], "Nina");
    assert_eq!(bookings_billed(&app, &f).await, billed);
    assert_eq!(shared::app::privacy::sweep_retention(&app.deps).await.unwrap().meetings, 0, "once");

    // Off again: nothing more is swept.
    let off = app.call("PATCH", "/v1/tenant", Some(&f.admin_key), Some(json!({ "retention_days": null }))).await;
    assert_eq!(off.status, 200);
    app.clock.advance(Duration::days(60));
    assert_eq!(shared::app::privacy::sweep_retention(&app.deps).await.unwrap().meetings, 0);
}

/// The note's figures: erasing a guest with 20 meetings and 500 messages, its requests and time
/// on the local stack (printed; run with `--nocapture`). Asserts only what it must leave.
#[tokio::test]
async fn erasing_a_guest_with_twenty_meetings_and_five_hundred_messages() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let email = unique_address("busy");
    let first = app.booked(&f.slug, &Booking::at("2027-03-29T07:00:00Z", &email).name("Busy Bee")).await;
    for k in 1..20 {
        // 09:00 to 17:00 in Rome, less the lunch hour.
        let hour = [7, 8, 9, 10, 12, 13, 14, 15][k % 8];
        let at = format!("2027-03-{:02}T{hour:02}:00:00Z", 29 + k / 8);
        let reply = app.schedule(&f.agent_token, &Booking::at(&at, &email).name("Busy Bee")).await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
    }
    for batch in 0..17 {
        for k in 0..30 {
            if batch * 30 + k < 500 {
                app.said(&first.conversation, &first.token, &format!("busy words {batch}-{k}")).await;
            }
        }
        app.clock.advance(Duration::minutes(10));
    }
    app.send_change_emails().await;
    let metrics = app.deps.store.metrics();
    let before = metrics.snapshot();
    let started = Instant::now();
    let mut runs = 0;
    loop {
        runs += 1;
        let (status, receipt) = erase(&app, &f, &email).await;
        if status == 200 {
            println!("erasure receipt: {receipt}");
            break;
        }
        assert_eq!(status, 202, "{receipt}");
        assert!(runs < 20, "it ends");
    }
    let took = started.elapsed();
    let spent = metrics.snapshot() - before;
    println!(
        "erasing 20 meetings and 500 messages: {} runs, {} requests, {:.0} capacity units, {} transaction items, {:.2} s",
        runs,
        spent.requests,
        spent.capacity_units,
        spent.transaction_items,
        took.as_secs_f64()
    );
    let traces = [email.clone(), secrets::address_digest(&email), "Busy Bee".into(), "busy words".into()];
    assert!(holding(&app, &traces).await.is_empty());
}

/// A run can stop after any step (a Lambda's time is up): erasing one step a run still leaves
/// nothing. Before: a stopped run had forgotten a meeting whose conversation it had not scrubbed
/// yet, and the next run never found that conversation.
#[tokio::test]
async fn an_erasure_stopped_after_every_step_still_leaves_no_trace() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let grace = grace_everywhere(&app, &f).await;
    let mut runs = 0;
    loop {
        runs += 1;
        let receipt =
            shared::app::privacy::erase_within(&app.deps, &f.tenant_id, &grace.email, std::time::Duration::ZERO)
                .await
                .unwrap();
        if receipt.done {
            break;
        }
        // The cancellation notices go first, once their people's last email is two minutes old (G7).
        app.clock.advance(Duration::seconds(10));
        assert!(runs < 1000, "it ends");
    }
    assert!(runs > 5, "it was stopped many times ({runs} runs)");
    app.send_change_emails().await;
    let left = holding(&app, &grace.traces).await;
    assert!(left.is_empty(), "items still holding the guest: {left:#?}");
}

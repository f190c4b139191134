//! Notifications through moto's SES and EventBridge (B6, E2, R1, R2, T2): every copy read back
//! and parsed by independent parsers (mail-parser for MIME, icalendar for the invitation).

use std::sync::Arc;

use integration_tests::client::Booking;
use integration_tests::moto::{mail_to, EventCapture};
use integration_tests::{unique_address as address, utc, TestApp};
use mail_parser::{MessageParser, MimeHeaders};
use serde_json::json;
use shared::clock::Clock;
use shared::secrets;

const NOW: &str = "2027-03-24T08:00:00Z";
const AT_0900: &str = "2027-03-29T07:00:00Z";

/// The parts of an invitation the tests check, as an independent parser reads them.
#[derive(Debug, Default)]
struct Invite {
    method: String,
    uid: String,
    sequence: u64,
    start: String,
    end: String,
    summary: String,
    status: String,
    organizer: String,
    attendees: Vec<String>,
}

struct Mail {
    subject: String,
    text: String,
    html: String,
    headers: Vec<String>,
    invite: Option<Invite>,
}

fn parse(raw: &str) -> Mail {
    let message = MessageParser::default().parse(raw.as_bytes()).expect("a MIME message");
    let invite = message
        .parts
        .iter()
        .find(|p| p.content_type().is_some_and(|c| c.ctype() == "text" && c.subtype() == Some("calendar")))
        .map(|part| read_invite(part.text_contents().expect("calendar text")));
    Mail {
        subject: message.subject().unwrap_or_default().to_string(),
        text: message.body_text(0).unwrap_or_default().to_string(),
        html: message.body_html(0).unwrap_or_default().to_string(),
        headers: message.headers().iter().map(|h| h.name().to_ascii_lowercase()).collect(),
        invite,
    }
}

fn read_invite(ics: &str) -> Invite {
    let unfolded = icalendar::parser::unfold(ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar object");
    let mut invite = Invite::default();
    for p in &calendar.properties {
        if p.name.as_str() == "METHOD" {
            invite.method = p.val.as_str().to_string();
        }
    }
    let event = calendar.components.iter().find(|c| c.name.as_str() == "VEVENT").expect("a VEVENT");
    for p in &event.properties {
        let value = p.val.as_str().to_string();
        match p.name.as_str() {
            "UID" => invite.uid = value,
            "SEQUENCE" => invite.sequence = value.parse().unwrap(),
            "DTSTART" => invite.start = value,
            "DTEND" => invite.end = value,
            "SUMMARY" => invite.summary = value,
            "STATUS" => invite.status = value,
            "ORGANIZER" => invite.organizer = value,
            "ATTENDEE" => invite.attendees.push(value),
            _ => {}
        }
    }
    invite
}

/// A booking by Grace Hopper, whose copies show New York time.
async fn book(app: &TestApp, slug: &str, start: &str, guest: &str, extra: &[&str], subject: &str) -> serde_json::Value {
    let booking =
        Booking::at(start, guest).name("Grace Hopper").subject(subject).with_members(extra).in_zone("America/New_York");
    app.booked(slug, &booking).await.body
}

/// A fixture whose agent has an address of its own, so its copies can be told apart.
async fn fixture_with_agent_address(app: &TestApp) -> (integration_tests::Fixture, String) {
    let f = app.fixture("Europe/Rome").await;
    let agent_email = address("ada");
    let patched = app
        .call("PATCH", &format!("/v1/agents/{}", f.agent_id), Some(&f.admin_key), Some(json!({ "email": agent_email })))
        .await;
    assert_eq!(patched.status, 200);
    (f, agent_email)
}

#[tokio::test]
async fn a_booking_emails_everyone_an_invitation_in_their_own_zone() {
    let app = TestApp::at(NOW).await;
    let (f, agent) = fixture_with_agent_address(&app).await;
    let (guest, bob) = (address("grace"), address("bob"));
    let booked = book(&app, &f.slug, AT_0900, &guest, &[&bob], "Intro call").await;
    let meeting_id = booked["meeting"]["id"].as_str().unwrap();
    let manage_token = booked["manage_token"].as_str().unwrap();

    for (who, local_time) in [(&agent, "09:00"), (&guest, "03:00"), (&bob, "03:00")] {
        let mails = mail_to(who);
        assert_eq!(mails.len(), 1, "{who} gets one email, sent at once");
        let mail = parse(&mails[0].raw);
        assert_eq!(mail.subject, "Meeting booked: Intro call");
        assert!(mail.text.contains(&format!("Monday 29 March 2027, {local_time}")), "{who}: {}", mail.text);
        assert!(mail.html.contains("Intro call"));
        let invite = mail.invite.expect("an invitation");
        assert_eq!(invite.method, "REQUEST");
        assert_eq!(invite.uid, format!("{meeting_id}@meeting-scheduler"));
        assert_eq!(invite.sequence, 0);
        assert_eq!((invite.start.as_str(), invite.end.as_str()), ("20270329T070000Z", "20270329T073000Z"));
        assert_eq!(invite.organizer, format!("mailto:{agent}"));
        let mut attendees = invite.attendees.clone();
        attendees.sort();
        let mut want = vec![format!("mailto:{guest}"), format!("mailto:{bob}")];
        want.sort();
        assert_eq!(attendees, want);
    }
    let guest_copy = parse(&mail_to(&guest)[0].raw);
    assert!(guest_copy
        .text
        .contains(&format!("https://book.scheduler.test/b/manage/{meeting_id}?token={manage_token}")));
    assert!(!parse(&mail_to(&bob)[0].raw).text.contains(manage_token), "only the guest gets the manage link");
    assert!(!parse(&mail_to(&agent)[0].raw).text.contains(manage_token));
}

#[tokio::test]
async fn changes_update_the_same_invitation_and_a_cancellation_cancels_it() {
    let app = TestApp::at(NOW).await;
    let (f, agent) = fixture_with_agent_address(&app).await;
    let guest = address("grace");
    let booked = book(&app, &f.slug, AT_0900, &guest, &[], "Intro").await;
    let id = booked["meeting"]["id"].as_str().unwrap();
    let token = booked["manage_token"].as_str().unwrap();
    let path = format!("/v1/meetings/{id}");
    // Changes further apart than two minutes: an email each (G7 coalesces only closer ones).
    assert_eq!(
        app.call("PATCH", &path, Some(&f.agent_token), Some(json!({ "start": "2027-03-29T09:00:00Z" }))).await.status,
        200
    );
    app.send_change_emails().await;
    assert_eq!(app.call("PATCH", &path, Some(token), Some(json!({ "duration": 45 }))).await.status, 200);
    app.send_change_emails().await;
    assert_eq!(app.call("DELETE", &path, Some(token), None).await.status, 200);
    app.send_change_emails().await;

    for who in [&guest, &agent] {
        let mails: Vec<_> = mail_to(who).iter().map(|m| parse(&m.raw)).collect();
        let subjects: Vec<&str> = mails.iter().map(|m| m.subject.as_str()).collect();
        assert_eq!(
            subjects,
            vec![
                "Meeting booked: Intro",
                "Meeting updated: Intro",
                "Meeting updated: Intro",
                "Meeting cancelled: Intro"
            ]
        );
        let invites: Vec<&Invite> = mails.iter().map(|m| m.invite.as_ref().unwrap()).collect();
        assert!(invites.iter().all(|i| i.uid == format!("{id}@meeting-scheduler")), "one UID for the meeting's life");
        let sequences: Vec<u64> = invites.iter().map(|i| i.sequence).collect();
        assert_eq!(sequences, vec![0, 1, 2, 3], "SEQUENCE rises with every change");
        assert_eq!(invites[1].start, "20270329T090000Z");
        assert_eq!(invites[2].end, "20270329T094500Z");
        assert_eq!((invites[3].method.as_str(), invites[3].status.as_str()), ("CANCEL", "CANCELLED"));
    }
    let moved = parse(&mail_to(&guest)[1].raw);
    assert!(moved.text.contains("Previously: Monday 29 March 2027, 03:00"), "{}", moved.text);
}

#[tokio::test]
async fn domain_events_reach_a_rule_target() {
    let mut app = TestApp::at(NOW).await;
    let capture = EventCapture::new(&app.aws, &secrets::new_id()).await;
    app.publish_to(&capture);
    let f = app.fixture("Europe/Rome").await;
    let booked = book(&app, &f.slug, AT_0900, &address("grace"), &[], "Intro").await;
    let id = booked["meeting"]["id"].as_str().unwrap();
    let token = booked["manage_token"].as_str().unwrap();
    let path = format!("/v1/meetings/{id}");
    assert_eq!(
        app.call("PATCH", &path, Some(token), Some(json!({ "start": "2027-03-30T07:00:00Z" }))).await.status,
        200
    );
    assert_eq!(app.call("DELETE", &path, Some(token), None).await.status, 200);

    let events = capture.received().await;
    let kinds: Vec<&str> = events.iter().map(|e| e["detail-type"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["MeetingScheduled", "MeetingRescheduled", "MeetingCancelled"]);
    let scheduled = &events[0]["detail"];
    assert_eq!(events[0]["source"], "meeting-scheduler");
    assert_eq!(scheduled["conversation_id"], booked["conversation"]["id"], "billing can link it to its conversation");
    assert_eq!(
        (scheduled["tenant_id"].as_str(), scheduled["meeting_id"].as_str()),
        (Some(f.tenant_id.as_str()), Some(id))
    );
    assert_eq!((scheduled["billable"].as_bool(), events[1]["detail"]["billable"].as_bool()), (Some(true), Some(false)));
}

#[tokio::test]
async fn a_booking_made_while_ses_is_down_is_mailed_once_ses_is_back() {
    let mut app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    app.ses_down();
    let guest = address("grace");
    let booked = book(&app, &f.slug, AT_0900, &guest, &[], "Intro").await;
    assert!(mail_to(&guest).is_empty(), "nothing could be sent");

    app.ses_up();
    let report = app.deps.delivery().run_due().await.unwrap();
    assert_eq!(report.emails, 0, "not before the retry is due: {report:?}");
    app.clock.advance(chrono::Duration::seconds(31));
    let report = app.deps.delivery().run_due().await.unwrap();
    assert_eq!((report.delivered, report.emails), (1, 2), "{report:?}");
    assert_eq!(mail_to(&guest).len(), 1);
    let copy = parse(&mail_to(&guest)[0].raw);
    assert!(copy.text.contains(booked["manage_token"].as_str().unwrap()), "the manage link survives the wait");
    app.clock.advance(chrono::Duration::minutes(5));
    app.deps.delivery().run_due().await.unwrap();
    assert_eq!(mail_to(&guest).len(), 1, "and it is not sent again");
}

#[tokio::test]
async fn a_notification_that_keeps_failing_is_parked_without_its_secrets() {
    let mut app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    app.ses_down();
    book(&app, &f.slug, AT_0900, &address("grace"), &[], "Intro").await;
    let due = app.deps.store.due_outbox(app.clock.now() + chrono::Duration::hours(1), 10).await.unwrap();
    assert_eq!(due.len(), 1, "the booking's notification waits");
    let (tenant, id) = &due[0];
    assert!(
        app.deps.store.outbox_state(tenant, id).await.unwrap().unwrap().holds_secrets,
        "the manage link waits with it"
    );
    let mut parked = 0;
    for _ in 0..8 {
        app.clock.advance(chrono::Duration::hours(1));
        parked += app.deps.delivery().run_due().await.unwrap().parked;
    }
    assert_eq!(parked, 1, "after five attempts it stops and is parked as failed");
    let state = app.deps.store.outbox_state(tenant, id).await.unwrap().unwrap();
    assert_eq!(state.status, shared::store::OutboxStatus::Failed);
    assert!(!state.holds_secrets, "parking erases the manage token and the conversation link");
    assert!(state.expires_at.is_some(), "and the parked item expires");
}

#[tokio::test]
async fn addresses_the_mailer_would_refuse_are_refused_at_the_api() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let path = format!("/v1/book/{}/meetings", f.slug);
    let good = address("grace");
    for (body, field) in [
        (json!({ "subject": "s", "start": AT_0900, "name": "G", "email": "a..b@x.example" }), "email"),
        (json!({ "subject": "s", "start": AT_0900, "name": "G", "email": "pc@x.example#a" }), "email"),
        (
            json!({ "subject": "s", "start": AT_0900, "name": "G", "email": good, "additional_members": [address("ok"), "a..b@x.example"] }),
            "additional_members[1]",
        ),
    ] {
        let reply = app.call("POST", &path, None, Some(body)).await;
        assert_eq!((reply.status, reply.body["field"].as_str()), (400, Some(field)), "{:?}", reply.body);
    }
    assert!(mail_to(&good).is_empty());
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 0);
}

/// Before: one address the mailer refused parked the whole notification on the first try: the
/// others were never mailed and the billable event never published.
#[tokio::test]
async fn a_recipient_the_mailer_refuses_is_recorded_and_everyone_else_still_hears() {
    let mut app = TestApp::at(NOW).await;
    let capture = EventCapture::new(&app.aws, &secrets::new_id()).await;
    app.publish_to(&capture);
    let (f, agent) = fixture_with_agent_address(&app).await;
    app.ses_down();
    let (guest, bob) = (address("grace"), address("bob"));
    book(&app, &f.slug, AT_0900, &guest, &[&bob], "Intro").await;
    // An address that reached the outbox before the API checked addresses as the mailer does:
    // the guest's, rewritten in the stored notification.
    let due = app.deps.store.due_outbox(app.clock.now() + chrono::Duration::hours(1), 10).await.unwrap();
    let (tenant, id) = &due[0];
    let (pk, sk) = shared::store::keys::outbox(tenant, id);
    let s = aws_sdk_dynamodb::types::AttributeValue::S;
    app.deps
        .store
        .client()
        .update_item()
        .table_name(app.deps.store.table())
        .key("pk", s(pk))
        .key("sk", s(sk))
        .update_expression("SET recipients[1].email = :bad")
        .expression_attribute_values(":bad", s("a..b@x.example".into()))
        .send()
        .await
        .unwrap();

    app.ses_up();
    app.clock.advance(chrono::Duration::seconds(31));
    let report = app.deps.delivery().run_due().await.unwrap();
    assert_eq!((report.delivered, report.emails, report.refused, report.parked), (1, 2, 1, 0), "{report:?}");
    assert_eq!(mail_to(&agent).len(), 1, "the agent heard");
    assert_eq!(mail_to(&bob).len(), 1, "the additional member heard");
    let state = app.deps.store.outbox_state(tenant, id).await.unwrap().unwrap();
    let key = app.deps.notifier.signer.key().await.unwrap();
    let mark = shared::mail::recipient_mark(key, id, "a..b@x.example");
    assert_eq!(state.refused, vec![mark], "kept as a keyed mark, never the address (T7)");
    assert_eq!(state.status, shared::store::OutboxStatus::Sent);
    let kinds: Vec<String> =
        capture.received().await.iter().map(|e| e["detail-type"].as_str().unwrap().to_string()).collect();
    assert_eq!(kinds, vec!["MeetingScheduled"], "the billable event went out");
}

#[tokio::test]
async fn the_domain_event_is_published_while_mail_is_down() {
    let mut app = TestApp::at(NOW).await;
    let capture = EventCapture::new(&app.aws, &secrets::new_id()).await;
    app.publish_to(&capture);
    let f = app.fixture("Europe/Rome").await;
    app.ses_down();
    let guest = address("grace");
    book(&app, &f.slug, AT_0900, &guest, &[], "Intro").await;
    assert!(mail_to(&guest).is_empty());
    let kinds: Vec<String> =
        capture.received().await.iter().map(|e| e["detail-type"].as_str().unwrap().to_string()).collect();
    assert_eq!(kinds, vec!["MeetingScheduled"], "billing hears of the booking at once");
    app.ses_up();
    app.clock.advance(chrono::Duration::seconds(31));
    let report = app.deps.delivery().run_due().await.unwrap();
    assert_eq!((report.emails, report.events), (2, 0), "the mail follows; the event is not sent twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_dispatchers_send_every_email_exactly_once() {
    let mut app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    app.ses_down();
    let guests: Vec<String> = (0..8).map(|i| address(&format!("g{i}"))).collect();
    let starts = [
        "2027-03-29T07:00:00Z",
        "2027-03-29T08:00:00Z",
        "2027-03-29T09:00:00Z",
        "2027-03-30T07:00:00Z",
        "2027-03-30T08:00:00Z",
        "2027-03-30T09:00:00Z",
        "2027-03-31T07:00:00Z",
        "2027-03-31T08:00:00Z",
    ];
    for (guest, start) in guests.iter().zip(starts) {
        book(&app, &f.slug, start, guest, &[], "Intro").await;
    }
    app.ses_up();
    app.clock.advance(chrono::Duration::minutes(1));
    let app = Arc::new(app);
    let race = |app: Arc<TestApp>| tokio::spawn(async move { app.deps.delivery().run_due().await.unwrap() });
    let (a, b, c) = tokio::join!(race(app.clone()), race(app.clone()), race(app.clone()));
    let total: u32 = [a.unwrap(), b.unwrap(), c.unwrap()].iter().map(|r| r.emails).sum();
    assert_eq!(total, 16, "8 guests and 8 agent copies, between all dispatchers");
    for guest in &guests {
        assert_eq!(mail_to(guest).len(), 1, "{guest}");
    }

    // The reminders, due 15 minutes before each meeting: raced too, and each sent once.
    app.clock.set(utc("2027-03-31T08:00:00Z"));
    let (a, b) = tokio::join!(race(app.clone()), race(app.clone()));
    let reminders = a.unwrap().emails + b.unwrap().emails;
    assert_eq!(reminders, 16, "all 8 reminders are due by 08:00 (the last at 07:45): guest and agent each");
    for guest in &guests {
        let subjects: Vec<String> = mail_to(guest).iter().map(|m| parse(&m.raw).subject).collect();
        assert_eq!(subjects.iter().filter(|s| s.starts_with("Reminder: Intro")).count(), 1, "{guest}: {subjects:?}");
    }
}

#[tokio::test]
async fn a_reminder_goes_out_once_after_it_is_due_and_follows_the_meeting() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let (stays, moves, cancelled) = (address("stays"), address("moves"), address("cancelled"));
    book(&app, &f.slug, AT_0900, &stays, &[], "Stays").await;
    let moved = book(&app, &f.slug, "2027-03-29T08:00:00Z", &moves, &[], "Moves").await;
    let gone = book(&app, &f.slug, "2027-03-29T09:00:00Z", &cancelled, &[], "Gone").await;
    let path = |m: &serde_json::Value| format!("/v1/meetings/{}", m["meeting"]["id"].as_str().unwrap());
    let token = |m: &serde_json::Value| m["manage_token"].as_str().unwrap().to_string();
    let moved_to = json!({ "start": "2027-03-29T12:00:00Z" });
    assert_eq!(app.call("PATCH", &path(&moved), Some(&token(&moved)), Some(moved_to)).await.status, 200);
    assert_eq!(app.call("DELETE", &path(&gone), Some(&token(&gone)), None).await.status, 200);
    let reminders = |who: &str| mail_to(who).iter().filter(|m| parse(&m.raw).subject.starts_with("Reminder")).count();
    // Due 15 minutes before, less the meeting's own spread (a quarter hour's reminders are spread
    // over a minute and a half).
    let stays_id = app.call("GET", "/v1/me/meetings?from=2027-03-29&to=2027-03-29", Some(&f.agent_token), None).await;
    let stays_id = stays_id.body["meetings"].as_array().unwrap().iter().find(|m| m["start"] == AT_0900).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let due =
        utc(AT_0900) - chrono::Duration::minutes(15) - shared::domain::notification::reminder_spread(&stays_id, 15);

    app.clock.set(due - chrono::Duration::seconds(1));
    app.deps.delivery().run_due().await.unwrap();
    assert_eq!(reminders(&stays), 0, "not before it is due");
    app.clock.set(due + chrono::Duration::seconds(30));
    app.deps.delivery().run_due().await.unwrap();
    app.deps.delivery().run_due().await.unwrap();
    assert_eq!(reminders(&stays), 1, "once, in the run after it is due");
    let reminder = parse(&mail_to(&stays).last().unwrap().raw);
    assert_eq!(reminder.subject, "Reminder: Stays at 03:00 (America/New_York)", "in the guest's zone, named");
    assert!(reminder.invite.is_none());

    app.clock.set(utc("2027-03-29T07:45:30Z"));
    app.deps.delivery().run_due().await.unwrap();
    assert_eq!(reminders(&moves), 0, "its old time no longer reminds");
    app.clock.set(utc("2027-03-29T11:45:30Z"));
    app.deps.delivery().run_due().await.unwrap();
    assert_eq!(reminders(&moves), 1, "its new time does");
    assert_eq!(reminders(&cancelled), 0, "a cancelled meeting reminds nobody");
}

#[tokio::test]
async fn a_reminder_already_past_at_booking_is_skipped() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let settings = json!({ "time_zone": "Europe/Rome", "reminder_lead_times": [120, 15] });
    assert_eq!(app.call("PUT", "/v1/me/availability", Some(&f.agent_token), Some(settings)).await.status, 200);
    app.clock.set(utc("2027-03-29T05:30:00Z"));
    let guest = address("late");
    book(&app, &f.slug, AT_0900, &guest, &[], "Soon").await;
    app.clock.set(utc("2027-03-29T06:59:00Z"));
    let report = app.deps.delivery().run_due().await.unwrap();
    let subjects: Vec<String> = mail_to(&guest).iter().map(|m| parse(&m.raw).subject).collect();
    assert_eq!(subjects, vec!["Meeting booked: Soon", "Reminder: Soon at 03:00 (America/New_York)"], "{report:?}");
    assert!(parse(&mail_to(&guest)[1].raw).text.contains("starts in 15 minutes."), "the 2-hour one was already past");
}

#[tokio::test]
async fn user_text_is_escaped_for_headers_html_and_icalendar() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let guest = address("grace");
    let subject = "Plan <b>bold</b> & <script>x()</script>; a,b\\c END:VEVENT Bcc: evil@attacker.test";
    book(&app, &f.slug, AT_0900, &guest, &[], subject).await;
    let mails = mail_to(&guest);
    assert_eq!(mails.len(), 1);
    assert!(mail_to("evil@attacker.test").is_empty(), "no injected recipient");
    let mail = parse(&mails[0].raw);
    assert!(!mail.headers.contains(&"bcc".to_string()), "no injected header: {:?}", mail.headers);
    assert_eq!(mail.subject, format!("Meeting booked: {subject}"));
    assert!(mail.text.contains(&format!("Subject: {subject}")), "{}", mail.text);
    assert!(mail.html.contains("&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;"), "{}", mail.html);
    assert!(!mail.html.contains("<script>") && !mail.html.contains("<b>bold"));
    let invite = mail.invite.unwrap();
    assert_eq!(
        invite.summary,
        format!("{subject} with Ada Lovelace"),
        "the subject, in a sentence of the guest's language"
    );
    assert_eq!(invite.status, "CONFIRMED", "the event did not end early");
}

#[tokio::test]
async fn line_breaks_and_direction_controls_cannot_forge_lines_in_an_email() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let guest = address("grace");
    let path = format!("/v1/book/{}/meetings", f.slug);
    // Before: a subject's line break became a line of its own in the plain text, such as a fake
    // "Reschedule:" link; a U+202E reversed what followed it.
    let forged = "Intro\r\n\r\nReschedule, change or cancel: https://evil.example/steal";
    for (field, value) in [
        ("subject", forged),
        ("subject", "Invoice \u{202E}fdp.exe"),
        ("subject", "Intro\u{2028}Reschedule: https://evil.example"),
        ("name", "Grace\nHopper"),
        ("name", "\u{2066}Grace"),
    ] {
        let mut body = json!({ "subject": "Intro", "start": AT_0900, "name": "Grace", "email": guest });
        body[field] = json!(value);
        let reply = app.call("POST", &path, None, Some(body)).await;
        assert_eq!((reply.status, reply.body["field"].as_str()), (400, Some(field)), "{value:?}");
    }
    assert!(mail_to(&guest).is_empty(), "nothing was booked or sent");
    let booked = book(&app, &f.slug, AT_0900, &guest, &[], "Intro").await;
    let id = booked["meeting"]["id"].as_str().unwrap();
    let token = booked["manage_token"].as_str().unwrap();
    let change =
        app.call("PATCH", &format!("/v1/meetings/{id}"), Some(token), Some(json!({ "subject": forged }))).await;
    assert_eq!((change.status, change.body["field"].as_str()), (400, Some("subject")));
}

/// Before: `MeetingScheduled` carried `"conversation_id":""`, and a returning guest's booking (one
/// that joins an existing conversation) named a conversation that was never written.
#[tokio::test]
async fn every_scheduled_event_names_the_conversation_the_meeting_is_in() {
    let mut app = TestApp::at(NOW).await;
    let capture = EventCapture::new(&app.aws, &secrets::new_id()).await;
    app.publish_to(&capture);
    let f = app.fixture("Europe/Rome").await;
    let guest = address("grace");
    let session = app.guest_session(&f.slug, &guest).await;
    let first = app.booked(&f.slug, &Booking::at(AT_0900, &guest).signed_in(&session)).await.body;
    let second = app.booked(&f.slug, &Booking::at("2027-03-30T07:00:00Z", &guest).signed_in(&session)).await.body;
    let conversation = first["conversation"]["id"].as_str().unwrap();
    assert_eq!(second["conversation"]["id"], conversation);
    assert_eq!(second["meeting"]["conversation_id"], conversation);
    let events = capture.received().await;
    let named: Vec<&str> = events.iter().map(|e| e["detail"]["conversation_id"].as_str().unwrap()).collect();
    assert_eq!(named, vec![conversation, conversation]);
}

/// Before: the reminder email went out, but the conversation showed only "booked" (C3).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reminder_appears_in_the_conversation_once_however_deliveries_race() {
    let app = Arc::new(TestApp::at(NOW).await);
    let f = app.fixture("Europe/Rome").await;
    let guest = address("grace");
    let booked = book(&app, &f.slug, AT_0900, &guest, &[], "Intro").await;
    app.clock.set(utc("2027-03-29T06:45:30Z"));
    let race = |app: Arc<TestApp>| tokio::spawn(async move { app.deps.delivery().run_due().await.unwrap() });
    let (a, b, c) = tokio::join!(race(app.clone()), race(app.clone()), race(app.clone()));
    let sent: u32 = [a.unwrap(), b.unwrap(), c.unwrap()].iter().map(|r| r.emails).sum();
    assert_eq!(sent, 2, "the guest's and the agent's reminder, once each");
    let path = format!("/v1/conversations/{}", booked["conversation"]["id"].as_str().unwrap());
    let seen = app.call("GET", &path, Some(&f.agent_token), None).await;
    let messages = seen.body["messages"].as_array().unwrap();
    let kinds: Vec<&str> = messages.iter().map(|m| m["event"]["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["meeting_booked", "reminder_sent"]);
    let reminder = &messages[1];
    assert_eq!((reminder["by"].as_str(), reminder["event"]["lead_minutes"].as_u64()), (Some("system"), Some(15)));
    let meeting = booked["meeting"]["id"].as_str().unwrap();
    let due = utc(AT_0900) - chrono::Duration::minutes(15) - shared::domain::notification::reminder_spread(meeting, 15);
    assert_eq!(reminder["at"], shared::domain::time::render_utc(due), "at the time it was due");
}

//! Guest identity (G1–G6) through the handlers on DynamoDB Local, with every code read back from
//! the email moto's SES received: holds, confirmation, sessions, what an unverified booking can
//! reach, and the limits that keep a squatter from taking a page or using it to send mail.

use std::sync::Arc;

use chrono::Duration;
use integration_tests::client::Booking;
use integration_tests::moto::{latest_code, mail_to};
use integration_tests::{unique_address, utc, Reply, TestApp, CLIENT_ADDRESS};
use serde_json::json;

const NOW: &str = "2027-03-24T08:00:00Z";
const AT_0900: &str = "2027-03-29T07:00:00Z";
const MONDAY: &str = "from=2027-03-29&to=2027-03-29";

fn hold_id(reply: &Reply) -> String {
    assert_eq!(reply.status, 202, "a hold: {:?}", reply.body);
    reply.body["hold"]["id"].as_str().unwrap().to_string()
}

/// The one-click link's token, from the code email's text.
fn link_token(address: &str) -> String {
    let mail = mail_to(address).pop().expect("a code email");
    let message = mail_parser::MessageParser::default().parse(mail.raw.as_bytes()).expect("a MIME message");
    let text = message.body_text(0).expect("a plain-text body").to_string();
    let start = text.find("token=hld_").expect("a confirmation link") + "token=".len();
    text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

async fn confirm(app: &TestApp, hold: &str, code: &str) -> Reply {
    app.confirm_hold(hold, json!({ "code": code })).await
}

/// Before: a booking made with someone else's address joined that person's conversation, and
/// its manage token opened it (subject, names, members' addresses) and renamed it.
#[tokio::test]
async fn a_booking_in_someone_elses_name_waits_for_a_code_and_reaches_nothing_of_theirs() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let victim = unique_address("victim");
    let session = app.guest_session(&f.slug, &victim).await;
    let theirs = Booking::at(AT_0900, &victim).subject("Confidential merger").with_members(&["cfo@victim.example"]);
    let theirs = app.booked(&f.slug, &theirs.signed_in(&session)).await;

    // The attacker books with the victim's address: a hold, and the code goes to the victim.
    let attack = app.book(&f.slug, "2027-03-29T08:00:00Z", &victim).await;
    let hold = hold_id(&attack);
    let text = attack.body.to_string();
    for secret in [&theirs.conversation, &theirs.id, "Confidential", "cfo@victim.example", "mng_", "cnv_"] {
        assert!(!text.contains(secret), "the hold leaks {secret}: {text}");
    }
    // Guessing the code: four wrong tries are counted, the fifth drops the hold.
    for left in (1..=4).rev() {
        let wrong = confirm(&app, &hold, "000000").await;
        assert_eq!((wrong.status, wrong.body["type"].as_str()), (422, Some("/problems/code-incorrect")));
        assert!(wrong.body["detail"].as_str().unwrap().contains(&format!("{left} tries left")), "{:?}", wrong.body);
    }
    let last = confirm(&app, &hold, "000000").await;
    assert_eq!((last.status, last.body["type"].as_str()), (410, Some("/problems/hold-expired")));
    let code = latest_code(&victim).unwrap();
    assert_eq!(confirm(&app, &hold, &code).await.status, 410, "not even the right code revives it");

    // The victim's conversation is as it was, and their places are theirs.
    let seen = app.conversation(&theirs.conversation, &theirs.token).await;
    assert_eq!(seen.body["messages"].as_array().unwrap().len(), 1, "{:?}", seen.body);
    assert_eq!(seen.body["title"], "Ada Lovelace, cfo@victim.example");
    let next = Booking::at("2027-03-30T07:00:00Z", &victim).signed_in(&session);
    assert_eq!(
        app.book_as(&f.slug, &next).await.status,
        201,
        "the attacker's hold took none of the victim's two places"
    );
}

#[tokio::test]
async fn a_hold_takes_the_slot_for_others_and_frees_it_after_ten_minutes_with_nothing_running() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let grace = unique_address("grace");
    hold_id(&app.book(&f.slug, AT_0900, &grace).await);
    assert!(!app.slot_starts(&f.slug, MONDAY).await.contains(&AT_0900.to_string()), "taken for others");
    let other = app.book(&f.slug, AT_0900, &unique_address("alan")).await;
    assert_eq!((other.status, other.body["type"].as_str()), (409, Some("/problems/slot-taken")));

    app.clock.advance(Duration::minutes(10));
    assert!(app.slot_starts(&f.slug, MONDAY).await.contains(&AT_0900.to_string()), "free again, by itself");
    let alan = unique_address("alan");
    let session = app.guest_session(&f.slug, &alan).await;
    let booked = app.book_as(&f.slug, &Booking::at(AT_0900, &alan).signed_in(&session)).await;
    assert_eq!(booked.status, 201, "the expired hold's locks count as free: {:?}", booked.body);
    let late = confirm(&app, &hold_id(&app.book(&f.slug, "2027-03-30T07:00:00Z", &grace).await), "123456").await;
    assert_ne!(late.status, 201);
}

#[tokio::test]
async fn confirming_turns_the_hold_into_the_meeting_and_only_then_does_anyone_else_hear() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let (grace, bob) = (unique_address("grace"), unique_address("bob"));
    let hold = hold_id(&app.book_as(&f.slug, &Booking::at(AT_0900, &grace).with_members(&[&bob])).await);
    assert_eq!(mail_to(&grace).len(), 1, "one email with the code");
    assert!(mail_to(&bob).is_empty(), "additional members hear nothing before confirmation");
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 0);
    let usage = app.usage(&f.admin_key, "2027-03").await;
    assert_eq!(usage.body["bookings"], 0, "a hold is not billed");

    // The one-click link's token confirms as the code does.
    let confirmed = app.confirm_hold(&hold, json!({ "token": link_token(&grace) })).await;
    assert_eq!(confirmed.status, 201, "{:?}", confirmed.body);
    let session = confirmed.body["session"]["token"].as_str().unwrap().to_string();
    assert!(session.starts_with("gss_"));
    assert_eq!(confirmed.body["meeting"]["start"], AT_0900);
    assert_eq!(mail_to(&bob).len(), 1, "invited now");
    assert_eq!(app.usage(&f.admin_key, "2027-03").await.body["bookings"], 1, "billed once confirmed");

    // With the session, the next booking stands at once.
    let next = app.book_as(&f.slug, &Booking::at("2027-03-30T07:00:00Z", &grace).signed_in(&session)).await;
    assert_eq!(next.status, 201, "{:?}", next.body);
    assert_eq!(next.body["conversation"]["id"], confirmed.body["conversation"]["id"], "one conversation");
    // A session for one address does not vouch for another.
    let for_someone_else = Booking::at("2027-03-31T07:00:00Z", &unique_address("eve")).signed_in(&session);
    assert_eq!(app.book_as(&f.slug, &for_someone_else).await.status, 202);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hold_confirmed_twice_or_by_racing_requests_makes_one_meeting() {
    let app = Arc::new(TestApp::at(NOW).await);
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let grace = unique_address("grace");
    let hold = hold_id(&app.book(&f.slug, AT_0900, &grace).await);
    let code = latest_code(&grace).unwrap();
    let racers: Vec<_> = (0..4)
        .map(|_| {
            let (app, hold, code) = (app.clone(), hold.clone(), code.clone());
            tokio::spawn(async move { confirm(&app, &hold, &code).await })
        })
        .collect();
    // Every racer with the right code gets the one meeting's answer: the same meeting, manage
    // token and session (a confirmation replays like a booking).
    let mut answers = Vec::new();
    for racer in racers {
        let reply = racer.await.unwrap();
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        answers.push((reply.body["meeting"]["id"].clone(), reply.body["manage_token"].clone()));
    }
    answers.dedup();
    assert_eq!(answers.len(), 1, "{answers:?}");
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 1);
    // Sent again later (its answer lost), the same code answers the same again.
    let again = confirm(&app, &hold, &code).await;
    assert_eq!(again.status, 201, "{:?}", again.body);
    assert_eq!((again.body["meeting"]["id"].clone(), again.body["manage_token"].clone()), answers[0]);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    let session = again.body["session"]["token"].as_str().unwrap();
    assert_eq!(app.call("GET", "/v1/guest/meetings", Some(session), None).await.status, 200, "the session works");
    // A wrong code opens nothing, and the tries stay bounded.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = confirm(&app, &hold, wrong).await;
    assert!(matches!(refused.status, 409 | 422), "{:?}", refused.body);
    assert!(refused.body.get("manage_token").is_none());
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 1);
}

#[tokio::test]
async fn the_cap_counts_verified_meetings_and_holds_do_not_take_places() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let grace = unique_address("grace");
    // Someone holds two slots in Grace's name; Grace's own two bookings still stand.
    hold_id(&app.book(&f.slug, "2027-03-31T07:00:00Z", &grace).await);
    hold_id(&app.book(&f.slug, "2027-03-31T08:00:00Z", &grace).await);
    let session = app.guest_session(&f.slug, &grace).await;
    for start in [AT_0900, "2027-03-30T07:00:00Z"] {
        assert_eq!(app.book_as(&f.slug, &Booking::at(start, &grace).signed_in(&session)).await.status, 201);
    }
    let third = app.book_as(&f.slug, &Booking::at("2027-04-01T07:00:00Z", &grace).signed_in(&session)).await;
    assert_eq!((third.status, third.body["type"].as_str()), (422, Some("/problems/guest-cap-reached")));
}

#[tokio::test]
async fn squatting_with_made_up_addresses_takes_a_bounded_number_of_slots_and_mails_each_once() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let starts: Vec<String> = ["2027-03-29", "2027-03-30", "2027-03-31", "2027-04-01"]
        .iter()
        .flat_map(|day| (0..8).map(move |k| format!("{day}T{:02}:{:02}:00Z", 7 + k / 2, 30 * (k % 2))))
        .collect();
    let mut held = 0;
    let mut addresses = Vec::new();
    let squatter = [(CLIENT_ADDRESS, "203.0.113.66")];
    let path = format!("/v1/book/{}/meetings", f.slug);
    for start in &starts {
        let address = unique_address("squat");
        let body = Booking::at(start, &address).with_members(&["victim@spam.example"]).body();
        let reply = app.call_with("POST", &path, None, Some(body), &squatter).await;
        match reply.status {
            202 => held += 1,
            429 => assert_eq!(reply.body["type"], "/problems/page-busy"),
            other => panic!("{other}: {:?}", reply.body),
        }
        addresses.push(address);
    }
    assert_eq!(held, 10, "the page's bound on one client's open holds");
    for address in &addresses {
        assert!(mail_to(address).len() <= 1, "{address} got more than one email");
    }
    let mailed: usize = addresses.iter().map(|a| mail_to(a).len()).sum();
    assert_eq!(mailed, 10, "one code email per hold, and nothing for the refused");
    assert!(mail_to("victim@spam.example").is_empty(), "additional members hear nothing from a hold");
    let slots = app.slot_starts(&f.slug, "from=2027-03-29&to=2027-04-01").await;
    assert!(slots.len() > 40, "most of the week is still bookable: {} slots", slots.len());

    // G8: the page is not closed for anyone else. Before: ten holds under made-up addresses and
    // every guest got 429 `page-busy` for ten minutes.
    let guest = unique_address("real");
    let free = slots.iter().find(|s| !starts[..10].contains(s)).unwrap().clone();
    let elsewhere = [(CLIENT_ADDRESS, "198.51.100.20")];
    let reply = app.call_with("POST", &path, None, Some(Booking::at(&free, &guest).body()), &elsewhere).await;
    assert_eq!(reply.status, 202, "another client still holds a slot: {:?}", reply.body);
    // And a signed-in guest is never refused by a page's bound, even from the squatter's address.
    let (_, session) = app.proven_guest(&f.slug, "signed").await;
    let another = slots.iter().rev().find(|s| **s != free && !starts[..10].contains(s)).unwrap().clone();
    let booking = Booking::at(&another, &unique_address("friend")).signed_in(&session).body();
    let reply = app.call_with("POST", &path, Some(&session), Some(booking), &squatter).await;
    assert_eq!(reply.status, 202, "a hold for a friend, with a session, from a busy address: {:?}", reply.body);
}

#[tokio::test]
async fn one_address_gets_three_open_holds_and_five_codes_an_hour() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let grace = unique_address("grace");
    let mut holds = Vec::new();
    for start in [AT_0900, "2027-03-29T08:00:00Z", "2027-03-29T09:00:00Z"] {
        holds.push(hold_id(&app.book(&f.slug, start, &grace).await));
    }
    let fourth = app.book(&f.slug, "2027-03-29T10:00:00Z", &grace).await;
    assert_eq!((fourth.status, fourth.body["type"].as_str()), (429, Some("/problems/too-many-holds")));
    assert!(fourth.headers.contains_key("retry-after"));
    // Three codes sent; two resends reach the hour's five; the next is refused.
    for _ in 0..2 {
        let resent = app.call("POST", &format!("/v1/holds/{}/resend", holds[0]), None, None).await;
        assert_eq!(resent.status, 204, "{:?}", resent.body);
    }
    let sixth = app.call("POST", &format!("/v1/holds/{}/resend", holds[0]), None, None).await;
    assert_eq!((sixth.status, sixth.body["type"].as_str()), (429, Some("/problems/too-many-codes")));
    assert_eq!(mail_to(&grace).len(), 5);
    // The newest code is the one that works.
    let code = latest_code(&grace).unwrap();
    assert_eq!(confirm(&app, &holds[0], &code).await.status, 201);
}

/// G4: with verification off, a booking in someone's name stands, but it is unverified: it gets
/// a conversation of its own, and its manage token reaches only its own meeting.
#[tokio::test]
async fn an_unverified_booking_joins_no_existing_conversation() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "off").await;
    let victim = unique_address("victim");
    let session = app.guest_session(&f.slug, &victim).await;
    let theirs = app.booked(&f.slug, &Booking::at(AT_0900, &victim).subject("Private").signed_in(&session)).await;
    let attack = app.booked(&f.slug, &Booking::at("2027-03-30T07:00:00Z", &victim)).await;
    assert_ne!(attack.conversation, theirs.conversation, "a conversation of its own");
    assert_eq!(attack.body["meeting"]["verified"], false);
    let own = app.conversation(&attack.conversation, &attack.token).await;
    assert_eq!(own.status, 200, "its own conversation it may read");
    assert!(!own.body.to_string().contains("Private"));
    assert_eq!(app.conversation(&theirs.conversation, &attack.token).await.status, 404);
    assert_eq!(app.meeting(&theirs.id, &attack.token).await.status, 404);
    let renamed = app.rename(&attack.conversation, &attack.token, Some("Mine")).await;
    assert_eq!(renamed.status, 403, "nor rename, unverified");
}

#[tokio::test]
async fn with_returning_a_newcomer_books_at_once_and_a_returning_address_proves_itself() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "returning").await;
    let grace = unique_address("grace");
    assert_eq!(app.book(&f.slug, AT_0900, &grace).await.status, 201, "a newcomer");
    hold_id(&app.book(&f.slug, "2027-03-30T07:00:00Z", &grace).await);
    assert_eq!(app.book(&f.slug, "2027-03-31T07:00:00Z", &unique_address("alan")).await.status, 201);
}

#[tokio::test]
async fn a_guest_signs_in_lists_their_meetings_and_signs_out() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let other = app.fixture_verifying("Europe/Rome", "always").await;
    let grace = unique_address("grace");
    let session = app.guest_session(&f.slug, &grace).await;
    let booked = app.booked(&f.slug, &Booking::at(AT_0900, &grace).subject("Kick-off").signed_in(&session)).await;
    hold_id(&app.book(&other.slug, AT_0900, &unique_address("someone")).await);

    let listed = app.call("GET", "/v1/guest/meetings", Some(&session), None).await;
    assert_eq!(listed.status, 200, "{:?}", listed.body);
    assert_eq!(listed.body["email"], grace.as_str());
    let meetings = listed.body["meetings"].as_array().unwrap();
    assert_eq!(meetings.len(), 1);
    assert_eq!(meetings[0]["subject"], "Kick-off");
    assert_eq!(listed.body["conversations"][0]["id"], booked.conversation.as_str());
    assert_eq!(listed.body["conversations"][0]["title"], "Ada Lovelace", "as the guest sees it");
    // The session manages the guest's meetings as the manage link does.
    assert_eq!(app.meeting(&booked.id, &session).await.status, 200);
    assert_eq!(app.conversation(&booked.conversation, &session).await.status, 200);

    assert_eq!(app.call("DELETE", "/v1/guest/session", Some(&session), None).await.status, 204);
    assert_eq!(app.call("GET", "/v1/guest/meetings", Some(&session), None).await.status, 401, "signed out");
    let after = app.book_as(&f.slug, &Booking::at("2027-03-30T07:00:00Z", &grace).signed_in(&session)).await;
    assert_eq!(after.status, 401, "a signed-out session proves nothing");
}

#[tokio::test]
async fn sign_in_codes_are_checked_and_limited() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let grace = unique_address("grace");
    let started = app.call("POST", "/v1/guest/sign-in", None, Some(json!({ "slug": f.slug, "email": grace }))).await;
    assert_eq!(started.status, 202);
    let id = started.body["sign_in"]["id"].as_str().unwrap();
    let wrong = app.call("POST", "/v1/guest/sign-in/confirm", None, Some(json!({ "id": id, "code": "000000" }))).await;
    assert_eq!((wrong.status, wrong.body["type"].as_str()), (422, Some("/problems/code-incorrect")));
    app.clock.advance(Duration::minutes(11));
    let code = latest_code(&grace).unwrap();
    let late = app.call("POST", "/v1/guest/sign-in/confirm", None, Some(json!({ "id": id, "code": code }))).await;
    assert_eq!((late.status, late.body["type"].as_str()), (410, Some("/problems/code-expired")));
    for _ in 0..4 {
        let more = app.call("POST", "/v1/guest/sign-in", None, Some(json!({ "slug": f.slug, "email": grace }))).await;
        assert_eq!(more.status, 202);
    }
    let sixth = app.call("POST", "/v1/guest/sign-in", None, Some(json!({ "slug": f.slug, "email": grace }))).await;
    assert_eq!((sixth.status, sixth.body["type"].as_str()), (429, Some("/problems/too-many-codes")));
    app.clock.set(utc("2027-03-24T09:01:00Z"));
    let next_hour = app.call("POST", "/v1/guest/sign-in", None, Some(json!({ "slug": f.slug, "email": grace }))).await;
    assert_eq!(next_hour.status, 202, "an hour later the address gets codes again");
}

/// Six-digit guesses that are certainly not `code`.
fn wrong_guesses(code: &str, n: u32) -> Vec<String> {
    let code: u32 = code.parse().unwrap();
    (1..=n).map(|i| format!("{:06}", (code + i) % 1_000_000)).collect()
}

/// Before: a burst of wrong codes sent at once was compared with the code but mostly not counted
/// (40 guesses answered "tries left", then the right code still confirmed).
#[tokio::test]
async fn wrong_codes_sent_at_once_are_each_counted_and_no_more_than_five_are_ever_compared() {
    let app = Arc::new(TestApp::at(NOW).await);
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let grace = unique_address("grace");
    let hold = hold_id(&app.book(&f.slug, AT_0900, &grace).await);
    let code = latest_code(&grace).unwrap();
    let racers: Vec<_> = wrong_guesses(&code, 24)
        .into_iter()
        .map(|guess| {
            let (app, hold) = (app.clone(), hold.clone());
            tokio::spawn(async move { confirm(&app, &hold, &guess).await })
        })
        .collect();
    let mut answers = Vec::new();
    for racer in racers {
        let reply = racer.await.unwrap();
        answers.push((reply.status, reply.body["type"].as_str().unwrap_or_default().to_string()));
    }
    let incorrect = answers.iter().filter(|(_, kind)| kind == "/problems/code-incorrect").count();
    assert_eq!(incorrect, 4, "four wrong tries told so; the fifth and the rest find the hold dropped: {answers:?}");
    assert!(answers.iter().all(|(status, _)| *status == 422 || *status == 410), "{answers:?}");
    let right = confirm(&app, &hold, &code).await;
    assert_eq!(right.status, 410, "the right code comes after the tries ran out: {:?}", right.body);
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 0);
    assert!(app.slot_starts(&f.slug, MONDAY).await.contains(&AT_0900.to_string()), "the slot is free again");

    // Signing in by code, the same.
    let started = app.call("POST", "/v1/guest/sign-in", None, Some(json!({ "slug": f.slug, "email": grace }))).await;
    let id = started.body["sign_in"]["id"].as_str().unwrap().to_string();
    let code = latest_code(&grace).unwrap();
    let racers: Vec<_> = wrong_guesses(&code, 24)
        .into_iter()
        .map(|guess| {
            let (app, id) = (app.clone(), id.clone());
            tokio::spawn(async move {
                app.call("POST", "/v1/guest/sign-in/confirm", None, Some(json!({ "id": id, "code": guess }))).await
            })
        })
        .collect();
    let mut incorrect = 0;
    for racer in racers {
        let reply = racer.await.unwrap();
        match reply.status {
            422 => incorrect += 1,
            status => assert_eq!(status, 410, "{:?}", reply.body),
        }
    }
    assert_eq!(incorrect, 4);
    let right = app.call("POST", "/v1/guest/sign-in/confirm", None, Some(json!({ "id": id, "code": code }))).await;
    assert_eq!(right.status, 410, "{:?}", right.body);
}

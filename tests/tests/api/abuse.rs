//! Repeatable actions cannot be turned into mail relays, lockouts or closed pages (G7–G10), each
//! shape taken from an attacker's script that worked before: 20 subject changes mailed 210 emails,
//! 30 messages went out as digests to people who could not stop them, five anonymous sign-ins
//! locked a guest out for an hour, two anonymous bookings in a victim's name took the victim's
//! places, a hold was confirmed after its slot's notice had passed, and a cut-off delivery held
//! its claim for two minutes.

use std::time::Duration as StdDuration;

use chrono::Duration;
use integration_tests::client::Booking;
use integration_tests::moto::{latest_code, mail_to};
use integration_tests::{unique_address, utc, TestApp, CLIENT_ADDRESS};
use serde_json::{json, Value};

const NOW: &str = "2027-03-24T08:00:00Z";
const AT_0900: &str = "2027-03-29T07:00:00Z";

fn text_of(raw: &str) -> String {
    let message = mail_parser::MessageParser::default().parse(raw.as_bytes()).expect("a MIME message");
    message.body_text(0).unwrap_or_default().to_string()
}

fn subject_of(raw: &str) -> String {
    let message = mail_parser::MessageParser::default().parse(raw.as_bytes()).expect("a MIME message");
    message.subject().unwrap_or_default().to_string()
}

/// The `List-Unsubscribe` address of an email (RFC 8058), if it has one.
fn unsubscribe_of(raw: &str) -> Option<String> {
    let unfolded = raw.replace("\r\n ", " ").replace("\r\n\t", " ");
    let line = unfolded.lines().find(|l| l.to_ascii_lowercase().starts_with("list-unsubscribe:"))?;
    let url = line.split_once('<')?.1.split('>').next()?;
    Some(url.to_string())
}

/// The token of the first link in an email's text that starts with `prefix` (e.g. `token=sgn_`).
fn token_after(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).expect("the link") + "token=".len();
    text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

/// G7: before, a signed-in guest with 10 additional members sent 20 subject changes in two
/// seconds and the tenant's sender mailed 210 emails ("URGENT: reset your password at …").
/// Now a booking names at most five members, the guest's side changes a meeting ten times a
/// day, and changes within two minutes reach each person as one email with the final state.
#[tokio::test]
async fn twenty_quick_subject_changes_mail_each_member_once_not_twenty_times() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let guest = unique_address("relay");
    let ten: Vec<String> = (0..10).map(|i| unique_address(&format!("target{i}"))).collect();
    let refs: Vec<&str> = ten.iter().map(String::as_str).collect();
    let too_many = app.book_as(&f.slug, &Booking::at(AT_0900, &guest).with_members(&refs)).await;
    assert_eq!((too_many.status, too_many.body["field"].as_str()), (400, Some("additional_members")));
    let members = &refs[..5];
    let booked = app.booked(&f.slug, &Booking::at(AT_0900, &guest).with_members(members)).await;
    let invited: usize = members.iter().map(|m| mail_to(m).len()).sum();
    assert_eq!(invited, 5, "one invitation each");

    let mut accepted = 0;
    let mut refused = 0;
    for i in 1..=20 {
        let subject = format!("URGENT {i}: reset your password at http://phish.example");
        let reply = app.change(&booked.id, &booked.token, json!({ "subject": subject })).await;
        match reply.status {
            200 => accepted += 1,
            429 => {
                refused += 1;
                assert_eq!(reply.body["type"], "/problems/too-many-changes");
                assert!(reply.headers.contains_key("retry-after"));
            }
            other => panic!("{other}: {}", reply.body),
        }
    }
    assert_eq!((accepted, refused), (10, 10), "ten changes a day from the guest's side");
    // The agent's own changes are not counted against the guest's side.
    let by_agent = app.change(&booked.id, &f.agent_token, json!({ "subject": "Quarterly review" })).await;
    assert_eq!(by_agent.status, 200, "{}", by_agent.body);

    // Nothing yet: the invitation went out moments ago, and changes wait for two minutes.
    let before: usize = members.iter().map(|m| mail_to(m).len()).sum();
    assert_eq!(before, 5, "no email per change");
    app.send_change_emails().await;
    for member in members {
        let mails = mail_to(member);
        assert_eq!(mails.len(), 2, "{member}: the invitation and one change email");
        let last = &mails[1].raw;
        assert_eq!(subject_of(last), "Meeting updated: Quarterly review", "the final state");
        assert!(!text_of(last).contains("URGENT 2:"), "the intermediate states are not mailed");
    }
    // 5 invitations and 5 change emails to the members, against 210 before.
    let after: usize = members.iter().map(|m| mail_to(m).len()).sum();
    assert_eq!(after, 10);
    // Nothing more is waiting.
    assert_eq!(app.send_change_emails().await.emails, 0);
}

/// G7: a writer posts 30 messages in a conversation in any ten minutes, then waits. Every email
/// about the conversation carries a one-click unsubscribe that stops its mail to that address,
/// is said in the conversation, and lands on the tenant's suppression list, which the admin lifts.
#[tokio::test]
async fn thirty_messages_then_a_wait_and_every_member_can_stop_the_emails() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let (guest, session) = app.proven_guest(&f.slug, "writer").await;
    let member = unique_address("member");
    let booked = app.booked(&f.slug, &Booking::at(AT_0900, &guest).with_members(&[&member]).signed_in(&session)).await;
    let path = format!("/v1/conversations/{}/messages", booked.conversation);
    for i in 0..30 {
        let reply = app.call("POST", &path, Some(&session), Some(json!({ "text": format!("spam {i}") }))).await;
        assert_eq!(reply.status, 201, "{i}: {}", reply.body);
    }
    let refused = app.call("POST", &path, Some(&session), Some(json!({ "text": "one more" }))).await;
    assert_eq!((refused.status, refused.body["type"].as_str()), (429, Some("/problems/too-many-messages")));
    let wait: i64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=600).contains(&wait), "{wait}");
    // Others still write.
    assert_eq!(app.post_message(&booked.conversation, &f.agent_token, "Please stop").await.status, 201);
    app.clock.advance(Duration::seconds(wait));
    assert_eq!(app.call("POST", &path, Some(&session), Some(json!({ "text": "later" }))).await.status, 201);

    // The member's invitation carries the one-click unsubscribe (a code email does not).
    let invitation = mail_to(&member).into_iter().next().expect("the invitation");
    let unsubscribe = unsubscribe_of(&invitation.raw).expect("List-Unsubscribe");
    assert!(invitation.raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    let code_mail = mail_to(&guest).into_iter().next().unwrap();
    assert!(unsubscribe_of(&code_mail.raw).is_none(), "a code the guest asked for is not a list");
    let path = unsubscribe.trim_start_matches("https://book.scheduler.test").to_string();
    let page = app.call("GET", &path, None, None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.as_str().unwrap().contains("Stop emails about this conversation"));
    // What a mail client sends for a one-click unsubscribe (a form body, no credentials).
    let one_click =
        app.call_with("POST", &path, None, None, &[("content-type", "application/x-www-form-urlencoded")]).await;
    assert_eq!(one_click.status, 200, "{}", one_click.body);
    assert_eq!(one_click.body["email"], member.as_str());
    assert_eq!(app.call("POST", &path, None, None).await.status, 200, "twice is the same");

    // The digest of what was written goes to the guest's side no more for this member.
    app.clock.advance(Duration::minutes(6));
    app.deps.delivery().run_due().await.unwrap();
    let digests = mail_to(&member).iter().filter(|m| subject_of(&m.raw).contains("new message")).count();
    assert_eq!(digests, 0, "unsubscribed");
    let seen = app.conversation(&booked.conversation, &f.agent_token).await;
    let texts: Vec<String> =
        seen.body["messages"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap().to_string()).collect();
    assert!(texts.contains(&format!("{member} stopped emails about this conversation")), "{texts:?}");

    // The admin sees it on the suppression list, and lifts it.
    let list = app.call("GET", "/v1/suppressions", Some(&f.admin_key), None).await;
    assert_eq!(list.status, 200);
    let rows = list.body["suppressions"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{}", list.body);
    assert_eq!((rows[0]["email"].as_str(), rows[0]["reason"].as_str()), (Some(member.as_str()), Some("unsubscribe")));
    assert_eq!(rows[0]["conversation_id"], booked.conversation.as_str());
    let lift = format!("/v1/suppressions/{}", member.replace('@', "%40"));
    assert_eq!(app.call("DELETE", &lift, Some(&f.admin_key), None).await.status, 200);
    assert_eq!(app.call("DELETE", &lift, Some(&f.admin_key), None).await.status, 404, "nothing left to lift");
    let empty = app.call("GET", "/v1/suppressions", Some(&f.admin_key), None).await;
    assert_eq!(empty.body["suppressions"], json!([]));
    assert_eq!(app.post_message(&booked.conversation, &f.agent_token, "Back on").await.status, 201);
    app.clock.advance(Duration::minutes(6));
    app.deps.delivery().run_due().await.unwrap();
    assert!(
        mail_to(&member).iter().any(|m| subject_of(&m.raw).contains("Back on") || text_of(&m.raw).contains("Back on")),
        "mailed again once lifted"
    );

    // A forged or altered link stops nothing.
    let mut forged = path.clone();
    forged.pop();
    forged.push(if path.ends_with('0') { '1' } else { '0' });
    assert_eq!(app.call("POST", &forged, None, None).await.status, 404);
}

/// G8: before, five anonymous sign-ins for a victim's address spent its codes for the hour, and
/// the victim could neither sign in nor book; the five codes they received were useless (only
/// the requester had the sign-in ids). Now every sign-in email carries a link that lets its
/// recipient in, and one client can spend only so many codes.
#[tokio::test]
async fn five_anonymous_sign_ins_do_not_lock_the_victim_out() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let victim = unique_address("victim");
    let attacker = [(CLIENT_ADDRESS, "203.0.113.9")];
    let sign_in = |email: &str| json!({ "slug": f.slug, "email": email });
    for _ in 0..5 {
        let reply = app.call_with("POST", "/v1/guest/sign-in", None, Some(sign_in(&victim)), &attacker).await;
        assert_eq!(reply.status, 202, "{}", reply.body);
    }
    let own = app.call("POST", "/v1/guest/sign-in", None, Some(sign_in(&victim))).await;
    assert_eq!((own.status, own.body["type"].as_str()), (429, Some("/problems/too-many-codes")));
    assert!(own.body["detail"].as_str().unwrap().contains("link"), "it says what to do: {}", own.body);

    // The victim opens the newest email's link: signed in, whoever asked for the code.
    let mail = mail_to(&victim).pop().expect("a sign-in email");
    let text = text_of(&mail.raw);
    let token = token_after(&text, "token=sgn_");
    let id = text.split("/b/sign-in/").nth(1).unwrap().split('?').next().unwrap().to_string();
    let page = app.call("GET", &format!("/b/sign-in/{id}"), None, None).await;
    assert_eq!(page.status, 200);
    let signed = app.call("POST", "/v1/guest/sign-in/confirm", None, Some(json!({ "id": id, "token": token }))).await;
    assert_eq!(signed.status, 201, "{}", signed.body);
    let session = signed.body["session"]["token"].as_str().unwrap().to_string();
    assert_eq!(signed.body["session"]["email"], victim.as_str());
    let booked = app.book_as(&f.slug, &Booking::at(AT_0900, &victim).signed_in(&session)).await;
    assert_eq!(booked.status, 201, "booked at once with the session: {}", booked.body);
    let again = app.call("POST", "/v1/guest/sign-in/confirm", None, Some(json!({ "id": id, "token": token }))).await;
    assert!(matches!(again.status, 404 | 410), "a link signs in once: {}", again.body);

    // One client spends at most thirty codes an hour, whatever the addresses.
    let mut refused = None;
    for i in 0..30 {
        let reply =
            app.call_with("POST", "/v1/guest/sign-in", None, Some(sign_in(&unique_address("many"))), &attacker).await;
        if reply.status == 429 {
            refused = Some((i, reply.body["type"].clone()));
            break;
        }
        assert_eq!(reply.status, 202, "{}", reply.body);
    }
    assert_eq!(refused, Some((25, json!("/problems/too-many-codes"))), "5 + 25 codes, then no more");
}

/// G9: before, with verification `off`, two anonymous bookings in a victim's name took the
/// victim's two places under the cap, and the victim's own booking got `guest-cap-reached`.
#[tokio::test]
async fn anonymous_bookings_in_a_victims_name_take_none_of_their_places() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let victim = unique_address("victim");
    let attacker = [(CLIENT_ADDRESS, "203.0.113.10")];
    let path = format!("/v1/book/{}/meetings", f.slug);
    for start in ["2027-03-29T08:00:00Z", "2027-03-29T09:00:00Z"] {
        let reply = app.call_with("POST", &path, None, Some(Booking::at(start, &victim).body()), &attacker).await;
        assert_eq!((reply.status, reply.body["meeting"]["verified"].as_bool()), (201, Some(false)));
    }
    let session = app.guest_session(&f.slug, &victim).await;
    for start in [AT_0900, "2027-03-30T07:00:00Z"] {
        let reply = app.book_as(&f.slug, &Booking::at(start, &victim).signed_in(&session)).await;
        assert_eq!(reply.status, 201, "the victim's own places: {}", reply.body);
    }
    let third = app.book_as(&f.slug, &Booking::at("2027-03-31T07:00:00Z", &victim).signed_in(&session)).await;
    assert_eq!(third.body["type"], "/problems/guest-cap-reached", "the cap holds for proven bookings");

    // Unproven bookings are bounded per client instead: ten with one agent.
    let mut made = 2;
    let mut refused = None;
    for k in 0..12 {
        let start = format!("2027-04-0{}T{:02}:{:02}:00Z", 1 + k / 6, 7 + (k % 6) / 2, 30 * (k % 2));
        let reply =
            app.call_with("POST", &path, None, Some(Booking::at(&start, &unique_address("x")).body()), &attacker).await;
        match reply.status {
            201 => made += 1,
            422 => {
                refused = reply.body["type"].as_str().map(str::to_string);
                break;
            }
            other => panic!("{other} {start}: {}", reply.body),
        }
    }
    assert_eq!((made, refused.as_deref()), (10, Some("/problems/unverified-cap-reached")));
}

/// G10: before, with a notice of 0, a hold made at 08:02:15 for 08:05 was confirmed at 08:05:31:
/// a hold's expiry was not capped by its slot, and confirming checked no rule again.
#[tokio::test]
async fn a_hold_never_outlives_its_slot_and_confirming_checks_the_rules_again() {
    let app = TestApp::at("2027-03-29T07:02:15Z").await;
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    let settings = json!({ "time_zone": "Europe/Rome", "minimum_notice": 10, "slot_step": 5 });
    assert_eq!(app.set_availability(&f.agent_token, settings).await.status, 200);
    let guest = unique_address("late");
    let held = app.book(&f.slug, "2027-03-29T07:15:00Z", &guest).await;
    assert_eq!(held.status, 202, "{}", held.body);
    assert_eq!(held.body["hold"]["expires_at"], "2027-03-29T07:05:00Z", "the start less the notice, not 07:12:15");
    let hold = held.body["hold"]["id"].as_str().unwrap().to_string();
    let code = latest_code(&guest).unwrap();
    app.clock.set(utc("2027-03-29T07:05:31Z"));
    let late = app.confirm_hold(&hold, json!({ "code": code })).await;
    assert_eq!((late.status, late.body["type"].as_str()), (410, Some("/problems/hold-expired")));
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 0);

    // A rule that changed while the hold waited refuses it, and the time is free again at once.
    app.clock.set(utc("2027-03-29T07:06:00Z"));
    let guest = unique_address("ruled");
    let held = app.book(&f.slug, "2027-03-29T08:00:00Z", &guest).await;
    let hold = held.body["hold"]["id"].as_str().unwrap().to_string();
    let stricter = json!({ "time_zone": "Europe/Rome", "minimum_notice": 120, "slot_step": 5 });
    assert_eq!(app.set_availability(&f.agent_token, stricter).await.status, 200);
    let refused = app.confirm_hold(&hold, json!({ "code": latest_code(&guest).unwrap() })).await;
    assert_eq!((refused.status, refused.body["type"].as_str()), (422, Some("/problems/too-soon")));
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 0);
}

/// Before: when sending at once ran past its budget, the claim it had taken (120 s) was kept, so
/// the scheduled delivery waited it out: a code arrived two minutes after its 202.
#[tokio::test]
async fn a_delivery_cut_off_by_its_budget_gives_its_claim_back_at_once() {
    let mut app = TestApp::at(NOW).await;
    let f = app.fixture_verifying("Europe/Rome", "always").await;
    // SES accepts the connection and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = silent.local_addr().unwrap();
    let held_open = std::thread::spawn(move || {
        let mut open = Vec::new();
        for stream in silent.incoming().take(4) {
            open.push(stream);
        }
        std::thread::sleep(StdDuration::from_secs(20));
    });
    app.ses_at(&format!("http://{address}"));
    let guest = unique_address("waiting");
    let started = std::time::Instant::now();
    let held = app.book(&f.slug, AT_0900, &guest).await;
    assert_eq!(held.status, 202, "{}", held.body);
    assert!(started.elapsed() < StdDuration::from_secs(5), "the answer did not wait on the mail");
    assert!(mail_to(&guest).is_empty());
    // SES is back: the very next delivery run sends the code (nothing waits for a lease).
    app.ses_up();
    let report = app.deps.delivery().run_due().await.unwrap();
    assert_eq!((report.claimed, report.emails), (1, 1), "{report:?}");
    assert_eq!(mail_to(&guest).len(), 1);
    drop(held_open);
}

/// Before: posts took no idempotency key, so a message retried after a 503 appeared twice.
#[tokio::test]
async fn a_message_sent_again_with_its_key_is_written_once() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let booked = app.booked(&f.slug, &Booking::at(AT_0900, &unique_address("g"))).await;
    let path = format!("/v1/conversations/{}/messages", booked.conversation);
    let post = |text: &str| {
        let body = json!({ "text": text });
        app.call_with("POST", &path, Some(&f.agent_token), Some(body), &[("idempotency-key", "post-key-00000000001")])
    };
    let first = post("Hello once").await;
    assert_eq!(first.status, 201);
    let again = post("Hello once").await;
    assert_eq!(again.status, 201);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.body["message"]["id"], first.body["message"]["id"]);
    let other = post("Something else").await;
    assert_eq!((other.status, other.body["type"].as_str()), (422, Some("/problems/idempotency-key-reused")));
    let timeline = app.messages(&booked.conversation, &f.agent_token, "").await;
    let hellos = timeline.body["messages"].as_array().unwrap().iter().filter(|m| m["text"] == "Hello once").count();
    assert_eq!(hellos, 1);
}

/// G11: a manage token can be replaced by the guest or the agent; the old link stops working at
/// once and the guest is mailed the new one (an agent never sees it).
#[tokio::test]
async fn a_manage_link_is_replaced_and_the_old_one_stops_working() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let guest = unique_address("leaky");
    let booked = app.booked(&f.slug, &Booking::at(AT_0900, &guest)).await;
    let path = format!("/v1/meetings/{}/manage-token", booked.id);
    let replaced = app.call("POST", &path, Some(&booked.token), None).await;
    assert_eq!(replaced.status, 201, "{}", replaced.body);
    let new = replaced.body["manage_token"].as_str().unwrap().to_string();
    assert_eq!(app.meeting(&booked.id, &booked.token).await.status, 401, "the old link is dead");
    assert_eq!(app.meeting(&booked.id, &new).await.status, 200);
    let mail = mail_to(&guest).pop().unwrap();
    assert!(text_of(&mail.raw).contains(&new), "mailed to the guest");

    let by_agent = app.call("POST", &path, Some(&f.agent_token), None).await;
    assert_eq!(by_agent.status, 202);
    assert!(by_agent.body.get("manage_token").is_none(), "an agent never holds the guest's token");
    assert_eq!(app.meeting(&booked.id, &new).await.status, 401);
    let newest = token_after(&text_of(&mail_to(&guest).pop().unwrap().raw), "token=mng_");
    assert_eq!(app.meeting(&booked.id, &newest).await.status, 200);
    // A change made with the newest link keeps it (the record is never written back with an old one).
    assert_eq!(app.change(&booked.id, &newest, json!({ "subject": "Still mine" })).await.status, 200);
    assert_eq!(app.meeting(&booked.id, &newest).await.status, 200);
}

/// Before: a rename by an additional member was shown as the guest's (`by: guest`, the guest's name).
#[tokio::test]
async fn a_rename_by_an_additional_member_is_theirs() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let (guest, session) = app.proven_guest(&f.slug, "grace").await;
    let (extra, extra_session) = app.proven_guest(&f.slug, "extra").await;
    let booking = Booking::at(AT_0900, &guest).name("Grace Hopper").with_members(&[&extra]).signed_in(&session);
    let booked = app.booked(&f.slug, &booking).await;
    let renamed = app.rename(&booked.conversation, &extra_session, Some("Project X")).await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let messages = renamed.body["messages"].as_array().unwrap();
    let rename: &Value = messages.iter().find(|m| m["event"]["type"] == "renamed").expect("the rename");
    assert_eq!(rename["by"], format!("member:{extra}"));
    assert_eq!(rename["author"], extra.as_str(), "an additional member is shown by their address");
}

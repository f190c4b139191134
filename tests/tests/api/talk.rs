//! Talking in a conversation (C4, C5) on DynamoDB Local: members write and the public link reads;
//! the timeline keeps one order under concurrent writers and pages without losing or repeating a
//! message; unread counts follow read positions; digests reach each member once per batch, never
//! for their own words, not when muted, and not twice however many deliveries race.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Duration;
use integration_tests::client::{Booked, Booking};
use integration_tests::moto::mail_to;
use integration_tests::{unique_address, Fixture, TestApp};
use serde_json::Value;
use shared::clock::Clock;

const NOW: &str = "2027-03-24T08:00:00Z";

/// A conversation of Ada's with a signed-in guest and an additional member who signed in too.
struct Talk {
    f: Fixture,
    /// The agent's own address (the fixture's is shared by every test).
    agent: String,
    booked: Booked,
    guest: String,
    guest_session: String,
    extra: String,
    extra_session: String,
}

async fn talk(app: &TestApp) -> Talk {
    let f = app.fixture("Europe/Rome").await;
    let agent = unique_address("ada");
    let renamed = app
        .call(
            "PATCH",
            &format!("/v1/agents/{}", f.agent_id),
            Some(&f.admin_key),
            Some(serde_json::json!({ "email": agent })),
        )
        .await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.body);
    let (guest, extra) = (unique_address("grace"), unique_address("bob"));
    let booking = Booking::at("2027-03-29T07:00:00Z", &guest).name("Grace Hopper").with_members(&[&extra]);
    let booked = app.booked(&f.slug, &booking).await;
    let guest_session = app.guest_session(&f.slug, &guest).await;
    let extra_session = app.guest_session(&f.slug, &extra).await;
    Talk { f, agent, booked, guest, guest_session, extra, extra_session }
}

/// Every message of the timeline, read a page of `limit` at a time from the newest back.
async fn whole_timeline(app: &TestApp, c: &str, token: &str, limit: usize) -> Vec<Value> {
    let mut all: Vec<Value> = Vec::new();
    let mut query = format!("limit={limit}");
    for _ in 0..1000 {
        let page = app.messages(c, token, &query).await;
        assert_eq!(page.status, 200, "{:?}", page.body);
        let mut messages = page.body["messages"].as_array().unwrap().clone();
        assert!(messages.len() <= limit);
        messages.append(&mut all);
        all = messages;
        match page.body["older"].as_str() {
            Some(older) => query = format!("limit={limit}&before={older}"),
            None => return all,
        }
    }
    panic!("the timeline never ended");
}

fn texts(messages: &[Value]) -> Vec<String> {
    messages.iter().filter(|m| m["event"].is_null()).map(|m| m["text"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn members_write_and_everyone_sees_one_timeline_with_system_messages() {
    let app = TestApp::at(NOW).await;
    let t = talk(&app).await;
    let c = &t.booked.conversation;
    app.said(c, &t.f.agent_token, "Hello Grace,\nsee you Monday.").await;
    app.said(c, &t.booked.token, "Thanks! (from my booking's link)").await;
    app.said(c, &t.extra_session, "Bob here, I will join.").await;
    app.clock.advance(Duration::seconds(1));
    app.change(&t.booked.id, &t.booked.token, serde_json::json!({ "duration": 45 })).await;

    let seen = app.conversation(c, &t.guest_session).await;
    assert_eq!(seen.status, 200);
    let messages = seen.body["messages"].as_array().unwrap();
    let kinds: Vec<&str> = messages.iter().map(|m| m["event"]["type"].as_str().unwrap_or("said")).collect();
    assert_eq!(kinds, vec!["meeting_booked", "said", "said", "said", "duration_changed"]);
    assert_eq!(messages[1]["text"], "Hello Grace,\nsee you Monday.", "plain text as written, line break kept");
    assert_eq!(messages[1]["author"], "Ada Lovelace");
    assert_eq!((messages[2]["author"].as_str(), messages[2]["mine"].as_bool()), (Some("Grace Hopper"), Some(true)));
    assert_eq!(messages[3]["author"], t.extra.as_str());
    assert_eq!(seen.body["may_write"], true);

    // The public link reads (names, no addresses) and cannot write.
    let link = t.booked.link.as_deref().unwrap();
    let public = app.conversation(c, link).await;
    assert_eq!(public.status, 200);
    assert_eq!(public.body["may_write"], false);
    assert_eq!(public.body["messages"][3]["author"], "A member");
    assert!(!public.body.to_string().contains(&t.extra), "no address reaches a link reader");
    let refused = app.post_message(c, link, "I only have the link").await;
    assert_eq!((refused.status, refused.body["type"].as_str()), (403, Some("/problems/forbidden")));
    assert_eq!(texts(&whole_timeline(&app, c, &t.f.agent_token, 50).await).len(), 3, "nothing was written");

    // What is not plain text is refused, and changes nothing.
    for bad in ["", "   ", "\u{202E}evil", "a\u{0007}b", &"x".repeat(4001)] {
        let reply = app.post_message(c, &t.f.agent_token, bad).await;
        assert_eq!((reply.status, reply.body["field"].as_str()), (400, Some("text")), "{bad:?}");
    }
    assert_eq!(texts(&whole_timeline(&app, c, &t.f.agent_token, 50).await).len(), 3);

    // A cursor is a message id as the API gave it; anything else is refused before any read.
    let long = format!("before={}", "f".repeat(200));
    for query in [long.as_str(), "after=not-a-message", "before=%23MSG%23"] {
        let reply = app.messages(c, &t.f.agent_token, query).await;
        assert_eq!(reply.status, 400, "{query}: {:?}", reply.body);
    }
}

#[tokio::test]
async fn concurrent_writers_keep_one_order_and_pages_neither_lose_nor_repeat() {
    let app = Arc::new(TestApp::at(NOW).await);
    let t = talk(&app).await;
    let c = t.booked.conversation.clone();
    let writers = [
        ("ada", t.f.agent_token.clone()),
        ("grace", t.guest_session.clone()),
        ("link", t.booked.token.clone()),
        ("bob", t.extra_session.clone()),
    ];
    const EACH: usize = 6;
    // A reader follows along with `after=` while everyone writes.
    let reader = {
        let (app, c, token) = (app.clone(), c.clone(), t.f.agent_token.clone());
        tokio::spawn(async move {
            let first = app.messages(&c, &token, "").await;
            let mut latest = first.body["latest"].as_str().unwrap().to_string();
            let mut followed = Vec::new();
            while followed.iter().filter(|m: &&Value| m["event"].is_null()).count() < 4 * EACH {
                let page = app.messages(&c, &token, &format!("after={latest}&limit=7")).await;
                assert_eq!(page.status, 200, "{:?}", page.body);
                for m in page.body["messages"].as_array().unwrap() {
                    followed.push(m.clone());
                }
                if let Some(last) = page.body["latest"].as_str() {
                    latest = last.to_string();
                }
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            followed
        })
    };
    let mut tasks = Vec::new();
    for (name, token) in writers.clone() {
        let (app, c) = (app.clone(), c.clone());
        tasks.push(tokio::spawn(async move {
            for k in 0..EACH {
                app.said(&c, &token, &format!("{name} {k}")).await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let followed = tokio::time::timeout(std::time::Duration::from_secs(30), reader).await.unwrap().unwrap();

    let all = whole_timeline(&app, &c, &t.f.agent_token, 5).await;
    let ids: Vec<&str> = all.iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "no message twice across pages");
    let said = texts(&all);
    assert_eq!(said.len(), 4 * EACH, "every message once");
    for (name, _) in writers {
        let own: Vec<&String> = said.iter().filter(|t| t.starts_with(&format!("{name} "))).collect();
        let expected: Vec<String> = (0..EACH).map(|k| format!("{name} {k}")).collect();
        assert_eq!(own, expected.iter().collect::<Vec<_>>(), "{name}'s messages in the order written");
    }
    let times: Vec<&str> = all.iter().map(|m| m["at"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "the timeline reads in time order");
    // The reader that followed along saw the same messages in the same order: none was written
    // behind a cursor it had passed.
    assert_eq!(texts(&followed), said);
    // Read from the other end, oldest first with `after=`, the order is the same.
    let oldest = &all[0]["id"];
    let mut forward = vec![all[0].clone()];
    let mut cursor = oldest.as_str().unwrap().to_string();
    loop {
        let page = app.messages(&c, &t.f.agent_token, &format!("after={cursor}&limit=4")).await;
        let messages = page.body["messages"].as_array().unwrap();
        forward.extend(messages.iter().cloned());
        match page.body["newer"].as_str() {
            Some(next) => cursor = next.to_string(),
            None => break,
        }
    }
    assert_eq!(texts(&forward), said);
}

#[tokio::test]
async fn unread_counts_follow_read_positions_and_ones_own_messages_are_read() {
    let app = TestApp::at(NOW).await;
    let t = talk(&app).await;
    let c = &t.booked.conversation;
    let unread = |token: String| {
        let app = &app;
        async move { app.conversation(c, &token).await.body["unread"].as_u64().unwrap() }
    };
    assert_eq!(unread(t.guest_session.clone()).await, 1, "the booking's system message");
    assert_eq!(app.mark_read(c, &t.guest_session, None).await.body["unread"], 0);

    let first = app.said(c, &t.f.agent_token, "one").await;
    app.said(c, &t.f.agent_token, "two").await;
    app.said(c, &t.f.agent_token, "three").await;
    assert_eq!(unread(t.guest_session.clone()).await, 3);
    assert_eq!(unread(t.f.agent_token.clone()).await, 0, "the writer has read what they wrote");
    assert_eq!(app.mark_read(c, &t.guest_session, Some(&first)).await.body["unread"], 2);
    assert_eq!(app.mark_read(c, &t.guest_session, Some(&first)).await.body["unread"], 2, "the same again");
    app.said(c, &t.guest_session, "reply").await;
    assert_eq!(unread(t.guest_session.clone()).await, 0, "writing reads everything before it");
    assert_eq!(unread(t.f.agent_token.clone()).await, 1);
    // A position never moves back.
    assert_eq!(app.mark_read(c, &t.guest_session, Some(&first)).await.body["unread"], 0);
    // The public link has no position.
    let link = t.booked.link.as_deref().unwrap();
    assert_eq!(app.mark_read(c, link, None).await.status, 403);
    let bad = app.mark_read(c, &t.guest_session, Some("not a cursor")).await;
    assert_eq!((bad.status, bad.body["field"].as_str()), (400, Some("up_to")));
}

#[tokio::test]
async fn an_agent_removed_by_assignment_can_no_longer_read_or_write() {
    let app = TestApp::at(NOW).await;
    let org = super::assignment::org(&app).await;
    let c = super::assignment::conversation(&app, &org, 29, &[]).await;
    app.said(&c, &org.ada.1, "before").await;
    // Zed, a colleague in Ada's service, reads the unassigned conversation but may not write.
    let zed_view = app.conversation(&c, &org.zed.1).await;
    assert_eq!((zed_view.status, zed_view.body["may_write"].as_bool()), (200, Some(false)));
    assert_eq!(app.post_message(&c, &org.zed.1, "not yet mine").await.status, 403);

    let assigned = app.assign(&c, &org.zed.1, serde_json::json!({})).await;
    assert_eq!(assigned.status, 200, "{:?}", assigned.body);
    app.said(&c, &org.zed.1, "Zed here now").await;
    assert_eq!(app.conversation(&c, &org.ada.1).await.status, 404, "Ada left (S3)");
    assert_eq!(app.messages(&c, &org.ada.1, "").await.status, 404);
    assert_eq!(app.post_message(&c, &org.ada.1, "still here?").await.status, 404);
    assert_eq!(app.mark_read(&c, &org.ada.1, None).await.status, 404);
}

/// Runs `n` deliveries at once, as racing dispatchers would.
async fn racing_deliveries(app: &Arc<TestApp>, n: usize) {
    let runs: Vec<_> = (0..n)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move { app.deps.delivery().run_due().await.unwrap() })
        })
        .collect();
    for run in runs {
        run.await.unwrap();
    }
}

/// The digests `address` received, as their plain text (with the subject on top).
fn digests(address: &str) -> Vec<String> {
    mail_to(address)
        .into_iter()
        .filter_map(|m| {
            let message = mail_parser::MessageParser::default().parse(m.raw.as_bytes())?;
            let subject = message.subject()?.to_string();
            let digest = subject.contains("new messages in") || subject.starts_with("New message from");
            digest.then(|| format!("{subject}\n{}", message.body_text(0).unwrap_or_default()))
        })
        .collect()
}

#[tokio::test]
async fn a_digest_reaches_each_member_once_per_batch_never_for_their_own_words_nor_when_muted() {
    let app = Arc::new(TestApp::at(NOW).await);
    let t = talk(&app).await;
    let c = &t.booked.conversation;
    let ada = t.agent.as_str();
    app.said(c, &t.f.agent_token, "First from Ada").await;
    app.said(c, &t.guest_session, "Grace answers").await; // she has read what came before
    app.said(c, &t.f.agent_token, "Second from Ada").await; // and Ada what came before this

    // Nothing before the delay.
    app.clock.advance(Duration::minutes(4));
    racing_deliveries(&app, 3).await;
    assert!(digests(&t.guest).is_empty() && digests(&t.extra).is_empty());

    app.clock.advance(Duration::minutes(2));
    racing_deliveries(&app, 4).await;
    racing_deliveries(&app, 2).await;
    let to_grace = digests(&t.guest);
    assert_eq!(to_grace.len(), 1, "one digest for Grace, however many deliveries raced");
    assert!(to_grace[0].contains("Second from Ada"));
    assert!(!to_grace[0].contains("Grace answers") && !to_grace[0].contains("First from Ada"), "{}", to_grace[0]);
    assert!(to_grace[0].contains(&format!("/c/{}{c}", t.f.tenant_id)), "a link to the conversation's page");
    let to_bob = digests(&t.extra);
    assert_eq!(to_bob.len(), 1);
    for said in ["First from Ada", "Grace answers", "Second from Ada"] {
        assert!(to_bob[0].contains(said), "{said}");
    }
    assert!(digests(ada).is_empty(), "Ada wrote last: nothing she has not read");

    // Grace alone writes: Ada is told, Bob has muted the conversation, Grace is the author.
    assert_eq!(app.mute(c, &t.extra_session, true).await.status, 200);
    app.said(c, &t.guest_session, "Grace again").await;
    app.clock.advance(Duration::minutes(6));
    racing_deliveries(&app, 3).await;
    assert_eq!(digests(ada).len(), 1);
    assert!(digests(ada)[0].contains("Grace again"));
    assert_eq!(digests(&t.guest).len(), 1, "no digest of one's own words");
    assert_eq!(digests(&t.extra).len(), 1, "Bob muted it");

    // Ada writes and Grace reads it in time: nobody is told.
    app.said(c, &t.f.agent_token, "Third from Ada").await;
    app.clock.advance(Duration::minutes(1));
    app.mark_read(c, &t.guest_session, None).await;
    app.clock.advance(Duration::minutes(5));
    racing_deliveries(&app, 3).await;
    assert_eq!((digests(&t.guest).len(), digests(ada).len(), digests(&t.extra).len()), (1, 1, 1));

    // Ada writes and Grace does not read: told of that message only.
    app.said(c, &t.f.agent_token, "Fourth from Ada").await;
    app.clock.advance(Duration::minutes(6));
    racing_deliveries(&app, 3).await;
    let to_grace = digests(&t.guest);
    assert_eq!(to_grace.len(), 2);
    let newest = to_grace.iter().find(|m| m.contains("Fourth from Ada")).expect("the new batch");
    assert!(!newest.contains("Second from Ada") && !newest.contains("Third from Ada"), "{newest}");
}

/// The race a digest can lose: a message written after the digest counted the conversation and
/// before it finished (the writer saw a digest pending, so planned none). Played step by step:
/// the digest's end is told the count it saw before the message.
#[tokio::test]
async fn messages_written_while_a_digest_goes_out_are_told_in_the_next_one() {
    let app = Arc::new(TestApp::at(NOW).await);
    let t = talk(&app).await;
    let (c, tenant) = (&t.booked.conversation, &t.f.tenant_id);
    let store = &app.deps.store;
    app.said(c, &t.f.agent_token, "Before the digest").await;
    app.clock.advance(Duration::minutes(6));
    // A delivery claims the digest and counts the conversation…
    let pending = store.activity(tenant, c).await.unwrap().digest_pending.expect("the first message planned a digest");
    let claimed = store.claim_outbox(tenant, &pending, "racer", app.clock.now(), Duration::minutes(2)).await.unwrap();
    let claimed = claimed.expect("the digest is claimed");
    let seen = store.activity(tenant, c).await.unwrap();
    // …a message is written meanwhile…
    app.said(c, &t.f.agent_token, "Written meanwhile").await;
    assert_eq!(
        app.deps.store.activity(tenant, c).await.unwrap().digest_pending,
        Some(pending.clone()),
        "no second plan"
    );

    // The digest ends having counted only the first message: it must hand over, not close.
    let next = shared::domain::notification::Planned {
        notification: shared::domain::notification::Notification {
            id: shared::secrets::new_id(),
            tenant_id: tenant.clone(),
            reason: shared::domain::notification::Reason::Digest { conversation_id: c.clone() },
            meeting: None,
            agent: shared::domain::notification::AgentContact {
                id: t.f.agent_id.clone(),
                name: "Ada Lovelace".into(),
                email: t.agent.clone(),
                time_zone: chrono_tz::Europe::Rome,
                language: Default::default(),
            },
            recipients: Vec::new(),
            manage_token: None,
            conversation_link: None,
            code: None,
            event: None,
            created_at: app.clock.now(),
        },
        due_at: app.clock.now() + Duration::minutes(5),
    };
    // …and the delivery ends with what it counted (it told nobody: say it crashed before sending).
    store.finish_digest(tenant, c, &pending, &[], None, seen.message_count, &next).await.unwrap();
    assert!(store.complete_outbox(tenant, &pending, "racer", &claimed.notification, app.clock.now()).await.unwrap());
    let after = store.activity(tenant, c).await.unwrap();
    assert_eq!(after.digest_pending, Some(next.notification.id.clone()), "the next digest took its place");

    app.clock.advance(Duration::minutes(6));
    racing_deliveries(&app, 3).await;
    let told: String = digests(&t.guest).join("\n");
    assert!(told.contains("Written meanwhile"), "nothing fell between batches");
    assert_eq!(digests(&t.guest).len(), 1);
    assert!(store.activity(tenant, c).await.unwrap().digest_pending.is_none(), "and then it closed");
    app.clock.advance(Duration::minutes(30));
    racing_deliveries(&app, 2).await;
    assert_eq!(digests(&t.guest).len(), 1, "nothing is told twice");
}

/// C7, G11, AC4: every invitation leads to the conversation: the calendar entry's `URL` (the
/// page, no token), and each email's link opening it as its reader, a member's link signed for
/// them (never a manage token: before, 21 of a guest's 25 emails carried `mng_…` there), the
/// agent's the console.
#[tokio::test]
async fn invitations_lead_to_the_conversations_page() {
    let app = TestApp::at(NOW).await;
    let t = talk(&app).await;
    let page = format!("https://book.scheduler.test/c/{}{}", t.f.tenant_id, t.booked.conversation);
    let invitation = |address: &str| {
        let mail = mail_to(address).into_iter().find(|m| m.raw.contains("text/calendar")).expect("an invitation");
        let message = mail_parser::MessageParser::default().parse(mail.raw.as_bytes()).unwrap();
        let calendar = message
            .attachments()
            .chain(message.parts.iter())
            .find_map(|p| {
                let text = p.text_contents()?;
                text.contains("BEGIN:VCALENDAR").then(|| text.to_string())
            })
            .expect("the calendar part");
        (message.body_text(0).unwrap_or_default().to_string(), calendar.replace("\r\n ", ""))
    };
    let (text, calendar) = invitation(&t.guest);
    assert!(calendar.contains(&format!("URL:{page}\r\n")), "{calendar}");
    let conversation_line = |text: &str| {
        let line = text.lines().find(|l| l.starts_with("Conversation: ")).expect("a conversation link");
        line.trim_start_matches("Conversation: ").trim_end().to_string()
    };
    let guest_link = conversation_line(&text);
    assert!(guest_link.starts_with(&format!("{page}?token=cvm_")), "the guest's own member link: {text}");
    assert!(!text.contains(&format!("{page}?token=mng_")), "never the manage token");
    let (text, calendar) = invitation(&t.extra);
    assert!(calendar.contains(&format!("URL:{page}\r\n")));
    let extra_link = conversation_line(&text);
    assert!(extra_link.starts_with(&format!("{page}?token=cvm_")), "{text}");
    assert_ne!(extra_link, guest_link, "each member's own");
    let (text, _) = invitation(&t.agent);
    assert_eq!(
        conversation_line(&text),
        format!("https://book.scheduler.test/console#/conversations/{}", t.booked.conversation),
        "the agent's copy opens the console, never the guest's sign-in"
    );

    // Each member's link opens the conversation as that member: they read and write as themselves.
    let token = |link: &str| link.split("token=").nth(1).unwrap().split('&').next().unwrap().to_string();
    let path = format!("/v1/conversations/{}/messages", t.booked.conversation);
    let said = app
        .call("POST", &path, Some(&token(&extra_link)), Some(serde_json::json!({ "text": "Hello from the extra" })))
        .await;
    assert_eq!(said.status, 201, "{:?}", said.body);
    assert_eq!(said.body["message"]["by"], format!("member:{}", t.extra));
    // A member's link is good for its own conversation only, and cannot be turned into another's.
    let forged = token(&extra_link).replace(&t.booked.conversation, &"0".repeat(20));
    let elsewhere = app.call("GET", &format!("/v1/conversations/{}", "0".repeat(20)), Some(&forged), None).await;
    assert!(matches!(elsewhere.status, 401 | 404), "{:?}", elsewhere.body);
    let mut tampered = token(&guest_link);
    tampered.pop();
    tampered.push('0');
    let reply = app.call("GET", &format!("/v1/conversations/{}", t.booked.conversation), Some(&tampered), None).await;
    assert!(matches!(reply.status, 401 | 404), "a changed signature opens nothing: {:?}", reply.body);
}

//! The agent's inbox (C6) on DynamoDB Local: a member's conversations, the unassigned ones of
//! the services an agent is a static member of, nothing for an agent of another PBX; newest
//! activity first, with the last message, the agent's unread count and the assignee, a page at
//! a time.

use integration_tests::client::Booking;
use integration_tests::TestApp;
use serde_json::{json, Value};

use super::assignment::{conversation, org};

const NOW: &str = "2027-03-24T08:00:00Z";

fn ids(reply: &Value) -> Vec<String> {
    reply["conversations"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn the_inbox_holds_ones_own_and_ones_services_waiting_conversations_newest_first() {
    let app = TestApp::at(NOW).await;
    let org = org(&app).await;
    // Ada (Rome) has three conversations; Zed is her static colleague in Sales, Bob a dynamic
    // one, Mia a static member of Sales but of another PBX (Milan).
    let first = conversation(&app, &org, 29, &[]).await;
    app.clock.advance(chrono::Duration::seconds(1));
    let second = conversation(&app, &org, 30, &[]).await;
    app.clock.advance(chrono::Duration::seconds(1));
    let third = conversation(&app, &org, 31, &[]).await;
    app.clock.advance(chrono::Duration::minutes(1));
    app.said(&first, &org.ada.1, "News on the first").await;

    let ada = app.inbox(&org.ada.1, "").await;
    assert_eq!(ada.status, 200, "{:?}", ada.body);
    assert_eq!(ids(&ada.body), vec![first.clone(), third.clone(), second.clone()], "newest activity first");
    let top = &ada.body["conversations"][0];
    assert_eq!(top["title"], "Grace", "the title as the agent sees it");
    assert_eq!(top["last_message"]["text"], "News on the first");
    assert_eq!(top["last_message"]["author"], "Ada Lovelace");
    assert_eq!((top["member"].as_bool(), top["unread"].as_u64()), (Some(true), Some(0)), "Ada wrote last");
    assert!(top["assignee"].is_null());
    assert_eq!(ada.body["conversations"][1]["unread"], 1, "the booking's message, not read yet");
    assert_eq!(
        ada.body["conversations"][1]["last_message"]["text"].as_str().unwrap().split(':').next(),
        Some("Meeting booked")
    );

    // Zed sees Ada's waiting conversations (not as a member); Bob and Mia see nothing.
    let zed = app.inbox(&org.zed.1, "").await;
    assert_eq!(ids(&zed.body), vec![first.clone(), third.clone(), second.clone()]);
    assert!(zed.body["conversations"].as_array().unwrap().iter().all(|c| c["member"] == false));
    assert_eq!(ids(&app.inbox(&org.bob.1, "").await.body), Vec::<String>::new(), "a dynamic member");
    assert_eq!(ids(&app.inbox(&org.mia.1, "").await.body), Vec::<String>::new(), "an agent of another PBX");

    // Zed takes the third: it leaves Ada's inbox and the queue, and is Zed's own.
    app.clock.advance(chrono::Duration::seconds(1));
    assert_eq!(app.assign(&third, &org.zed.1, json!({})).await.status, 200);
    let ada = app.inbox(&org.ada.1, "").await;
    assert_eq!(ids(&ada.body), vec![first.clone(), second.clone()]);
    let zed = app.inbox(&org.zed.1, "").await;
    assert_eq!(ids(&zed.body), vec![third.clone(), first.clone(), second.clone()], "the assignment is the newest");
    let mine = &zed.body["conversations"][0];
    assert_eq!(
        (mine["member"].as_bool(), mine["assignee"]["agent_id"].as_str()),
        (Some(true), Some(org.zed.0.as_str()))
    );
    assert_eq!(mine["last_message"]["text"].as_str().unwrap().split(" (").next(), Some("Conversation assigned to Zed"));

    // From the inbox, S8: Zed may assign Ada's waiting conversation to himself; Bob may not.
    assert_eq!(app.assign(&second, &org.bob.1, json!({})).await.status, 404);
    assert_eq!(app.assign(&second, &org.zed.1, json!({})).await.status, 200);
}

#[tokio::test]
async fn the_inbox_pages_without_losing_or_repeating_a_conversation() {
    let app = TestApp::at(NOW).await;
    let org = org(&app).await;
    let mut made = Vec::new();
    for (k, day) in ["03-29", "03-30", "03-31", "04-01", "04-02", "04-05", "04-06"].iter().enumerate() {
        let booking = Booking::at(&format!("2027-{day}T07:00:00Z"), &format!("guest{k}@example.com"));
        made.push(app.booked(&org.slug, &booking).await.conversation);
        app.clock.advance(chrono::Duration::seconds(1));
    }
    made.reverse();
    let mut seen = Vec::new();
    let mut query = "limit=3".to_string();
    loop {
        let page = app.inbox(&org.zed.1, &query).await;
        assert_eq!(page.status, 200, "{:?}", page.body);
        assert!(ids(&page.body).len() <= 3);
        seen.extend(ids(&page.body));
        match page.body["next"].as_str() {
            Some(next) => query = format!("limit=3&before={next}"),
            None => break,
        }
    }
    assert_eq!(seen, made);
    let bad = app.inbox(&org.zed.1, "limit=0").await;
    assert_eq!((bad.status, bad.body["field"].as_str()), (400, Some("limit")));
    let long = format!("before={}", "9".repeat(65));
    for query in [long.as_str(), "before=a%20b", "before=%00"] {
        let bad = app.inbox(&org.zed.1, query).await;
        assert_eq!((bad.status, bad.body["field"].as_str()), (400, Some("before")), "{query}");
    }
}

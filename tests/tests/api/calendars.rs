//! Connected calendars (A3, SPEC §4) against DynamoDB Local and a feed served on loopback:
//! feeds shaped like Google's and Outlook's exports hide exactly their busy slots (listing and
//! booking alike), a failing feed keeps its last good copy and says so, unchanged feeds cost a
//! 304, and addresses outside the allowed set are refused.

use integration_tests::feed_server::FeedServer;
use integration_tests::{utc, TestApp};
use serde_json::json;
use shared::feeds::fetch::{FeedPolicy, Fetcher};

const NOW: &str = "2027-03-24T08:00:00Z";
const GOOGLE: &str = include_str!("../../../shared/feed-reader/tests/fixtures/google.ics");
const OUTLOOK: &str = include_str!("../../../shared/feed-reader/tests/fixtures/outlook.ics");

async fn connect(app: &TestApp, token: &str, url: &str) {
    let reply = app.connect_calendars(token, &[url]).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
}

async fn day(app: &TestApp, slug: &str, date: &str) -> (Vec<String>, serde_json::Value) {
    let reply = app.call("GET", &format!("/v1/book/{slug}/slots?from={date}&to={date}"), None, None).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    let starts =
        reply.body["slots"].as_array().unwrap().iter().map(|s| s["start"].as_str().unwrap().to_string()).collect();
    (starts, reply.body["calendars"].clone())
}

#[tokio::test]
async fn a_google_feed_hides_exactly_its_busy_time_across_daylight_saving() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let feed = FeedServer::start(GOOGLE);
    connect(&app, &f.agent_token, &feed.url).await;

    // Weekly Monday 10:00–11:00 Rome: on 29 March (CEST) that is 08:00–09:00 UTC.
    let (monday, calendars) = day(&app, &f.slug, "2027-03-29").await;
    assert_eq!(calendars[0]["stale"], false);
    for free in ["2027-03-29T07:30:00Z", "2027-03-29T09:00:00Z"] {
        assert!(monday.contains(&free.to_string()), "{free} is free: {monday:?}");
    }
    for busy in ["2027-03-29T07:45:00Z", "2027-03-29T08:00:00Z", "2027-03-29T08:30:00Z", "2027-03-29T08:45:00Z"] {
        assert!(!monday.contains(&busy.to_string()), "{busy} overlaps the weekly meeting");
    }
    let has = |slots: &Vec<String>, at: &str| slots.contains(&at.to_string());
    assert!(
        has(&day(&app, &f.slug, "2027-04-05").await.0, "2027-04-05T08:00:00Z"),
        "the moved instance's old time is free"
    );
    assert!(!has(&day(&app, &f.slug, "2027-04-06").await.0, "2027-04-06T13:00:00Z"), "its new time is busy");
    assert!(has(&day(&app, &f.slug, "2027-04-12").await.0, "2027-04-12T08:00:00Z"), "the deleted instance is free");
    assert!(!has(&day(&app, &f.slug, "2027-04-19").await.0, "2027-04-19T08:00:00Z"), "the rule goes on");
    assert!(has(&day(&app, &f.slug, "2027-03-30").await.0, "2027-03-30T08:00:00Z"), "transparent is free");
    assert!(has(&day(&app, &f.slug, "2027-03-31").await.0, "2027-03-31T08:00:00Z"), "cancelled is free");
    assert!(day(&app, &f.slug, "2027-04-02").await.0.is_empty(), "the all-day holiday closes the day");

    // A6: what is not listed cannot be booked.
    let taken = app.book(&f.slug, "2027-03-29T08:00:00Z", "g@example.com").await;
    assert_eq!((taken.status, taken.body["type"].as_str()), (409, Some("/problems/slot-taken")));
    assert_eq!(app.book(&f.slug, "2027-03-29T09:00:00Z", "g@example.com").await.status, 201);
    assert_eq!(feed.requests(), 1, "one fetch served every lookup within five minutes");
}

#[tokio::test]
async fn a_failing_feed_keeps_its_last_good_copy_and_an_unchanged_one_costs_a_304() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let feed = FeedServer::start(GOOGLE);
    connect(&app, &f.agent_token, &feed.url).await;
    assert!(!day(&app, &f.slug, "2027-03-29").await.0.contains(&"2027-03-29T08:00:00Z".to_string()));

    feed.set(500, None);
    app.clock.advance(chrono::Duration::minutes(6));
    let (monday, calendars) = day(&app, &f.slug, "2027-03-29").await;
    assert!(!monday.contains(&"2027-03-29T08:00:00Z".to_string()), "the last good copy still hides the meeting");
    assert_eq!(calendars[0]["stale"], true, "and the answer says the calendar is stale");
    assert_eq!(calendars[0]["updated_at"], "2027-03-24T08:00:00Z");
    let listed = app.call("GET", "/v1/me/calendars", Some(&f.agent_token), None).await;
    assert_eq!(listed.body["calendars"][0]["stale"], true);

    feed.set(200, None);
    app.clock.advance(chrono::Duration::minutes(6));
    let (_, calendars) = day(&app, &f.slug, "2027-03-29").await;
    assert_eq!(calendars[0]["stale"], false);
    assert_eq!(feed.conditional_requests(), 1, "the refetch asked If-None-Match and got a 304");
    assert!(!day(&app, &f.slug, "2027-03-29").await.0.contains(&"2027-03-29T08:00:00Z".to_string()));
}

#[tokio::test]
async fn an_outlook_feed_with_windows_zone_names_hides_its_events() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let feed = FeedServer::start(OUTLOOK);
    connect(&app, &f.agent_token, &feed.url).await;
    // 14:00–15:30 "W. Europe Standard Time" on 25 March is 13:00–14:30 UTC, which is the first
    // hour and a half of the agent's afternoon (14:00–18:00 Rome).
    let (thursday, _) = day(&app, &f.slug, "2027-03-25").await;
    for busy in ["2027-03-25T13:00:00Z", "2027-03-25T13:30:00Z", "2027-03-25T14:00:00Z", "2027-03-25T14:15:00Z"] {
        assert!(!thursday.contains(&busy.to_string()), "{busy}: {thursday:?}");
    }
    assert!(thursday.contains(&"2027-03-25T14:30:00Z".to_string()));
    assert!(thursday.contains(&"2027-03-25T11:30:00Z".to_string()), "the morning is free");
    let moved = app.book(&f.slug, "2027-03-25T15:00:00Z", "g@example.com").await;
    let id = moved.body["meeting"]["id"].as_str().unwrap();
    let token = moved.body["manage_token"].as_str().unwrap();
    let onto_busy = app
        .call("PATCH", &format!("/v1/meetings/{id}"), Some(token), Some(json!({ "start": "2027-03-25T13:30:00Z" })))
        .await;
    assert_eq!(onto_busy.status, 409, "a reschedule checks the calendars too");
}

#[tokio::test]
async fn feed_addresses_outside_the_allowed_set_are_refused() {
    let mut app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    // As deployed: https to public addresses only.
    app.deps.feeds = std::sync::Arc::new(Fetcher::new(FeedPolicy { local_only: false, ..FeedPolicy::from_env() }));
    for url in [
        "http://127.0.0.1:9/x.ics",
        "https://127.0.0.1/x.ics",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.1.2.3/cal.ics",
        "https://localhost/x.ics",
        "file:///etc/passwd",
    ] {
        let reply = app.call("PUT", "/v1/me/calendars", Some(&f.agent_token), Some(json!({ "feeds": [url] }))).await;
        assert_eq!((reply.status, reply.body["field"].as_str()), (400, Some("feeds[0]")), "{url}");
    }
    // Locally: loopback only, not even a public host.
    app.deps.feeds = std::sync::Arc::new(Fetcher::new(FeedPolicy { local_only: true, ..FeedPolicy::from_env() }));
    let outside = app
        .call(
            "PUT",
            "/v1/me/calendars",
            Some(&f.agent_token),
            Some(json!({ "feeds": ["https://calendar.google.com/x.ics"] })),
        )
        .await;
    assert_eq!(outside.status, 400);
    let too_many = json!({ "feeds": (0..6).map(|i| format!("http://127.0.0.1:9/{i}.ics")).collect::<Vec<_>>() });
    assert_eq!(app.call("PUT", "/v1/me/calendars", Some(&f.agent_token), Some(too_many)).await.status, 400);
    let listed = app.call("GET", "/v1/me/calendars", Some(&f.agent_token), None).await;
    assert!(listed.body["calendars"].as_array().unwrap().is_empty(), "nothing refused was kept");
    let _ = utc(NOW);
}

/// Before: a feed that failed to read cached nothing, so every lookup read it again (and a
/// hostile one cost every lookup its full price). Now the failure is cached with the feed's
/// validators: the next refresh asks "modified since?", a 304 keeps it `failed` without reading
/// it, and the last good busy time stays in use throughout.
#[tokio::test]
async fn an_unreadable_feed_is_cached_as_failed_and_not_read_again_until_it_changes() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let feed = FeedServer::start(GOOGLE);
    connect(&app, &f.agent_token, &feed.url).await;
    let busy_monday = "2027-03-29T08:00:00Z".to_string();
    let (monday, calendars) = day(&app, &f.slug, "2027-03-29").await;
    assert_eq!(calendars[0]["status"], "fresh");
    assert!(!monday.contains(&busy_monday));

    // The feed turns hostile: 300 nested blocks.
    let nested = format!("BEGIN:VCALENDAR\r\n{}", "BEGIN:X\r\n".repeat(300));
    feed.set(200, Some(&nested));
    app.clock.advance(chrono::Duration::minutes(6));
    let (monday, calendars) = day(&app, &f.slug, "2027-03-29").await;
    assert_eq!((calendars[0]["status"].as_str(), calendars[0]["stale"].as_bool()), (Some("failed"), Some(true)));
    assert!(!monday.contains(&busy_monday), "the last good copy still hides the weekly meeting");
    let listed = app.call("GET", "/v1/me/calendars", Some(&f.agent_token), None).await;
    assert_eq!(listed.body["calendars"][0]["status"], "failed");
    assert!(listed.body["calendars"][0]["error"].as_str().unwrap().contains("nested"), "{}", listed.body);
    let requests = feed.requests();

    // Within five minutes nothing is fetched or read again, however many guests look.
    for _ in 0..5 {
        day(&app, &f.slug, "2027-03-29").await;
    }
    assert_eq!(feed.requests(), requests);

    // After that, one conditional request; the bad file is unchanged (304), so it is not read.
    app.clock.advance(chrono::Duration::minutes(6));
    let (_, calendars) = day(&app, &f.slug, "2027-03-29").await;
    assert_eq!(calendars[0]["status"], "failed");
    assert_eq!(feed.requests(), requests + 1);
    assert_eq!(feed.conditional_requests(), 1, "asked with the failed file's ETag, answered 304");

    // Fixed: read again and fresh.
    feed.set(200, Some(GOOGLE));
    app.clock.advance(chrono::Duration::minutes(6));
    let (monday, calendars) = day(&app, &f.slug, "2027-03-29").await;
    assert_eq!(calendars[0]["status"], "fresh");
    assert!(!monday.contains(&busy_monday));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_feed_is_refreshed_by_one_lookup_at_a_time() {
    let app = std::sync::Arc::new(TestApp::at(NOW).await);
    let f = app.fixture("Europe/Rome").await;
    let feed = FeedServer::start(GOOGLE);
    connect(&app, &f.agent_token, &feed.url).await;
    let lookups: Vec<_> = (0..8)
        .map(|_| {
            let (app, slug) = (app.clone(), f.slug.clone());
            tokio::spawn(async move { day(&app, &slug, "2027-03-29").await })
        })
        .collect();
    for lookup in lookups {
        lookup.await.unwrap();
    }
    assert_eq!(feed.requests(), 1, "eight lookups at once fetched the feed once");
}

/// A3, AC2: a calendar that cannot be read leaves its busy time out of the slots (one that never
/// worked adds none), so the agent hears at once: connecting answers how the read went, and an
/// email goes out when a calendar turns unreadable, at most once a day per calendar, naming only
/// the feed's host (its address is a secret).
#[tokio::test]
async fn an_agent_hears_at_once_when_a_calendar_cannot_be_read_and_at_most_once_a_day() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let email = integration_tests::unique_address("calendar-owner");
    let body = json!({ "name": "Cal", "email": email, "pbx_id": f.pbx_id, "time_zone": "Europe/Rome" });
    let created = app.call("POST", "/v1/agents", Some(&f.admin_key), Some(body)).await;
    let (token, slug) = (created.body["token"].as_str().unwrap(), created.body["agent"]["slug"].as_str().unwrap());
    let nested = format!("BEGIN:VCALENDAR\r\n{}", "BEGIN:X\r\n".repeat(300));
    let feed = FeedServer::start(&nested);
    let connected = app.connect_calendars(token, &[&feed.url]).await;
    assert_eq!(connected.status, 200, "{:?}", connected.body);
    assert_eq!(connected.body["calendars"][0]["status"], "failed", "read at once: {}", connected.body);
    assert!(connected.body["calendars"][0]["error"].as_str().unwrap().contains("nested"));

    let alerts = || {
        integration_tests::moto::mail_to(&email)
            .into_iter()
            .filter(|m| m.raw.contains("A connected calendar cannot be read"))
            .collect::<Vec<_>>()
    };
    app.deps.delivery().run_due().await.unwrap();
    let told = alerts();
    assert_eq!(told.len(), 1, "told at once");
    assert!(told[0].raw.contains("127.0.0.1") && !told[0].raw.contains(&feed.url), "the host, never the address");

    // Still unreadable on later lookups: nothing more.
    app.clock.advance(chrono::Duration::minutes(6));
    day(&app, slug, "2027-03-29").await;
    app.deps.delivery().run_due().await.unwrap();
    assert_eq!(alerts().len(), 1);
    // Fixed, then broken again the same day: that day's email was sent already.
    feed.set(200, Some(GOOGLE));
    app.clock.advance(chrono::Duration::minutes(6));
    assert_eq!(day(&app, slug, "2027-03-29").await.1[0]["status"], "fresh");
    feed.set(200, Some(&nested));
    app.clock.advance(chrono::Duration::minutes(6));
    day(&app, slug, "2027-03-29").await;
    app.deps.delivery().run_due().await.unwrap();
    assert_eq!(alerts().len(), 1, "at most once a day");
    // Fixed and broken again the next day: told again.
    feed.set(200, Some(GOOGLE));
    app.clock.advance(chrono::Duration::days(1));
    day(&app, slug, "2027-03-29").await;
    feed.set(200, Some(&nested));
    app.clock.advance(chrono::Duration::minutes(6));
    day(&app, slug, "2027-03-29").await;
    app.deps.delivery().run_due().await.unwrap();
    assert_eq!(alerts().len(), 2);
}

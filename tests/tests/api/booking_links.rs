//! Booking links (A5): a link's date limits and durations hold on the server, whatever a client
//! asks for, for listing and booking alike; and a link follows the agent's later changes.

use integration_tests::TestApp;
use serde_json::json;

const NOW: &str = "2027-03-24T08:00:00Z";

#[tokio::test]
async fn a_links_dates_and_durations_are_enforced_by_the_server() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let body = json!({ "slug": "ada-april-week", "first_date": "2027-03-30", "last_date": "2027-03-31", "durations": [45, 60] });
    let link = app.call("POST", "/v1/me/booking-links", Some(&f.agent_token), Some(body)).await;
    assert_eq!(link.status, 201, "{:?}", link.body);
    assert_eq!(link.body["page"], "/b/ada-april-week");

    let page = app.call("GET", "/v1/book/ada-april-week", None, None).await;
    assert_eq!(
        (page.body["first_date"].as_str(), page.body["last_date"].as_str()),
        (Some("2027-03-30"), Some("2027-03-31"))
    );
    assert_eq!((page.body["durations"].clone(), page.body["default_duration"].clone()), (json!([45, 60]), json!(45)));

    // The client asks for a whole week: only the link's two days come back.
    let slots = app.slot_starts("ada-april-week", "from=2027-03-29&to=2027-04-04").await;
    assert!(!slots.is_empty());
    assert!(slots.iter().all(|s| s.starts_with("2027-03-30") || s.starts_with("2027-03-31")), "{slots:?}");
    assert!(
        app.slot_starts(&f.slug, "from=2027-03-29&to=2027-03-29").await.contains(&"2027-03-29T07:00:00Z".to_string()),
        "the agent's own link is not limited"
    );

    let path = "/v1/book/ada-april-week/meetings";
    let outside = json!({ "subject": "s", "start": "2027-03-29T07:00:00Z", "duration": 45, "name": "G", "email": "g@example.com" });
    let refused = app.call("POST", path, None, Some(outside)).await;
    assert_eq!((refused.status, refused.body["type"].as_str()), (422, Some("/problems/outside-booking-dates")));
    let short = json!({ "subject": "s", "start": "2027-03-30T07:00:00Z", "duration": 30, "name": "G", "email": "g@example.com" });
    let refused = app.call("POST", path, None, Some(short)).await;
    assert_eq!((refused.status, refused.body["type"].as_str()), (422, Some("/problems/duration-not-allowed")));
    let odd = app.call("GET", "/v1/book/ada-april-week/slots?duration=30", None, None).await;
    assert_eq!(odd.status, 422);
    let inside = json!({ "subject": "s", "start": "2027-03-30T07:00:00Z", "name": "G", "email": "g@example.com" });
    let booked = app.call("POST", path, None, Some(inside)).await;
    assert_eq!(
        (booked.status, booked.body["meeting"]["duration"].as_u64()),
        (201, Some(45)),
        "the link's default duration"
    );
    assert_eq!(booked.body["meeting"]["booking_slug"], "ada-april-week");
    assert!(
        !app.slot_starts(&f.slug, "from=2027-03-30&to=2027-03-30").await.contains(&"2027-03-30T07:00:00Z".to_string()),
        "one calendar behind both links"
    );
}

#[tokio::test]
async fn links_follow_the_agents_settings_and_refuse_bad_limits() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let made = app.call("POST", "/v1/me/booking-links", Some(&f.agent_token), Some(json!({ "durations": [60] }))).await;
    assert_eq!(made.status, 201);
    let slug = made.body["slug"].as_str().unwrap().to_string();
    assert!(slug.starts_with(&f.slug), "a generated slug starts with the agent's");

    // The agent closes Monday and stops offering 60 minutes: the link shows it at once.
    let settings =
        json!({ "time_zone": "Europe/Rome", "durations": [15, 30, 60], "date_overrides": { "2027-03-29": [] } });
    assert_eq!(app.call("PUT", "/v1/me/availability", Some(&f.agent_token), Some(settings)).await.status, 200);
    assert!(app.slot_starts(&slug, "from=2027-03-29&to=2027-03-29").await.is_empty());
    let settings = json!({ "time_zone": "Europe/Rome", "durations": [15, 30] });
    assert_eq!(app.call("PUT", "/v1/me/availability", Some(&f.agent_token), Some(settings)).await.status, 200);
    let page = app.call("GET", &format!("/v1/book/{slug}"), None, None).await;
    assert_eq!(page.body["durations"], json!([]), "a link never offers what the agent no longer does");

    let taken = app.call("POST", "/v1/me/booking-links", Some(&f.agent_token), Some(json!({ "slug": slug }))).await;
    assert_eq!((taken.status, taken.body["type"].as_str()), (409, Some("/problems/slug-taken")));
    for (body, field) in [
        (json!({ "first_date": "2027-04-02", "last_date": "2027-04-01" }), "last_date"),
        (json!({ "durations": [20] }), "durations"),
        (json!({ "durations": [] }), "durations"),
        (json!({ "slug": "Bad Slug" }), "slug"),
        (json!({ "first_date": "soon" }), "first_date"),
    ] {
        let reply = app.call("POST", "/v1/me/booking-links", Some(&f.agent_token), Some(body.clone())).await;
        assert_eq!((reply.status, reply.body["field"].as_str()), (400, Some(field)), "{body}");
    }
    let onto_link = json!({ "slug": slug });
    let renamed = app.call("PATCH", &format!("/v1/agents/{}", f.agent_id), Some(&f.admin_key), Some(onto_link)).await;
    assert_eq!(
        (renamed.status, renamed.body["type"].as_str()),
        (409, Some("/problems/slug-taken")),
        "one slug, one page"
    );
    let listed = app.call("GET", "/v1/me/booking-links", Some(&f.agent_token), None).await;
    assert_eq!(listed.body["links"].as_array().unwrap().len(), 1);
}

/// Before: a guest could move a meeting outside the link it came through (the change was checked
/// with the agent's rules). A5: a guest's change is held to that page's dates and durations; the
/// agent's own change only to the agent's rules.
#[tokio::test]
async fn a_guest_cannot_move_a_meeting_outside_the_link_it_was_booked_through() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let body =
        json!({ "slug": "ada-two-days", "first_date": "2027-03-24", "last_date": "2027-03-25", "durations": [15] });
    assert_eq!(app.call("POST", "/v1/me/booking-links", Some(&f.agent_token), Some(body)).await.status, 201);
    let inside = json!({ "subject": "s", "start": "2027-03-25T08:00:00Z", "name": "G", "email": "g@example.com" });
    let booked = app.call("POST", "/v1/book/ada-two-days/meetings", None, Some(inside)).await;
    assert_eq!((booked.status, booked.body["meeting"]["duration"].as_u64()), (201, Some(15)), "{:?}", booked.body);
    let id = booked.body["meeting"]["id"].as_str().unwrap();
    let token = booked.body["manage_token"].as_str().unwrap();
    let path = format!("/v1/meetings/{id}");

    let later = app.call("PATCH", &path, Some(token), Some(json!({ "start": "2027-03-26T09:00:00Z" }))).await;
    assert_eq!((later.status, later.body["type"].as_str()), (422, Some("/problems/outside-booking-dates")));
    let longer = app.call("PATCH", &path, Some(token), Some(json!({ "duration": 30 }))).await;
    assert_eq!((longer.status, longer.body["type"].as_str()), (422, Some("/problems/duration-not-allowed")));
    let within = app.call("PATCH", &path, Some(token), Some(json!({ "start": "2027-03-25T09:00:00Z" }))).await;
    assert_eq!(within.status, 200, "inside the link's dates it moves");

    // The agent is held to their own rules only.
    let by_agent = app
        .call("PATCH", &path, Some(&f.agent_token), Some(json!({ "start": "2027-03-26T09:00:00Z", "duration": 30 })))
        .await;
    assert_eq!((by_agent.status, by_agent.body["duration"].as_u64()), (200, Some(30)), "{:?}", by_agent.body);
}

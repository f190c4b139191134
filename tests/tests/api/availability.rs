//! An agent's availability through the API: what they set is what guests are offered (A1–A4).

use integration_tests::TestApp;
use serde_json::json;

const NOW: &str = "2027-03-24T08:00:00Z";

#[tokio::test]
async fn a_new_agent_starts_with_office_hours_and_the_guides_defaults() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let got = app.call("GET", "/v1/me/availability", Some(&f.agent_token), None).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["time_zone"], "Europe/Rome");
    assert_eq!(got.body["default_duration"], 30);
    assert_eq!(got.body["booking_window_days"], 31);
    assert_eq!(got.body["max_meetings_per_guest"], 2);
    assert_eq!(
        got.body["weekly_hours"]["monday"],
        json!([{ "start": "09:00", "end": "13:00" }, { "start": "14:00", "end": "18:00" }])
    );
}

#[tokio::test]
async fn changed_hours_change_the_offered_slots_at_once() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let saturday = "from=2027-03-27&to=2027-03-27";
    assert!(app.slot_starts(&f.slug, saturday).await.is_empty());

    let settings = json!({
        "time_zone": "Europe/Rome",
        "weekly_hours": { "saturday": [{ "start": "10:00", "end": "11:00" }] },
        "slot_step": 30,
        "date_overrides": { "2027-03-29": [] }
    });
    let put = app.call("PUT", "/v1/me/availability", Some(&f.agent_token), Some(settings)).await;
    assert_eq!(put.status, 200, "{:?}", put.body);
    assert_eq!(put.body["durations"], json!([15, 30, 45, 60]), "omitted settings take defaults");
    assert_eq!(app.slot_starts(&f.slug, saturday).await, vec!["2027-03-27T09:00:00Z", "2027-03-27T09:30:00Z"]);
    assert!(app.slot_starts(&f.slug, "from=2027-03-29&to=2027-03-29").await.is_empty(), "the override closes Monday");
    let booked = app.book(&f.slug, "2027-03-27T09:30:00Z", "g@example.com").await;
    assert_eq!(booked.status, 201, "what is listed books");
}

#[tokio::test]
async fn invalid_settings_are_refused_and_change_nothing() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let before = app.call("GET", "/v1/me/availability", Some(&f.agent_token), None).await.body;
    let cases = [
        (json!({ "time_zone": "Europe/Rome", "booking_window_days": 40 }), "booking_window_days"),
        (json!({ "time_zone": "Mars/Base" }), "time_zone"),
        (
            json!({ "time_zone": "UTC", "weekly_hours": { "monday": [{ "start": "12:00", "end": "09:00" }] } }),
            "weekly_hours.monday",
        ),
        (
            json!({ "time_zone": "UTC", "weekly_hours": { "monday": [{ "start": "9am", "end": "10:00" }] } }),
            "weekly_hours.monday[0].start",
        ),
        (json!({ "time_zone": "UTC", "durations": [15], "default_duration": 30 }), "default_duration"),
        (json!({ "time_zone": "UTC", "surprise": true }), ""),
    ];
    for (body, field) in cases {
        let reply = app.call("PUT", "/v1/me/availability", Some(&f.agent_token), Some(body.clone())).await;
        assert_eq!(reply.status, 400, "{body}: {:?}", reply.body);
        if !field.is_empty() {
            assert_eq!(reply.body["field"], field, "{body}");
        }
    }
    let after = app.call("GET", "/v1/me/availability", Some(&f.agent_token), None).await.body;
    assert_eq!(before, after);
}

#[tokio::test]
async fn availability_needs_the_agents_own_token() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    assert_eq!(app.call("GET", "/v1/me/availability", None, None).await.status, 401);
    assert_eq!(app.call("GET", "/v1/me/availability", Some(&f.admin_key), None).await.status, 403);
    let last = if f.agent_token.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &f.agent_token[..f.agent_token.len() - 1]);
    assert_eq!(app.call("GET", "/v1/me/availability", Some(&forged), None).await.status, 401);
}

#[tokio::test]
async fn slots_render_in_the_guests_zone_and_refuse_bad_queries() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let reply = app
        .call(
            "GET",
            &format!("/v1/book/{}/slots?from=2027-03-29&to=2027-03-29&time_zone=America/New_York", f.slug),
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["time_zone"], "America/New_York");
    let first = &reply.body["slots"][0];
    // New York's 29 March runs 04:00Z to 04:00Z next day; Rome opens at 07:00Z = 03:00 EDT.
    assert_eq!(first["start"], "2027-03-29T07:00:00Z");
    assert_eq!(first["local_start"], "2027-03-29T03:00:00-04:00");

    for (query, field) in [
        ("from=29-03-2027", "from"),
        ("from=2027-03-29&to=2027-03-28", "to"),
        ("from=2027-03-01&to=2027-05-01", "to"),
        ("duration=ten", "duration"),
        ("time_zone=Atlantis", "time_zone"),
    ] {
        let bad = app.call("GET", &format!("/v1/book/{}/slots?{query}", f.slug), None, None).await;
        assert_eq!((bad.status, bad.body["field"].as_str()), (400, Some(field)), "{query}");
    }
    let odd = app.call("GET", &format!("/v1/book/{}/slots?duration=20", f.slug), None, None).await;
    assert_eq!((odd.status, odd.body["type"].as_str()), (422, Some("/problems/duration-not-allowed")));
}

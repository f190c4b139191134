//! Limits on input (SPEC §3): oversized or malformed requests get a clear problem and change
//! nothing; no input, however large, reaches the store as a 5xx.

use integration_tests::{unique_address, TestApp};
use serde_json::json;

const NOW: &str = "2027-03-24T08:00:00Z";

#[tokio::test]
async fn oversized_and_malformed_input_is_refused_with_a_problem() {
    let app = TestApp::at(NOW).await;
    let f = app.fixture("Europe/Rome").await;
    let book = format!("/v1/book/{}/meetings", f.slug);
    let base = json!({ "subject": "s", "start": "2027-03-29T07:00:00Z", "name": "G", "email": "g@example.com" });

    let huge = json!({ "subject": "x".repeat(70 * 1024), "start": "2027-03-29T07:00:00Z", "name": "G", "email": "g@example.com" });
    let reply = app.call("POST", &book, None, Some(huge)).await;
    assert_eq!((reply.status, reply.body["type"].as_str()), (413, Some("/problems/payload-too-large")));

    let mut crowd = base.clone();
    crowd["additional_members"] = json!((0..11).map(|i| format!("m{i}@example.com")).collect::<Vec<_>>());
    let mut long_subject = base.clone();
    long_subject["subject"] = json!("x".repeat(201));
    let mut long_name = base.clone();
    long_name["name"] = json!("n".repeat(101));
    let mut nested = json!(1);
    for _ in 0..200 {
        nested = json!([nested]);
    }
    let mut deep = base.clone();
    deep["subject"] = nested;
    for (body, what) in
        [(crowd, "additional_members"), (long_subject, "subject"), (long_name, "name"), (deep, "subject")]
    {
        let reply = app.call("POST", &book, None, Some(body)).await;
        assert_eq!(reply.status, 400, "{what}: {:?}", reply.body);
    }

    let text = app.call_with("POST", &book, None, None, &[("content-type", "text/plain")]).await;
    assert_eq!((text.status, text.body["type"].as_str()), (415, Some("/problems/unsupported-media-type")));
    let empty = app.call_with("POST", &book, None, None, &[("content-type", "application/json")]).await;
    assert_eq!((empty.status, empty.body["type"].as_str()), (400, Some("/problems/malformed-request")));
    let long_id = format!("/v1/meetings/{}", "f".repeat(3000));
    assert_eq!(app.call("GET", &long_id, Some(&f.agent_token), None).await.status, 404, "never reaches a key");
    let long_slug = format!("/v1/book/{}/slots", "a".repeat(3000));
    assert_eq!(app.call("GET", &long_slug, None, None).await.status, 404);
    let long_token = "agt_".to_string() + &"0".repeat(5000);
    assert_eq!(app.call("GET", "/v1/me/availability", Some(&long_token), None).await.status, 401);
    assert_eq!(app.meetings_in_table(&f.tenant_id).await, 0, "nothing was written");
}

/// One tenant's campaign meets its own bound (its guests' bookings a minute), never another
/// tenant's guests: the bound is counted per tenant, and a minute later it is there again.
#[tokio::test]
async fn each_tenant_meets_its_own_booking_bound_and_never_anothers() {
    let app = TestApp::at("2027-03-24T08:00:00Z").await;
    let body = json!({ "name": "Campaign Co", "guest_verification": "off", "bookings_per_minute": 3 });
    let tenant = app.call("POST", "/v1/tenants", Some(&app.operator_key), Some(body)).await;
    assert_eq!(tenant.status, 201, "{:?}", tenant.body);
    let admin = tenant.body["admin_key"].as_str().unwrap();
    let pbx = app.call("POST", "/v1/pbxs", Some(admin), Some(json!({ "name": "HQ" }))).await;
    let agent = json!({ "name": "Busy", "email": "busy@campaign.example", "pbx_id": pbx.body["id"], "time_zone": "Europe/Rome" });
    let agent = app.call("POST", "/v1/agents", Some(admin), Some(agent)).await;
    let campaign = agent.body["agent"]["slug"].as_str().unwrap().to_string();
    let quiet = app.fixture("Europe/Rome").await;

    let hours = ["07", "08", "09", "10", "12"];
    let mut answers = Vec::new();
    for hour in hours {
        let reply = app.book(&campaign, &format!("2027-03-29T{hour}:00:00Z"), &unique_address("fan")).await;
        answers.push((reply.status, reply.body["type"].as_str().map(str::to_string)));
    }
    assert_eq!(answers.iter().filter(|(s, _)| *s == 201).count(), 3, "{answers:?}");
    assert!(answers
        .iter()
        .filter(|(s, _)| *s != 201)
        .all(|(s, t)| *s == 429 && t.as_deref() == Some("/problems/tenant-busy")));
    // The other tenant's guests are answered as ever.
    for hour in hours {
        let reply = app.book(&quiet.slug, &format!("2027-03-29T{hour}:00:00Z"), &unique_address("calm")).await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
    }
    // A minute later the campaign's bound is back.
    app.clock.advance(chrono::Duration::minutes(1));
    assert_eq!(app.book(&campaign, "2027-03-29T13:00:00Z", &unique_address("fan")).await.status, 201);
}

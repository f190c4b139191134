//! Limits on input (SPEC §3): oversized or malformed requests get a clear problem and change
//! nothing; no input, however large, reaches the store as a 5xx.

use integration_tests::TestApp;
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

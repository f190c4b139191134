//! A burst on a freshly started local stack (`./infra/run-local.sh`: a DynamoDB Local just
//! started, its JVM cold): 200 concurrent bookings of one slot. Before: with store timeouts sized for AWS (1 s to connect, 1.5 s a try) 148 to 181
//! of the 200 got `503 store-unavailable` from DynamoDB Local on two cores. Now the local server
//! waits as long as DynamoDB Local needs (its local profile; the request deadline still bounds
//! every answer): exactly one booking, every other a 409, no 5xx.

mod common;

use std::collections::BTreeMap;

use common::{request, start_with};
use integration_tests::dynamodb::PrivateDynamoDb;
use serde_json::json;

#[test]
fn two_hundred_bookings_of_one_slot_give_one_meeting_and_no_503() {
    let outbox = std::env::temp_dir().join(format!("scheduler-burst-{}", std::process::id()));
    let fresh = PrivateDynamoDb::start();
    let server = start_with("burst", &outbox, &[("AWS_ENDPOINT_URL_DYNAMODB", &fresh.endpoint)]);
    let base = server.base.clone();
    // A tenant of its own with guest verification off, so every booking is a meeting, not a hold.
    let (status, tenant) = request(
        &base,
        "POST",
        "/v1/tenants",
        Some(json!({ "name": "Burst", "guest_verification": "off" })),
        Some(&server.operator_key),
    );
    assert_eq!(status, 201, "{tenant}");
    let admin = tenant["admin_key"].as_str().unwrap().to_string();
    let (_, pbx) = request(&base, "POST", "/v1/pbxs", Some(json!({ "name": "HQ" })), Some(&admin));
    let agent =
        json!({ "name": "Burst Agent", "email": "burst@example.com", "pbx_id": pbx["id"], "time_zone": "Europe/Rome" });
    let (status, created) = request(&base, "POST", "/v1/agents", Some(agent), Some(&admin));
    assert_eq!(status, 201, "{created}");
    let slug = created["agent"]["slug"].as_str().unwrap().to_string();

    let threads: Vec<_> = (0..200)
        .map(|i| {
            let (base, slug) = (base.clone(), slug.clone());
            std::thread::spawn(move || {
                let body = json!({ "subject": "Burst", "start": "2027-03-29T07:00:00Z", "name": "Guest", "email": format!("burst{i}@example.com") });
                request(&base, "POST", &format!("/v1/book/{slug}/meetings"), Some(body), None)
            })
        })
        .collect();
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    for thread in threads {
        let (status, body) = thread.join().unwrap();
        assert!(status < 500, "{status}: {body}");
        *statuses.entry(status).or_default() += 1;
    }
    assert_eq!(statuses, BTreeMap::from([(201, 1), (409, 199)]), "exactly one booking, the rest conflicts");
}

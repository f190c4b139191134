//! The local server as a user runs it: start the binary, read the slug it prints, ask for slots
//! over real HTTP on loopback, then stop it.

mod common;

use common::{get, request, start};

#[test]
fn the_local_server_prints_a_slug_and_serves_its_slots() {
    let outbox = std::env::temp_dir().join(format!("scheduler-outbox-{}", std::process::id()));
    let server = start("smoke", &outbox);
    let (base, slug) = (server.base.clone(), server.slug.clone());
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert_eq!(slug, "demo");

    let (status, health) = get(&base, "/v1/health");
    assert_eq!((status, health["store"].as_str()), (200, Some("ok")));
    let (status, slots) =
        get(&base, &format!("/v1/book/{slug}/slots?from=2027-03-29&to=2027-03-29&time_zone=Asia/Kolkata"));
    assert_eq!(status, 200, "{slots}");
    let slots = slots["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 2 * 15, "09:00–12:30 and 14:00–17:30: 30-minute meetings on a 15-minute step");
    assert_eq!(slots[0]["start"], "2027-03-29T07:00:00Z");
    assert_eq!(slots[0]["local_start"], "2027-03-29T12:30:00+05:30");
}

#[test]
fn a_booking_on_the_local_server_lands_in_the_outbox_folder() {
    let outbox = std::env::temp_dir().join(format!("scheduler-mail-{}", std::process::id()));
    let server = start("smoke-mail", &outbox);
    let base = server.base.clone();

    let booking = serde_json::json!({
        "subject": "Local demo", "start": "2027-03-29T07:00:00Z", "name": "Grace", "email": "grace@example.com"
    });
    let (status, body) = request(&base, "POST", "/v1/book/demo/meetings", Some(booking), None);
    assert_eq!(status, 201, "{body}");
    let files: Vec<String> = std::fs::read_dir(&outbox)
        .expect("the outbox folder exists")
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    let mails: Vec<&String> = files.iter().filter(|f| f.ends_with(".eml")).collect();
    assert_eq!(mails.len(), 2, "the agent's and the guest's copies: {files:?}");
    let guest_copy = mails
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .find(|m| m.lines().any(|l| l.starts_with("To:") && l.ends_with("<grace@example.com>")));
    let guest_copy = guest_copy.expect("a copy addressed to the guest");
    assert!(guest_copy.contains("text/calendar; charset=utf-8; method=REQUEST"));
    let events = std::fs::read_to_string(outbox.join("events.jsonl")).unwrap();
    assert!(events.contains("MeetingScheduled"));
    let _ = std::fs::remove_dir_all(&outbox);
}

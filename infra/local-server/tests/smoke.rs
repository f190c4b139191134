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

/// The `.eml` files in the outbox folder, as text.
fn mails(outbox: &std::path::Path) -> Vec<String> {
    let files: Vec<_> = std::fs::read_dir(outbox)
        .expect("the outbox folder exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect()
}

/// The six-digit code in a code email's subject ("123456 is your code ...").
fn code_in(mail: &str) -> Option<String> {
    let subject = mail.lines().find_map(|l| l.strip_prefix("Subject: "))?;
    let code = subject.split(' ').next()?;
    (code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())).then(|| code.to_string())
}

#[test]
fn a_booking_on_the_local_server_is_confirmed_by_the_mailed_code_and_lands_in_the_outbox_folder() {
    let outbox = std::env::temp_dir().join(format!("scheduler-mail-{}", std::process::id()));
    let server = start("smoke-mail", &outbox);
    let base = server.base.clone();

    // The demo agent asks every guest to prove their address (G1 `always`): the booking is held.
    let booking = serde_json::json!({
        "subject": "Local demo", "start": "2027-03-29T07:00:00Z", "name": "Grace", "email": "grace@example.com"
    });
    let (status, held) = request(&base, "POST", "/v1/book/demo/meetings", Some(booking), None);
    assert_eq!(status, 202, "{held}");
    let code_mails = mails(&outbox);
    assert_eq!(code_mails.len(), 1, "one email with the code and the link, nothing else yet");
    let code = code_in(&code_mails[0]).expect("the code is in the subject");
    assert!(code_mails[0].contains("/b/confirm/"), "and the one-click link in the body");

    let hold_id = held["hold"]["id"].as_str().unwrap();
    let confirm = serde_json::json!({ "code": code });
    let (status, booked) = request(&base, "POST", &format!("/v1/holds/{hold_id}/confirm"), Some(confirm), None);
    assert_eq!(status, 201, "{booked}");
    assert!(booked["session"]["token"].as_str().is_some(), "confirming signs the guest in");

    let after = mails(&outbox);
    assert_eq!(after.len(), 3, "the code, then the agent's and the guest's invitations");
    let guest_copy = after
        .iter()
        .filter(|m| code_in(m).is_none())
        .find(|m| m.lines().any(|l| l.starts_with("To:") && l.ends_with("<grace@example.com>")))
        .expect("a copy addressed to the guest");
    assert!(guest_copy.contains("text/calendar; charset=utf-8; method=REQUEST"));
    let events = std::fs::read_to_string(outbox.join("events.jsonl")).unwrap();
    assert!(events.contains("MeetingScheduled"));
    let _ = std::fs::remove_dir_all(&outbox);
}

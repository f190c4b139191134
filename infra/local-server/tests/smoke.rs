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
    // The demo's own meeting (Ada's with Grace Hopper) mailed its invitations at start-up.
    let seeded = mails(&outbox).len();
    let (status, held) = request(&base, "POST", "/v1/book/demo/meetings", Some(booking), None);
    assert_eq!(status, 202, "{held}");
    let code_mails: Vec<String> = mails(&outbox).into_iter().filter(|m| code_in(m).is_some()).collect();
    assert_eq!(mails(&outbox).len(), seeded + 1, "one more email, with the code and the link");
    assert_eq!(code_mails.len(), 1, "one email with the code and the link, nothing else yet");
    let code = code_in(&code_mails[0]).expect("the code is in the subject");
    assert!(code_mails[0].contains("/b/confirm/"), "and the one-click link in the body");

    let hold_id = held["hold"]["id"].as_str().unwrap();
    let confirm = serde_json::json!({ "code": code });
    let (status, booked) = request(&base, "POST", &format!("/v1/holds/{hold_id}/confirm"), Some(confirm), None);
    assert_eq!(status, 201, "{booked}");
    assert!(booked["session"]["token"].as_str().is_some(), "confirming signs the guest in");

    let after = mails(&outbox);
    assert_eq!(after.len(), seeded + 3, "the code, then the agent's and the guest's invitations");
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

/// Runs shell text as a user pasting it into bash would; its standard output.
fn paste(text: &str) -> String {
    let out = std::process::Command::new("bash").arg("-c").arg(text).output().expect("bash");
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_banners_booking_lines_work_pasted_into_a_shell() {
    let outbox = std::env::temp_dir().join(format!("scheduler-banner-{}", std::process::id()));
    let server = start("smoke-banner", &outbox);
    let booking: Vec<&str> = server
        .try_lines
        .iter()
        .map(String::as_str)
        .skip_while(|l| !l.starts_with("START="))
        .take_while(|l| !l.starts_with('('))
        .collect();
    assert!(booking.len() >= 2, "a start and the booking's curl: {:?}", server.try_lines);
    let held: serde_json::Value = serde_json::from_str(&paste(&booking.join("\n"))).expect("JSON");
    let hold_id = held["hold"]["id"].as_str().expect("the example start is free: the guest gets a hold");
    // Pasted twice, the lines book twice: each paste has an Idempotency-Key of its own.
    let again: serde_json::Value = serde_json::from_str(&paste(&booking.join("\n"))).unwrap();
    assert_eq!(again["type"].as_str(), Some("/problems/slot-taken"), "{again}");

    let code = mails(&outbox).iter().find_map(|m| code_in(m)).expect("the code email");
    let confirm = server.try_lines.iter().find(|l| l.contains("/confirm")).expect("a confirm line");
    let confirmed = paste(&confirm.replace("<hold id>", hold_id).replace("<code>", &code));
    let confirmed: serde_json::Value = serde_json::from_str(&confirmed).unwrap();
    assert_eq!(confirmed["meeting"]["status"], "scheduled", "{confirmed}");
    let _ = std::fs::remove_dir_all(&outbox);
}

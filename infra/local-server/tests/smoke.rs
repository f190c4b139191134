//! The local server as a user runs it: start the binary, read the slug it prints, ask for slots
//! over real HTTP on loopback, then stop it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the server however the test ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(base: &str, path: &str) -> (u16, serde_json::Value) {
    request(base, "GET", path, None)
}

fn request(base: &str, method: &str, path: &str, body: Option<serde_json::Value>) -> (u16, serde_json::Value) {
    let authority = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(authority).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let status: u16 = raw.split(' ').nth(1).unwrap().parse().unwrap();
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(serde_json::Value::Null))
}

/// Starts the binary as `./infra/run-local.sh` does and reads its banner: (server, base URL, slug).
fn start(table: &str, outbox: &std::path::Path) -> (Server, String, String) {
    assert!(std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_some(), "needs DynamoDB Local: run ./infra/test.sh");
    let child = Command::new(env!("CARGO_BIN_EXE_local-server"))
        .env("PORT", "0")
        .env("MAIL_OUTBOX_DIR", outbox)
        .env("TABLE_NAME", format!("{table}-{}", std::process::id()))
        .env("SCHEDULER_START_AT", "2027-03-24T08:00:00Z")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start local-server");
    let mut server = Server(child);
    let (mut base, mut slug) = (String::new(), String::new());
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut lines = BufReader::new(server.0.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.split("listening on ").nth(1) {
            base = rest.split_whitespace().next().unwrap().to_string();
        }
        if let Some(rest) = line.trim().strip_prefix("booking slug") {
            slug = rest.trim().to_string();
            break;
        }
        assert!(Instant::now() < deadline, "the server did not print its slug in time");
    }
    // Keep reading what the server prints, as a terminal would, for as long as it runs.
    std::thread::spawn(move || lines.for_each(drop));
    (server, base, slug)
}

#[test]
fn the_local_server_prints_a_slug_and_serves_its_slots() {
    let outbox = std::env::temp_dir().join(format!("scheduler-outbox-{}", std::process::id()));
    let (_server, base, slug) = start("smoke", &outbox);
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
    let (_server, base, _) = start("smoke-mail", &outbox);

    let booking = serde_json::json!({
        "subject": "Local demo", "start": "2027-03-29T07:00:00Z", "name": "Grace", "email": "grace@example.com"
    });
    let (status, body) = request(&base, "POST", "/v1/book/demo/meetings", Some(booking));
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

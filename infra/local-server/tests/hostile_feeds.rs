//! Connected calendars that attack: the shapes that crashed or froze the whole server (300 nested
//! blocks; an event every second since 1970; 20,000 events every two minutes; durations of
//! millions of weeks), served from loopback to a running local server. Each may only harm
//! itself: every slot lookup is answered within 2 s, an agent without feeds is not slowed, and
//! the process stays under the 256 MB a Lambda function has.

mod common;

use std::time::{Duration, Instant};

use common::{get, request, start};
use integration_tests::feed_server::FeedServer;
use serde_json::json;

fn calendar(body: &str) -> String {
    format!("BEGIN:VCALENDAR\r\n{body}END:VCALENDAR\r\n")
}

fn hostile_feeds() -> Vec<String> {
    let every_two_minutes =
        "BEGIN:VEVENT\r\nDTSTART:20270301T000000Z\r\nRRULE:FREQ=MINUTELY;INTERVAL=2\r\nEND:VEVENT\r\n";
    vec![
        format!("BEGIN:VCALENDAR\r\n{}", "BEGIN:X\r\n".repeat(300)),
        calendar("BEGIN:VEVENT\r\nDTSTART:19700101T000000Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\n"),
        calendar(&every_two_minutes.repeat(20_000)),
        calendar(
            "BEGIN:VEVENT\r\nDTSTART:20270325T100000Z\r\nDURATION:P99999999999999W\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nDTSTART:20270325T100000Z\r\nDURATION:P99999999D\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n",
        ),
    ]
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[test]
fn hostile_feeds_harm_only_themselves() {
    let outbox = std::env::temp_dir().join(format!("scheduler-hostile-{}", std::process::id()));
    let server = start("hostile", &outbox);
    let base = server.base.clone();
    let week = "from=2027-03-29&to=2027-04-04";
    let lookup = |slug: &str| {
        let started = Instant::now();
        let (status, body) = get(&base, &format!("/v1/book/{slug}/slots?{week}"));
        assert_eq!(status, 200, "{body}");
        (started.elapsed(), body)
    };
    // The demo agent has no connected calendar: its lookups are the yardstick.
    let calm = server.slug.clone();
    let before: Vec<Duration> = (0..15).map(|_| lookup(&calm).0).collect();

    let feeds: Vec<FeedServer> = hostile_feeds().iter().map(|body| FeedServer::start(body)).collect();
    assert!(feeds[2].url.starts_with("http://127.0.0.1:"));
    let (_, pbxs) = request(&base, "GET", "/v1/pbxs", None, Some(&server.admin_key));
    let pbx = pbxs["pbxs"][0]["id"].as_str().unwrap().to_string();
    let mut hostile_agents = Vec::new();
    for i in 0..4 {
        let agent = json!({ "name": format!("Target {i}"), "email": format!("t{i}@demo.example"), "pbx_id": pbx, "time_zone": "Europe/Rome" });
        let (status, created) = request(&base, "POST", "/v1/agents", Some(agent), Some(&server.admin_key));
        assert_eq!(status, 201, "{created}");
        let token = created["token"].as_str().unwrap().to_string();
        let urls: Vec<&str> = feeds.iter().map(|f| f.url.as_str()).collect();
        let (status, body) = request(&base, "PUT", "/v1/me/calendars", Some(json!({ "feeds": urls })), Some(&token));
        assert_eq!(status, 200, "{body}");
        hostile_agents.push((created["agent"]["slug"].as_str().unwrap().to_string(), token));
    }

    // Every hostile agent's page is looked at, three times each, while the calm agent's is too.
    let attackers: Vec<_> = hostile_agents
        .iter()
        .map(|(slug, _)| {
            let (base, slug) = (base.clone(), slug.clone());
            std::thread::spawn(move || {
                (0..3)
                    .map(|_| {
                        let started = Instant::now();
                        let (status, body) =
                            get(&base, &format!("/v1/book/{slug}/slots?from=2027-03-29&to=2027-04-04"));
                        assert_eq!(status, 200, "{body}");
                        started.elapsed()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let during: Vec<Duration> = (0..15).map(|_| lookup(&calm).0).collect();
    let hostile_times: Vec<Duration> = attackers.into_iter().flat_map(|t| t.join().unwrap()).collect();

    let slowest = *hostile_times.iter().chain(&during).max().unwrap();
    assert!(slowest < Duration::from_secs(2), "a lookup took {slowest:?}");
    let (calm_before, calm_during) = (median(before), median(during));
    assert!(
        calm_during <= calm_before * 2 + Duration::from_millis(100),
        "the calm agent's lookups slowed from {calm_before:?} to {calm_during:?}"
    );
    let peak = server.peak_memory_mib();
    assert!(peak < 256.0, "the server grew to {peak:.0} MiB");

    // The three that cannot be read are reported as failed; the absurd durations are read (they
    // are simply not believed) without a panic. Each was fetched once per agent: a failure is
    // cached, not retried on every lookup.
    let (status, listed) = request(&base, "GET", "/v1/me/calendars", None, Some(&hostile_agents[0].1));
    assert_eq!(status, 200);
    let statuses: Vec<&str> =
        listed["calendars"].as_array().unwrap().iter().map(|c| c["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, vec!["failed", "failed", "failed", "fresh"], "{listed}");
    for feed in &feeds {
        assert_eq!(feed.requests(), 4, "one fetch per agent");
    }
    println!(
        "calm lookups: median {calm_before:?} before, {calm_during:?} during; slowest lookup {slowest:?}; peak memory {peak:.0} MiB"
    );
    let _ = std::fs::remove_dir_all(&outbox);
}

//! The delivery at scale (R1, issue: reminders on time): 2,000 reminders falling due at once,
//! drained by one worker (one item after another, as before the fan-out) and by one worker per
//! due shard, on DynamoDB Local with mail written as `.eml` files; each recipient mailed exactly
//! once either way. A measurement, run by hand:
//! `cargo test --test api -- --ignored --nocapture drain::`

use std::sync::Arc;
use std::time::Instant;

use chrono::Duration;
use futures::stream::{self, StreamExt};
use integration_tests::client::Booking;
use integration_tests::{unique_address, TestApp};
use serde_json::json;
use shared::mail::Mailer;

const NOW: &str = "2027-03-24T08:00:00Z";
/// Every meeting at Monday 29 March, 10:00 in Rome: their reminders fall due together.
const START: &str = "2027-03-29T08:00:00Z";

/// `count` meetings at one time, one agent each, their invitations already out; the mail folder.
async fn due_at_once(app: &mut TestApp, count: usize) -> std::path::PathBuf {
    let folder = std::env::temp_dir().join(format!("drain-{}", shared::secrets::new_id()));
    app.deps.notifier.mailer = Mailer::Folder(folder.clone());
    let f = app.fixture("Europe/Rome").await;
    let app = &*app;
    let tokens: Vec<String> = stream::iter(0..count)
        .map(|k| {
            let f = &f;
            async move {
                let body = json!({ "name": format!("Agent {k}"), "email": format!("agent{k}@drain.example"), "pbx_id": f.pbx_id, "time_zone": "Europe/Rome" });
                let agent = app.call("POST", "/v1/agents", Some(&f.admin_key), Some(body)).await;
                let token = agent.body["token"].as_str().expect("an agent").to_string();
                let meeting = app.schedule(&token, &Booking::at(START, &unique_address("guest"))).await;
                assert_eq!(meeting.status, 201, "{:?}", meeting.body);
                token
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    assert_eq!(tokens.len(), count);
    app.deps.delivery().run_due().await.unwrap(); // anything left of the bookings' own mail
    folder
}

fn reminders_in(folder: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .map(|dir| {
            dir.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                .filter(|text| text.contains("Reminder:"))
                .collect()
        })
        .unwrap_or_default()
}

async fn drain(workers: usize) {
    let mut app = TestApp::at(NOW).await;
    let folder = due_at_once(&mut app, 2000).await;
    let app = Arc::new(app);
    // Five days on, at 09:50 on Monday: every reminder (15 minutes ahead, spread up to 90 s) is due.
    app.clock.advance(Duration::days(5) + Duration::minutes(110));
    let started = Instant::now();
    let mut runs = 0;
    loop {
        runs += 1;
        let report = app.deps.delivery().run_due_with(workers).await.unwrap();
        if report.claimed == 0 {
            break;
        }
    }
    let took = started.elapsed().as_secs_f64();
    let reminders = reminders_in(&folder);
    println!(
        "{workers:>2} worker(s): {} reminders in {took:.1} s over {} runs: {:.0} a second",
        reminders.len(),
        runs - 1,
        reminders.len() as f64 / took
    );
    // Exactly once: one reminder per recipient (each meeting's guest and agent).
    assert_eq!(reminders.len(), 4000, "2,000 meetings, a guest and an agent each");
    let mut to: Vec<String> =
        reminders.iter().filter_map(|text| text.lines().find(|l| l.starts_with("To:")).map(str::to_string)).collect();
    to.sort();
    let before = to.len();
    to.dedup();
    assert_eq!(to.len(), before, "nobody mailed twice");
    let _ = std::fs::remove_dir_all(folder);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run by hand"]
async fn two_thousand_reminders_drained_one_after_another() {
    drain(1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run by hand"]
async fn two_thousand_reminders_drained_by_a_worker_per_shard() {
    drain(16).await;
}

//! The whole API on localhost: every function's handler on its route, against the table named by
//! `TABLE_NAME` (DynamoDB Local via `AWS_ENDPOINT_URL_DYNAMODB`). On start it creates the table
//! if needed, seeds a demo tenant, PBX and agent, and prints how to use them.
//!
//! `SCHEDULER_START_AT=2027-03-20T08:00:00Z` starts the clock at that instant (then it runs at
//! real speed), so the demo can sit on a daylight-saving weekend. Lambda builds never read it.
//!
//! Mail is written as `.eml` files to `MAIL_OUTBOX_DIR` (default `outbox/`), events as lines of
//! `outbox/events.jsonl`; the dispatcher runs every `DISPATCH_INTERVAL_SECONDS` (default 10).
//!
//! `local-server --create-table` only creates the table and exits.

mod seed;
mod serve;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use shared::app::Notifier;
use shared::app::{Config, Deps};
use shared::clock::{Clock, ShiftedClock, SystemClock};
use shared::events::EventSink;
use shared::feeds::fetch::{FeedPolicy, Fetcher};
use shared::mail::{Links, Mailer};
use shared::secrets;
use shared::settings::Timeouts;
use shared::store::{table, Store};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    shared::http::telemetry::init();
    let clock: Arc<dyn Clock> = match std::env::var("SCHEDULER_START_AT") {
        Ok(text) => {
            let start: DateTime<Utc> = DateTime::parse_from_rfc3339(&text)
                .map_err(|e| format!("SCHEDULER_START_AT must be an RFC 3339 instant: {e}"))?
                .with_timezone(&Utc);
            Arc::new(ShiftedClock::starting_at(start))
        }
        Err(_) => Arc::new(SystemClock),
    };
    let table_name = std::env::var("TABLE_NAME").unwrap_or_else(|_| "meeting-scheduler-local".into());
    // The local profile: patient with DynamoDB Local on shared cores (see `settings`).
    let timeouts = Timeouts::from_env_over(Timeouts::local());
    let aws = shared::aws::sdk_config().await;
    let store = Store::lazy(shared::store::client_config(&aws, &timeouts).build(), table_name.clone());
    table::ensure_table(store.client(), &table_name).await?;
    // `--create-table`: only the table (for scripts that run a Lambda bootstrap against it).
    if std::env::args().any(|a| a == "--create-table") {
        return Ok(());
    }

    // The operator key is generated per run unless one is given; only its hash is kept.
    let operator_key = std::env::var("OPERATOR_KEY").unwrap_or_else(|_| secrets::new_secret());
    // Local runs read calendar feeds from loopback only: nothing local reaches another host.
    let feeds = Arc::new(Fetcher::new(FeedPolicy { local_only: true, ..FeedPolicy::from_env() }));
    let config = Config { operator_key_hash: Some(secrets::hash(&operator_key)), timeouts, ..Config::from_env() };

    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(3000);
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let base = format!("http://{}", listener.local_addr()?);

    let outbox = PathBuf::from(std::env::var("MAIL_OUTBOX_DIR").unwrap_or_else(|_| "outbox".into()));
    let notifier = Notifier {
        mailer: Mailer::Folder(outbox.clone()),
        events: EventSink::File(outbox.join("events.jsonl")),
        sender: std::env::var("SENDER_EMAIL").unwrap_or_else(|_| "Meeting Scheduler <noreply@scheduler.local>".into()),
        links: Links::fixed(base.clone()),
        // The scripts keep one per checkout, so the links in old emails still open after a restart.
        signer: match std::env::var("LINK_SIGNING_KEY") {
            Ok(key) if key.len() >= 32 => shared::signing::Signer::fixed(&key),
            _ => shared::signing::Signer::random(),
        },
    };
    let deps = Deps { store, clock, config, notifier, feeds };
    let interval: u64 = std::env::var("DISPATCH_INTERVAL_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    tokio::spawn(dispatch_forever(deps.clone(), Duration::from_secs(interval.max(1))));

    let demo = seed::demo(&deps, &operator_key).await?;
    // A closed stdout (nobody reading the banner) must not stop the server, so no `println!`.
    let banner = seed::instructions(&base, &operator_key, &demo, deps.clock.now(), &outbox, interval);
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(banner.as_bytes()).and_then(|_| stdout.flush());
    drop(stdout);

    serve::run(listener, deps).await
}

/// The local stand-in for the EventBridge schedule: deliver whatever is due and sweep the
/// retentions, again and again.
async fn dispatch_forever(deps: Deps, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        match deps.delivery().run_due().await {
            Ok(report) if report.claimed > 0 => tracing::info!(?report, "dispatcher run"),
            Ok(_) => {}
            Err(err) => tracing::warn!(%err, "dispatcher run failed"),
        }
        match shared::app::privacy::sweep_retention(&deps).await {
            Ok(swept) if swept.meetings > 0 => tracing::info!(?swept, "retention sweep"),
            Ok(_) => {}
            Err(err) => tracing::warn!(%err, "retention sweep failed"),
        }
    }
}

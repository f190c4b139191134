//! The whole API on localhost: every function's handler on its route, against the table named by
//! `TABLE_NAME` (DynamoDB Local via `AWS_ENDPOINT_URL_DYNAMODB`). On start it creates the table
//! if needed, seeds a demo tenant, PBX and agent, and prints how to use them.
//!
//! `SCHEDULER_START_AT=2027-03-20T08:00:00Z` starts the clock at that instant (then it runs at
//! real speed), so the demo can sit on a daylight-saving weekend. Lambda builds never read it.

mod seed;
mod serve;

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use shared::clock::{Clock, ShiftedClock, SystemClock};
use shared::http::deps::{Config, Deps};
use shared::secrets;
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
    let store = Store::from_env(table_name.clone()).await;
    table::ensure_table(store.client(), &table_name).await?;

    // The operator key is generated per run unless one is given; only its hash is kept.
    let operator_key = std::env::var("OPERATOR_KEY").unwrap_or_else(|_| secrets::new_secret());
    let config = Config { operator_key_hash: Some(secrets::hash(&operator_key)) };
    let deps = Deps { store, clock, config };

    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(3000);
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let base = format!("http://{}", listener.local_addr()?);

    let demo = seed::demo(&deps, &operator_key).await?;
    // A closed stdout (nobody reading the banner) must not stop the server, so no `println!`.
    let banner = seed::instructions(&base, &operator_key, &demo, deps.clock.now());
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(banner.as_bytes()).and_then(|_| stdout.flush());
    drop(stdout);

    serve::run(listener, deps).await
}

//! Any bytes as a feed: the reader must return (busy time or an error) without panicking, within
//! its own budget, whatever the input. libFuzzer reports a panic, an abort (stack overflow), a
//! run over `-timeout` or memory over `-rss_limit_mb` as a crash.

#![no_main]

use std::time::Duration;

use chrono::{DateTime, Utc};
use feed_reader::{busy_times, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let now = DateTime::<Utc>::from_timestamp(1_805_184_000, 0).expect("2027-03-15"); // a fixed "now"
    let horizon = (now - chrono::Duration::days(1))..(now + chrono::Duration::days(62));
    // The deployed limits, with the time budget the service gives one feed.
    let limits = Limits { time: Duration::from_secs(2), ..Limits::default() };
    if let Ok(busy) = busy_times(&text, chrono_tz::Europe::Rome, &horizon, &limits) {
        assert!(busy.len() <= limits.max_busy);
        assert!(busy.iter().all(|i| i.start < i.end));
    }
});

//! Every input the fuzzer was seeded with or ever crashed on (shared/feed-reader/fuzz/seeds and
//! regressions), read the way the service reads a feed: each must come back, busy time or an
//! error, without a panic and within the reader's time budget.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use feed_reader::{busy_times, Limits};

#[test]
fn every_kept_input_reads_without_a_panic_and_in_time() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let now = DateTime::<Utc>::from_timestamp(1_805_184_000, 0).unwrap();
    let horizon = (now - chrono::Duration::days(1))..(now + chrono::Duration::days(62));
    let limits = Limits::default();
    let mut read = 0;
    for folder in ["seeds", "regressions"] {
        for entry in std::fs::read_dir(dir.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            let started = Instant::now();
            let outcome = std::panic::catch_unwind(|| busy_times(&text, chrono_tz::Europe::Rome, &horizon, &limits));
            assert!(outcome.is_ok(), "{} panicked", path.display());
            assert!(
                started.elapsed() < limits.time + Duration::from_secs(1),
                "{} took {:?}",
                path.display(),
                started.elapsed()
            );
            read += 1;
        }
    }
    assert!(read >= 8, "read {read} kept inputs");
}

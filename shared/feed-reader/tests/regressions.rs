//! Every input the fuzzer was seeded with or ever crashed on (shared/feed-reader/fuzz/seeds and
//! regressions), through the fuzz target's own entry point: each must come back, busy time or an
//! error, without a panic, with the target's checks holding, and within the reader's time budget.
//! (Test threads have 2 MiB stacks against the fuzzer's 8 MiB, so an overflow shows here sooner.)

use std::time::{Duration, Instant};

use feed_reader::{read_any, Limits};

#[test]
fn every_kept_input_reads_without_a_panic_and_in_time() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let budget = Limits::default().time + Duration::from_secs(1);
    let mut read = 0;
    for folder in ["seeds", "regressions"] {
        for entry in std::fs::read_dir(dir.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let started = Instant::now();
            let outcome = std::panic::catch_unwind(|| read_any(&bytes));
            assert!(outcome.is_ok(), "{} panicked", path.display());
            assert!(started.elapsed() < budget, "{} took {:?}", path.display(), started.elapsed());
            read += 1;
        }
    }
    assert!(read >= 8, "read {read} kept inputs");
}

//! Any bytes as a feed: the reader must return (busy time or an error) without panicking, within
//! its own budget, whatever the input. libFuzzer reports a panic, an abort, a stack overflow, a
//! run over `-timeout` or memory over `-rss_limit_mb` as a crash.

#![no_main]

use libfuzzer_sys::fuzz_target;

/// `main` is libFuzzer's, so Rust's stack-overflow guard is never installed and libFuzzer's own
/// SIGSEGV handler would run on the overflowed stack and die without a report. Once libFuzzer
/// has installed its handlers (by the first input), give them a stack of their own.
fn report_stack_overflows() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| unsafe {
        const SIZE: usize = 1 << 16;
        let stack = Box::leak(vec![0u8; SIZE].into_boxed_slice());
        let alternate = libc::stack_t { ss_sp: stack.as_mut_ptr().cast(), ss_flags: 0, ss_size: SIZE };
        libc::sigaltstack(&alternate, std::ptr::null_mut());
        for signal in [libc::SIGSEGV, libc::SIGBUS] {
            let mut action: libc::sigaction = std::mem::zeroed();
            libc::sigaction(signal, std::ptr::null(), &mut action);
            action.sa_flags |= libc::SA_ONSTACK;
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    });
}

fuzz_target!(|data: &[u8]| {
    report_stack_overflows();
    let _ = feed_reader::read_any(data);
});

// Asks again every `seconds` while the tab is visible, and at once when it becomes visible again;
// never two requests at a time (the next wait starts when the last answer is in).

export function poller(work, seconds) {
  let timer = null;
  let running = false;
  let stopped = false;
  const visible = () => document.visibilityState === "visible";
  const schedule = () => {
    clearTimeout(timer);
    if (!stopped && visible()) timer = setTimeout(tick, seconds * 1000);
  };
  async function tick() {
    if (running || stopped) return;
    running = true;
    try {
      await work();
    } finally {
      running = false;
      schedule();
    }
  }
  const onVisibility = () => (visible() ? tick() : clearTimeout(timer));
  document.addEventListener("visibilitychange", onVisibility);
  schedule();
  return {
    // Asks now (unless a request is already out), then waits the full interval again.
    now: tick,
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    },
  };
}

// The time a code or a hold has left, as a guest reads it. Pure (no page, no clock of its own), so
// the browser test can check it at the edges.

// How long a hold (and a code) lasts at most (G2, G10).
export const HOLD_SECONDS = 600;

// Whole seconds left until `expiresAt` at `now` (both in milliseconds), rounded down: a countdown
// never shows more time than the server gives, nor more than a hold ever lasts.
export function secondsLeft(expiresAt, now) {
  return Math.min(HOLD_SECONDS, Math.max(0, Math.floor((expiresAt - now) / 1000)));
}

// "9:05"
export function clockText(seconds) {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

// The countdown a guest reads while a hold waits for its code (a defect seen in CI: "10:01 left"
// for a hold of ten minutes, because the seconds were rounded up against a clock known to the
// whole second). Pure: no browser needed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { clockText, secondsLeft } from "../../shared/src/http/pages/assets/countdown.js";

test("a countdown never shows more than the hold gives, nor more than ten minutes", () => {
  const now = Date.parse("2027-03-24T08:00:00.000Z");
  assert.equal(clockText(secondsLeft(now + 600_600, now)), "10:00", "rounded down, and never above ten minutes");
  assert.equal(clockText(secondsLeft(now + 599_999, now)), "9:59", "rounded down");
  assert.equal(clockText(secondsLeft(now + 61_000, now)), "1:01");
  assert.equal(secondsLeft(now - 5_000, now), 0, "over is over");
  for (let ms = 0; ms < 2_000; ms += 7) {
    const left = secondsLeft(now + 600_000 + ms, now);
    assert.ok(left <= 600 && left >= 599, `${ms} ms past: ${left}`);
  }
});

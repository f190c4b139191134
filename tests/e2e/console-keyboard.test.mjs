// The console from the keyboard alone (Tab, Shift+Tab, the arrows, Home/End and Enter: no
// clicks, no filling), and at a phone's width (390×844). See console.test.mjs for the demo data.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  ADA, BARBARA, BASE, PHONE, SHOTS, consolePage, focusOn, focused, go, latestCode, launch, newPage, noSideScroll, onScreen, tabTo,
} from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());

// Presses `key` until the focused element's name passes `done` (at most `limit` presses).
async function arrowUntil(page, key, done, limit = 40) {
  for (let i = 0; i < limit; i++) {
    const now = await focused(page);
    if (done(now.text)) return now;
    await page.keyboard.press(key);
  }
  assert.fail(`${key} never reached the wanted choice (at ${(await focused(page)).text})`);
}

test("from the keyboard alone: sign in, schedule a meeting, reschedule it, and answer in its conversation", async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/console#/inbox`);
  await page.getByRole("heading", { name: "Sign in to the console" }).waitFor();
  await tabTo(page, page.getByLabel("Work email address"));
  await page.keyboard.type(ADA);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Check your email" }).waitFor();
  assert.equal((await focused(page)).id, "code", "the code field takes the focus");
  await page.keyboard.type(latestCode(ADA).code);
  await page.keyboard.press("Enter");
  await onScreen(page, "#/inbox");

  // Schedule: the navigation, then the picker's day grid and time grid (one Tab stop each).
  await tabTo(page, page.getByRole("link", { name: "Schedule a meeting" }), { back: true });
  await page.keyboard.press("Enter");
  await onScreen(page, "#/schedule");
  await page.locator(".calendar .day:not([disabled])").first().waitFor();
  await tabTo(page, page.locator(".calendar .days button[tabindex='0']"));
  assert.equal(await page.locator(".calendar .days button[tabindex='0']").count(), 1, "one Tab stop in the day grid");
  await arrowUntil(page, "ArrowRight", (name) => name.startsWith("Friday 26 March"));
  await page.keyboard.press("Enter");
  assert.match((await focused(page)).text, /^\d\d:\d\d$/, "the first time of the day has the focus");
  await page.keyboard.press("End");
  assert.equal((await focused(page)).text, "17:30");
  await page.keyboard.press("Enter");
  assert.equal((await focused(page)).tag, "INPUT", "the form's first field takes the focus");
  await page.keyboard.type("Keyboard call");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Mary Jackson");
  await page.keyboard.press("Tab");
  await page.keyboard.type("mary@example.com");
  await tabTo(page, page.getByRole("button", { name: "Schedule", exact: true }));
  await page.keyboard.press("Enter");
  await page.getByText(/^Scheduled: Keyboard call, Friday,? 26 March 2027(,| at) 17:30 \(Europe\/Rome\)/).waitFor();
  await focusOn(page, "Open the meeting");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Keyboard call", level: 1 }).waitFor();

  // Reschedule: a week later (ArrowDown), then 10:00.
  await tabTo(page, page.getByRole("button", { name: "Reschedule" }));
  await page.keyboard.press("Enter");
  await page.locator(".calendar .day:not([disabled])").first().waitFor();
  await tabTo(page, page.locator(".calendar .days button[tabindex='0']"));
  assert.match((await focused(page)).text, /^Wednesday 24 March/, "the first free day holds the grid's Tab stop");
  await page.keyboard.press("ArrowDown");
  assert.match((await focused(page)).text, /^Wednesday 31 March/, "a week on");
  await page.keyboard.press("Enter");
  await arrowUntil(page, "ArrowRight", (name) => name === "10:00");
  await page.keyboard.press("Enter");
  assert.match((await focused(page)).text, /^Move to Wednesday,? 31 March 2027(,| at) 10:00/);
  await page.keyboard.press("Enter");
  await page.getByText("The meeting was moved.").waitFor();
  assert.match(await page.locator(".meeting-when").textContent(), /Wednesday,? 31 March 2027 at 10:00 \(Europe\/Rome\)/);

  // The meeting's conversation, from the inbox: a reply.
  await tabTo(page, page.getByRole("link", { name: "Inbox" }), { back: true });
  await page.keyboard.press("Enter");
  await onScreen(page, "#/inbox");
  await tabTo(page, page.getByRole("link", { name: "Mary Jackson" }));
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Mary Jackson", level: 1 }).waitFor();
  await tabTo(page, page.getByLabel(/Your message/));
  await page.keyboard.type("Hello Mary, see you on Wednesday.");
  await page.keyboard.press("Tab");
  assert.equal((await focused(page)).text, "Send");
  await page.keyboard.press("Enter");
  await page.locator(".timeline li.mine").filter({ hasText: "see you on Wednesday" }).waitFor();
  assert.deepEqual(page.errors, []);
});

test("from the keyboard alone: an admin opens an agent's deactivation form and backs out", async () => {
  const page = await consolePage(browser, BARBARA, "#/inbox");
  await tabTo(page, page.getByRole("link", { name: "Agents" }), { back: true });
  await page.keyboard.press("Enter");
  await onScreen(page, "#/admin/agents");
  const alan = page.locator("li", { has: page.getByRole("heading", { name: "Alan Turing" }) });
  await tabTo(page, alan.getByRole("button", { name: "Deactivate…" }));
  await page.keyboard.press("Enter");
  assert.equal(await alan.getByRole("button", { name: "Deactivate…" }).getAttribute("aria-expanded"), "true");
  assert.match((await focused(page)).text, /Hand them over/, "the form's first choice has the focus");
  await page.keyboard.press("ArrowDown");
  assert.equal(await alan.getByLabel(/Cancel them/).isChecked(), true, "the arrows choose");
  await tabTo(page, alan.getByRole("button", { name: "Deactivate…" }), { back: true });
  await page.keyboard.press("Enter");
  assert.equal(await alan.getByRole("button", { name: "Deactivate Alan Turing" }).count(), 0, "closed again");
});

const SCREENS = ["#/inbox", "#/meetings", "#/schedule", "#/availability", "#/calendars", "#/links"];
const ADMIN = ["#/admin/agents", "#/admin/pbxs", "#/admin/services", "#/admin/usage", "#/admin/keys", "#/admin/audit",
  "#/admin/suppressions", "#/admin/privacy"];

test("every screen fits a phone (390×844): no sideways scrolling, the navigation behind a menu button", async () => {
  const page = await consolePage(browser, ADA, "#/inbox", { viewport: PHONE });
  assert.equal(await page.locator("#nav").isVisible(), false, "the navigation is folded away");
  await tabTo(page, page.getByRole("button", { name: "Menu" }), { back: true });
  await page.keyboard.press("Enter");
  await page.getByRole("link", { name: "Meetings" }).waitFor();
  assert.equal((await focused(page)).text.startsWith("Inbox"), true, "the first link has the focus");
  await page.screenshot({ path: `${SHOTS}/phone-console-menu.png`, fullPage: true });
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await onScreen(page, "#/meetings");
  assert.equal(await page.locator("#nav").isVisible(), false, "the menu folds after choosing");
  for (const hash of SCREENS) {
    await go(page, hash);
    await noSideScroll(page);
    await page.screenshot({ path: `${SHOTS}/phone-console-${hash.slice(2).replaceAll("/", "-")}.png`, fullPage: true });
  }
  // A meeting with the picker open, and a conversation.
  await go(page, "#/meetings");
  await page.locator(".meeting-item a").first().click();
  await page.getByRole("button", { name: "Reschedule" }).click();
  await page.locator(".calendar .day:not([disabled])").first().waitFor();
  await noSideScroll(page);
  await page.screenshot({ path: `${SHOTS}/phone-console-meeting.png`, fullPage: true });
  await go(page, "#/inbox");
  await page.locator(".inbox-list a").first().click();
  await page.locator(".timeline li").first().waitFor();
  await noSideScroll(page);
  await page.screenshot({ path: `${SHOTS}/phone-console-conversation.png`, fullPage: true });

  const admin = await consolePage(browser, BARBARA, "#/admin/agents", { viewport: PHONE });
  for (const hash of ADMIN) {
    await go(admin, hash);
    await noSideScroll(admin);
    await admin.screenshot({ path: `${SHOTS}/phone-console-${hash.slice(2).replaceAll("/", "-")}.png`, fullPage: true });
  }
  assert.deepEqual(page.errors, []);
  assert.deepEqual(admin.errors, []);
});

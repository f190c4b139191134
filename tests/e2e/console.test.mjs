// The agents' console (AC1-AC4) in headless Chromium against the local server (clock on
// Wednesday 2027-03-24 08:00 UTC). The demo tenant "Demo Co": Ada Lovelace (ada@demo.example,
// page `demo`, Europe/Rome, Mon-Fri 09-13 and 14-18) and Alan Turing, static members of Sales;
// Barbara Liskov (admin@demo.example), an admin; and "Quarterly review", a meeting Ada scheduled
// with Grace Hopper on Friday 26 March 11:00 Rome, whose conversation waits in the Sales queue.
//
// Sign-in codes are read from the outbox, as an agent reads their email; each agent signs in on
// the screen once per run and later tests reuse that session (codes are bounded per address).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import {
  ADA, ALAN, BARBARA, BASE, OUTBOX, SHOTS, consoleApi, consolePage, consoleScreen, go, guestPage, launch, latestCode, latestMail,
  linkIn, newPage, onScreen, openBooking, signInConsole,
} from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());

const GRACE = "grace@demo.example";

test("an agent signs in with the emailed code; a wrong code says how many tries are left; the hash survives the sign-in", async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/console#/conversations/00000000000000000000`);
  await page.getByRole("heading", { name: "Sign in to the console" }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), "sign-in-heading", "the sign-in's heading has the focus");
  await page.getByLabel("Work email address").fill(ALAN);
  await page.getByRole("button", { name: "Send me a code" }).click();
  await page.getByRole("heading", { name: "Check your email" }).waitFor();
  assert.match(await page.locator("#verify-sent").textContent(), /If alan@demo\.example is an agent's address, we sent it a six-digit code/);
  const { code } = latestCode(ALAN);
  const wrong = code === "000000" ? "111111" : "000000";
  await page.getByLabel("Code").fill(wrong);
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: /tr(y|ies) left/ }).waitFor();
  await page.screenshot({ path: `${SHOTS}/console-sign-in-wrong-code.png`, fullPage: true });
  await page.getByLabel("Code").fill(code);
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  // The email's link named a conversation: it opens after the sign-in (here one that is not his).
  await onScreen(page, "#/conversations/00000000000000000000");
  await page.getByRole("heading", { name: "Conversation not found", level: 1 }).waitFor();
  await page.getByText("Alan Turing").first().waitFor();
  assert.equal(await page.getByRole("link", { name: "Agents" }).count(), 0, "no admin screens for an agent");

  // Signing out ends the session: the console asks to sign in again, and the API refuses the cookie.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in to the console" }).waitFor();
  await page.getByText("You are signed out.").waitFor();
  const me = await page.evaluate(async () => (await fetch("/v1/console/me")).status);
  assert.equal(me, 401);
  assert.deepEqual(page.errors, []);
});

test("an agent takes a waiting conversation from the service queue and answers the guest", async () => {
  const page = await consolePage(browser, ALAN, "#/inbox");
  const queue = page.getByRole("region", { name: "Waiting in your services' queues" });
  await queue.getByRole("link", { name: "Grace Hopper", exact: true }).waitFor();
  assert.equal(await page.getByRole("region", { name: "Yours" }).getByRole("link", { name: "Grace Hopper", exact: true }).count(), 0);
  await page.screenshot({ path: `${SHOTS}/console-inbox.png`, fullPage: true });
  await queue.getByRole("link", { name: "Grace Hopper", exact: true }).click();
  await page.getByRole("heading", { name: "Grace Hopper", level: 1 }).waitFor();
  await page.getByText("This conversation waits in a service you serve").waitFor();
  assert.equal(await page.getByLabel(/Your message/).isVisible(), false, "a colleague reads, but cannot write before taking it");
  assert.match(await page.locator(".timeline li.system").first().textContent(), /Meeting booked: “Quarterly review” on Fri,? 26 Mar 2027, 11:00 \(Europe\/Rome\)/,
    "the system line on the agent's clock");

  await page.getByRole("button", { name: "Assign to me" }).click();
  await page.getByText("The conversation is assigned to you.").waitFor();
  await page.getByText("Assigned to you.", { exact: true }).waitFor();
  await page.locator(".timeline li.system").filter({ hasText: "assigned to Alan Turing" }).waitFor();
  await page.getByLabel(/Your message/).fill("Hello Grace, Alan from Sales here. Ada asked me to prepare the numbers.");
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator(".timeline li.mine").filter({ hasText: "prepare the numbers" }).waitFor();
  await page.screenshot({ path: `${SHOTS}/console-conversation.png`, fullPage: true });

  // The conversation is his now: in "Yours", no longer waiting.
  await page.getByRole("link", { name: "Inbox" }).click();
  await onScreen(page, "#/inbox");
  await page.getByRole("region", { name: "Yours" }).getByRole("link", { name: "Grace Hopper", exact: true }).waitFor();

  // Grace reads the answer on her conversation page (the link in her invitation).
  const invitation = latestMail(GRACE, /^Subject: Meeting booked: Quarterly review/);
  const link = linkIn(invitation, /Conversation: (https?:\/\/\S+\/c\/[0-9a-f]{40}\?token=cvm_[A-Za-z0-9_]+)/);
  const grace = await guestPage(browser);
  await grace.goto(`${BASE}${link.pathname}${link.search}`);
  await grace.locator(".timeline li").filter({ hasText: "Alan from Sales here" }).waitFor();
  assert.deepEqual(page.errors, []);
  assert.deepEqual(grace.errors, []);
});

test("an agent reschedules a meeting with the slot picker, and the guest's manage page shows the new time", async () => {
  const page = await consolePage(browser, ADA, "#/meetings");
  await page.getByRole("heading", { name: "Friday, 26 March 2027", level: 2 }).waitFor();
  await page.screenshot({ path: `${SHOTS}/console-meetings.png`, fullPage: true });
  await page.getByRole("link", { name: "Quarterly review" }).click();
  await page.getByRole("heading", { name: "Quarterly review", level: 1 }).waitFor();
  assert.match(await page.locator(".meeting-when").textContent(), /Friday,? 26 March 2027 at 11:00 \(Europe\/Rome\)/);
  await page.getByRole("button", { name: "Reschedule" }).click();
  await page.locator(".calendar .day:not([disabled])").first().waitFor();
  await page.getByRole("button", { name: /^Thursday 25 March,/ }).click();
  await page.getByRole("button", { name: "16:00", exact: true }).click();
  await page.screenshot({ path: `${SHOTS}/console-meeting-reschedule.png`, fullPage: true });
  await page.getByRole("button", { name: /^Move to Thursday,? 25 March 2027/ }).click();
  await page.getByText("The meeting was moved.").waitFor();
  assert.match(await page.locator(".meeting-when").textContent(), /Thursday,? 25 March 2027 at 16:00 \(Europe\/Rome\)/);

  // Its duration too.
  await page.getByLabel("Change the duration").selectOption("45");
  await page.getByRole("button", { name: "Save duration" }).click();
  await page.getByText("The duration was changed.").waitFor();

  // Grace's manage link (from her invitation) shows the new time, on her clock (New York).
  const invitation = latestMail(GRACE, /^Subject: Meeting booked: Quarterly review/);
  const manage = linkIn(invitation, /(https?:\/\/\S+\/b\/manage\/[0-9a-f]{20}\?token=mng_[A-Za-z0-9_]+)/);
  const grace = await guestPage(browser);
  await grace.goto(`${BASE}${manage.pathname}${manage.search}`);
  await grace.getByRole("heading", { name: "Quarterly review" }).waitFor();
  assert.match(await grace.locator(".meeting-when").textContent(), /Thursday,? 25 March 2027 at 11:00 \(America\/New York\)/);
  assert.equal(await grace.locator(".meeting-duration").textContent(), "45 minutes");
  assert.deepEqual(page.errors, []);
});

test("an agent edits Tuesday's hours, sees the preview before saving, and the guest's slots change", async () => {
  const page = await consolePage(browser, ADA, "#/availability");
  const tuesday = page.getByRole("group", { name: "Tuesday" });
  await tuesday.getByLabel("From").first().fill("10:00");
  await tuesday.getByLabel("From").first().press("Tab");
  await tuesday.getByLabel("To").first().fill("12:00");
  await tuesday.getByLabel("To").first().press("Tab");
  await tuesday.getByRole("button", { name: "Remove Tuesday 14:00 to 18:00" }).click();
  const preview = page.locator(".preview").first().locator("p").filter({ hasText: /^Tuesday:/ });
  await preview.filter({ hasText: "7 times, 10:00, 10:15, 10:30, 10:45, 11:00, 11:15, 11:30" }).waitFor();
  await page.getByText(/not saved yet/).waitFor();
  await page.screenshot({ path: `${SHOTS}/console-availability-preview.png`, fullPage: true });

  // Only Tuesday is sent, as a merge patch.
  const sent = page.waitForRequest((r) => r.url().endsWith("/v1/me/availability") && r.method() === "PATCH");
  await page.getByRole("button", { name: "Save changes" }).click();
  assert.deepEqual(JSON.parse((await sent).postData()), { weekly_hours: { tuesday: [{ start: "10:00", end: "12:00" }] } });
  await page.getByText("Saved: Tuesday hours.").waitFor();
  await page.getByText(/Tuesday, 30 March 2027: \d+ free, 10:00/).waitFor();

  // A guest in Rome sees Tuesday's new hours, and Monday's as they were.
  const guest = await guestPage(browser, undefined, { timezoneId: "Europe/Rome" });
  await openBooking(guest);
  await guest.getByRole("button", { name: /^Tuesday 30 March,/ }).click();
  const times = await guest.locator(".times button").allTextContents();
  assert.ok(times.length > 0 && times.every((t) => t >= "10:00" && t <= "11:30"), `Tuesday's times are 10:00-11:30: ${times}`);
  await guest.getByRole("button", { name: /^Monday 29 March,/ }).click();
  assert.ok((await guest.locator(".times button").allTextContents()).includes("17:30"), "Monday keeps its afternoon");

  // Back as it was (the other tests book Tuesdays).
  const restored = await consoleApi(page, "PATCH", "/v1/me/availability",
    { weekly_hours: { tuesday: [{ start: "09:00", end: "13:00" }, { start: "14:00", end: "18:00" }] } });
  assert.equal(restored.status, 200);
  assert.deepEqual(page.errors, []);
});

test("an agent creates a date-limited booking link and copies it (Clipboard API, and the fallback)", async () => {
  const page = await consolePage(browser, ADA, "#/links", { permissions: ["clipboard-read", "clipboard-write"] });
  const form = page.getByRole("region", { name: "New link" });
  await form.getByLabel(/^Address/).fill("ada-april");
  await form.getByLabel(/^First date/).fill("2027-04-05");
  await form.getByLabel(/^Last date/).fill("2027-04-09");
  await form.getByRole("button", { name: "Create the link" }).click();
  await page.getByText(/The link .*\/b\/ada-april was created\./).waitFor();
  const item = page.locator("[data-slug='ada-april']");
  await item.getByText("Monday, 5 April 2027 to Friday, 9 April 2027 · every duration").waitFor();
  assert.equal(await item.getByRole("button", { name: "Copy link" }).evaluate((b) => b === document.activeElement), true,
    "the new link's copy button has the focus");
  await item.getByRole("button", { name: "Copy link" }).click();
  await item.getByText("Copied to the clipboard.").waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, `${BASE}/b/ada-april`);
  await page.screenshot({ path: `${SHOTS}/console-links.png`, fullPage: true });

  // Without the Clipboard API the address is selected, for Ctrl+C.
  const bare = await consolePage(browser, ADA, "#/links");
  await bare.evaluate(() => Object.defineProperty(navigator, "clipboard", { value: undefined, configurable: true }));
  const row = bare.locator("[data-slug='ada-april']");
  await row.getByRole("button", { name: "Copy link" }).click();
  await row.getByText(/Press Ctrl\+C/).waitFor();
  const selected = await row.getByRole("textbox", { name: "Link ada-april" }).evaluate((i) => document.activeElement === i && i.selectionStart === 0 && i.selectionEnd === i.value.length);
  assert.ok(selected, "the address is selected");

  // The guest's page of the link offers 5-9 April only.
  const guest = await guestPage(browser);
  await guest.goto(`${BASE}/b/ada-april`);
  await guest.getByRole("heading", { name: "Ada Lovelace" }).waitFor();
  await guest.getByText("No free times this month.").waitFor();
  await guest.getByRole("button", { name: "Next month" }).click();
  await guest.getByRole("heading", { name: "April 2027" }).waitFor();
  await guest.locator(".day:not([disabled])").first().waitFor();
  const days = await guest.locator(".day:not([disabled])").allTextContents();
  assert.deepEqual(days, ["5", "6", "7", "8", "9"]);
  assert.deepEqual(page.errors, []);
});

test("an admin adds an agent to Sales, and deactivates them with hand-over: the report names who took each meeting", async () => {
  const page = await consolePage(browser, BARBARA, "#/admin/agents");
  assert.equal(await page.getByRole("link", { name: "Agents" }).getAttribute("aria-current"), "page");
  await page.getByLabel("Name", { exact: true }).fill("Tess Temporary");
  await page.getByLabel("Email", { exact: true }).fill("tess.temp@demo.example");
  await page.getByRole("button", { name: "Add the agent" }).click();
  await page.getByText("Tess Temporary was added.", { exact: false }).waitFor();
  const token = await page.getByLabel("API token of Tess Temporary").inputValue();
  assert.match(token, /^agt_/, "the token is shown once");
  await page.screenshot({ path: `${SHOTS}/console-admin-agent-added.png`, fullPage: true });

  // Into Sales, as a static member (so a colleague there can take her meetings).
  await go(page, "#/admin/services");
  const sales = page.locator("li", { has: page.getByRole("heading", { name: "Sales", level: 3 }) });
  await sales.getByLabel("Agent").selectOption({ label: "Tess Temporary" });
  await sales.getByRole("button", { name: "Add the member" }).click();
  await page.getByText("Tess Temporary joined Sales (static).").waitFor();

  // She has a meeting on Monday (scheduled through the API with her token).
  const agents = await consoleApi(page, "GET", "/v1/agents");
  const tess = agents.body.agents.find((a) => a.email === "tess.temp@demo.example");
  const slots = await (await fetch(`${BASE}/v1/book/${tess.slug}/slots?from=2027-03-29&to=2027-03-29&time_zone=Europe/Rome`)).json();
  const start = slots.slots.find((s) => s.local_start.includes("T15:00")).start;
  const scheduled = await fetch(`${BASE}/v1/me/meetings`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
    body: JSON.stringify({ subject: "Handover check", start, name: "Hedy Lamarr", email: "hedy@example.com" }),
  });
  assert.equal(scheduled.status, 201);

  await go(page, "#/admin/agents");
  const card = page.locator(`li[data-agent='${tess.id}']`);
  await card.getByRole("button", { name: "Deactivate…" }).click();
  await card.getByLabel(/Hand them over/).check();
  page.once("dialog", (dialog) => dialog.accept());
  await card.getByRole("button", { name: "Deactivate Tess Temporary" }).click();
  const report = page.getByRole("region", { name: "Tess Temporary was deactivated" });
  await report.waitFor();
  await report.getByText("Done.").waitFor();
  await report.getByText(/Services left: Sales\./).waitFor();
  const row = report.getByRole("row").filter({ hasText: "Handed over" });
  await row.waitFor();
  assert.match(await row.textContent(), /Mon,? 29 Mar 2027, 15:00 \(Europe\/Rome\).*Handed over.*to (Ada Lovelace|Alan Turing)/);
  await page.screenshot({ path: `${SHOTS}/console-admin-deactivated.png`, fullPage: true });
  await page.locator(`li[data-agent='${tess.id}']`).getByRole("button", { name: "Reactivate" }).waitFor();
  assert.deepEqual(page.errors, []);
});

test("an agent schedules a meeting for an external person from their free slots", async () => {
  const page = await consolePage(browser, ADA, "#/schedule");
  await page.locator(".calendar .day:not([disabled])").first().waitFor();
  await page.getByRole("button", { name: /^Wednesday 31 March,/ }).click();
  await page.getByRole("button", { name: "15:00", exact: true }).click();
  await page.getByLabel("Subject").fill("Onboarding");
  await page.getByLabel("Their name").fill("Katherine Johnson");
  await page.getByLabel("Their email").fill("katherine@example.com");
  await page.getByRole("button", { name: "Schedule", exact: true }).click();
  await page.getByText(/^Scheduled: Onboarding, Wednesday,? 31 March 2027(,| at) 15:00 \(Europe\/Rome\)/).waitFor();
  await page.getByRole("link", { name: "Open the meeting" }).click();
  await page.getByRole("heading", { name: "Onboarding", level: 1 }).waitFor();
  assert.ok(latestMail("katherine@example.com", /^Subject: Meeting booked: Onboarding/), "the guest is invited");
  await consoleScreen(page, "Onboarding");
  assert.deepEqual(page.errors, []);
});

test("the inbox refreshes by itself, one request at a time, without a reload", async () => {
  const page = await consolePage(browser, ADA, "#/inbox");
  await page.getByRole("region", { name: "Yours" }).getByRole("link", { name: "Katherine Johnson" }).waitFor();
  let inFlight = 0;
  let most = 0;
  const inbox = (request) => new URL(request.url()).pathname === "/v1/me/conversations";
  page.on("request", (r) => { if (inbox(r)) most = Math.max(most, ++inFlight); });
  page.on("requestfinished", (r) => { if (inbox(r)) inFlight -= 1; });
  page.on("requestfailed", (r) => { if (inbox(r)) inFlight -= 1; });
  await page.evaluate(() => { window.notReloaded = true; });

  // Katherine writes from her invitation's conversation link.
  const invitation = latestMail("katherine@example.com", /^Subject: Meeting booked: Onboarding/);
  const link = linkIn(invitation, /Conversation: (https?:\/\/\S+\/c\/[0-9a-f]{40}\?token=cvm_[A-Za-z0-9_]+)/);
  const id = link.pathname.split("/").pop().slice(20);
  const wrote = await fetch(`${BASE}/v1/conversations/${id}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${link.searchParams.get("token")}`, "content-type": "application/json" },
    body: JSON.stringify({ text: "Katherine here: could we start at 15:30 instead?" }),
  });
  assert.equal(wrote.status, 201);

  // Coming back to the tab asks at once (the next ask would come within 20 s anyway); five such
  // returns in a row still make one request at a time.
  await page.evaluate(() => { for (let i = 0; i < 5; i++) document.dispatchEvent(new Event("visibilitychange")); });
  const item = page.locator(".inbox-item", { has: page.getByRole("link", { name: "Katherine Johnson" }) });
  await item.getByText("Katherine here: could we start at 15:30 instead?", { exact: false }).waitFor();
  await item.getByText(/\d+ unread/).waitFor();
  await page.locator("#nav-unread").getByText(/\d+ unread/).waitFor();
  assert.equal(most, 1, "never two inbox requests at once");
  assert.equal(await page.evaluate(() => window.notReloaded), true, "the page was not reloaded");
  assert.deepEqual(page.errors, []);
});

test("when an admin ends an agent's sessions, the agent's console asks them to sign in again", async () => {
  const page = await newPage(browser);
  await signInConsole(page, ALAN, "#/meetings");
  await onScreen(page, "#/meetings");
  const admin = await consolePage(browser, BARBARA, "#/admin/agents");
  const card = admin.locator("li", { has: admin.getByRole("heading", { name: "Alan Turing" }) });
  await card.getByRole("button", { name: "End console sessions" }).click();
  await admin.getByText("Every console session of Alan Turing has ended.").waitFor();
  // The cached session of this run ended too: the next test to need Alan signs in again.
  rmSync(join(OUTBOX, `console-session-${ALAN}.json`), { force: true });

  await page.getByRole("link", { name: "Calendars" }).click();
  await page.getByRole("heading", { name: "Sign in to the console" }).waitFor();
  await page.getByText("Your session has ended. Please sign in again.").waitFor();
  assert.equal(new URL(page.url()).hash, "#/calendars", "the screen asked for is kept for after the sign-in");
  assert.equal(await page.locator("#nav").isVisible(), false);
  assert.deepEqual(page.errors, []);
});

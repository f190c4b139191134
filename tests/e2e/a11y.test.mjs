// Accessibility: axe-core's WCAG 2.1 A and AA rules (wcag2a, wcag2aa, wcag21a, wcag21aa) find
// nothing on any screen and state of the console, nor on any guest page (booking, the code
// step, booked, manage, confirm, conversation, sign-in, unsubscribe). The pages' CSP would block
// the injected axe-core, so these contexts alone are made with `bypassCSP: true`. Screenshots of
// each state go to E2E_SCREENSHOTS.
//
// The guest bookings here take times the other tests leave free: Thursday 25 March 12:00 and
// Friday 26 March 09:00 in New York (17:00 and 14:00 in Rome).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  ADA, BARBARA, BASE, PHONE, SHOTS, assertAccessible, consolePage, enterCode, fill, go, latestCode, latestMail, launch, linkIn,
  newPage, openBooking, pick,
} from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());

const scanned = (page) => page.context().close();

async function check(page, what, shot) {
  await assertAccessible(page, what);
  if (shot) await page.screenshot({ path: `${SHOTS}/${shot}.png`, fullPage: true });
}

test("the guest pages: booking, the code step, booked, manage, conversation, unsubscribe, confirm and sign-in", async () => {
  const page = await newPage(browser, { bypassCSP: true });
  await openBooking(page);
  await check(page, "booking page");
  await pick(page, "Thursday 25 March", "12:00");
  await fill(page, { subject: "Accessible call", name: "Ally Axe", email: "ally@example.com" });
  await check(page, "booking page, a time picked and the details form", "a11y-booking-details");
  await page.getByRole("button", { name: "Schedule" }).click();
  await page.getByRole("heading", { name: "Check your email" }).waitFor();
  await check(page, "booking page, the code step");
  await page.getByLabel("Code").fill("000000");
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await page.getByRole("alert").waitFor();
  await check(page, "booking page, a wrong code");
  await enterCode(page, "ally@example.com");
  await page.getByRole("heading", { name: "Your meeting is booked" }).waitFor();
  await check(page, "booking page, booked");

  const invitation = latestMail("ally@example.com", /^Subject: Meeting booked: Accessible call/);
  const manage = linkIn(invitation, /(https?:\/\/\S+\/b\/manage\/[0-9a-f]{20}\?token=mng_[A-Za-z0-9_]+)/);
  await page.goto(`${BASE}${manage.pathname}${manage.search}`);
  await page.getByRole("heading", { name: "Accessible call" }).waitFor();
  await check(page, "manage page");
  await page.getByRole("button", { name: "Reschedule" }).click();
  await page.locator(".card .calendar .day:not([disabled])").first().waitFor();
  await page.locator(".card .calendar .day:not([disabled])").first().click();
  await check(page, "manage page, the picker open", "a11y-manage-picker");

  const conversation = linkIn(invitation, /Conversation: (https?:\/\/\S+\/c\/[0-9a-f]{40}\?token=cvm_[A-Za-z0-9_]+)/);
  await page.goto(`${BASE}${conversation.pathname}${conversation.search}`);
  await page.locator(".timeline li.system").first().waitFor();
  await check(page, "conversation page");

  const unsubscribe = linkIn(invitation, /Stop emails about this conversation: (https?:\/\/\S+\/v1\/unsubscribe\/uns_[A-Za-z0-9_]+)/);
  await page.goto(`${BASE}${unsubscribe.pathname}`);
  await page.getByRole("heading", { name: "Stop emails about this conversation" }).waitFor();
  await check(page, "unsubscribe page");
  await page.getByRole("button", { name: "Stop these emails" }).click();
  await page.getByRole("heading", { name: "Done" }).waitFor();
  await check(page, "unsubscribe page, done");

  // A hold's one-click confirmation page (its time stays held until it lapses).
  const holder = await newPage(browser, { bypassCSP: true });
  await openBooking(holder);
  await pick(holder, "Friday 26 March", "09:00");
  await fill(holder, { subject: "Held call", name: "Holly Hold", email: "holly@example.com" });
  await holder.getByRole("button", { name: "Schedule" }).click();
  await holder.getByRole("heading", { name: "Check your email" }).waitFor();
  const confirm = linkIn(latestCode("holly@example.com").mail, /(https?:\/\/[^\s"<>]+\/b\/confirm\/[0-9a-f]+\?token=hld_[A-Za-z0-9_]+)/);
  await holder.goto(`${BASE}${confirm.pathname}${confirm.search}`);
  await holder.getByRole("heading", { name: "Confirm your booking" }).waitFor();
  await check(holder, "confirm page");

  // A guest's one-click sign-in page.
  const asked = await fetch(`${BASE}/v1/guest/sign-in`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ slug: "demo", email: "ally@example.com" }),
  });
  assert.equal(asked.status, 202);
  const signIn = linkIn(latestCode("ally@example.com").mail, /(https?:\/\/[^\s"<>]+\/b\/sign-in\/[0-9a-f]+\?token=sgn_[A-Za-z0-9_]+)/);
  await holder.goto(`${BASE}${signIn.pathname}${signIn.search}`);
  await holder.getByRole("heading", { name: "Sign in" }).waitFor();
  await check(holder, "sign-in page");
  await holder.getByRole("button", { name: "Sign me in" }).click();
  await holder.getByRole("heading", { name: "You are signed in" }).waitFor();
  await check(holder, "sign-in page, signed in");
  assert.deepEqual(page.errors, []);
  assert.deepEqual(holder.errors, []);
  await scanned(page);
  await scanned(holder);
});

test("the console's sign-in: the address, the code step, a wrong code", async () => {
  const page = await newPage(browser, { bypassCSP: true });
  await page.goto(`${BASE}/console#/inbox`);
  await page.getByRole("heading", { name: "Sign in to the console" }).waitFor();
  await check(page, "console sign-in", "console-sign-in");
  await page.getByRole("button", { name: "Send me a code" }).click();
  await page.getByRole("alert").getByText("Please enter your work email address.").waitFor();
  await check(page, "console sign-in, no address");
  // Not an agent's address: answered like any other, and no code is sent.
  await page.getByLabel("Work email address").fill("nobody@example.com");
  await page.getByRole("button", { name: "Send me a code" }).click();
  await page.getByRole("heading", { name: "Check your email" }).waitFor();
  await check(page, "console sign-in, the code step", "console-sign-in-code");
  await page.getByLabel("Code").fill("123456");
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await page.getByRole("alert").waitFor();
  await check(page, "console sign-in, a refused code");
  await scanned(page);
});

test("every agent screen and its states", async () => {
  const page = await consolePage(browser, ADA, "#/inbox", { bypassCSP: true });
  await page.locator(".inbox-list a").first().waitFor();
  await check(page, "inbox", "console-inbox-ada");

  await page.locator(".inbox-list a").first().click();
  await page.locator(".timeline li").first().waitFor();
  await check(page, "conversation");
  await page.getByRole("button", { name: "Rename" }).click();
  await page.getByLabel(/New title/).waitFor();
  await check(page, "conversation, renaming");
  await page.getByLabel(/Your message/).fill("");
  await page.getByRole("button", { name: "Send" }).click();
  await page.getByRole("alert").getByText("Please write a message first.").waitFor();
  await check(page, "conversation, an empty message refused", "console-conversation-ada");

  await go(page, "#/meetings");
  await check(page, "meetings");
  await page.locator(".meeting-item a").first().click();
  await page.getByRole("button", { name: "Reschedule" }).waitFor();
  await check(page, "meeting");
  await page.getByRole("button", { name: "Reschedule" }).click();
  await page.locator(".calendar .day:not([disabled])").first().click();
  await page.locator(".calendar .times button").first().click();
  await page.getByRole("button", { name: /^Move to/ }).waitFor();
  await check(page, "meeting, a new time picked", "console-meeting");

  await go(page, "#/schedule");
  await page.locator(".calendar .day:not([disabled])").first().waitFor();
  await check(page, "schedule");
  await page.locator(".calendar .day:not([disabled])").first().click();
  await page.locator(".calendar .times button").first().click();
  await page.getByRole("button", { name: "Schedule", exact: true }).click();
  await page.getByRole("alert").getByText("Please fill in the subject.").waitFor();
  await check(page, "schedule, the form with a missing field", "console-schedule");

  await go(page, "#/availability");
  await check(page, "availability");
  await page.getByRole("group", { name: "Saturday" }).getByRole("button", { name: "Add hours" }).click();
  await page.getByLabel("Date", { exact: true }).fill("2027-04-02");
  await page.getByRole("button", { name: "Add the date" }).click();
  await page.getByRole("group", { name: "Friday, 2 April 2027" }).waitFor();
  await page.getByText(/not saved yet/).waitFor();
  await check(page, "availability, edited with its preview", "console-availability");

  await go(page, "#/calendars");
  await check(page, "calendars");
  await page.getByRole("button", { name: "Make a new feed address" }).click();
  await page.getByLabel("Feed address").waitFor();
  await check(page, "calendars, the feed address shown once", "console-calendars");

  await go(page, "#/links");
  await check(page, "links");
  await page.getByRole("region", { name: "New link" }).getByLabel(/^Address/).fill("a11y-check");
  await page.getByRole("button", { name: "Create the link" }).click();
  const item = page.locator("[data-slug='a11y-check']");
  await item.getByRole("button", { name: "Change limits" }).click();
  await item.getByLabel(/^First date/).waitFor();
  await check(page, "links, one being changed", "console-links-edit");

  await go(page, "#/admin/agents");
  await page.getByText("Only the tenant's admins see this screen.").waitFor();
  await check(page, "an admin screen, to an agent");
  await page.evaluate(() => { location.hash = "#/nowhere"; });
  await page.getByText("There is no such screen.").waitFor();
  await check(page, "no such screen");
  assert.deepEqual(page.errors, []);
  await scanned(page);

  const phone = await consolePage(browser, ADA, "#/inbox", { bypassCSP: true, viewport: PHONE });
  await phone.getByRole("button", { name: "Menu" }).click();
  await phone.getByRole("link", { name: "Meetings" }).waitFor();
  await check(phone, "the phone's menu, open");
  await scanned(phone);
});

test("every admin screen and its states", async () => {
  const page = await consolePage(browser, BARBARA, "#/admin/agents", { bypassCSP: true });
  await check(page, "agents", "console-admin-agents");
  const alan = page.locator("li", { has: page.getByRole("heading", { name: "Alan Turing" }) });
  await alan.getByRole("button", { name: "Edit" }).click();
  await alan.getByLabel("Name", { exact: true }).waitFor();
  await check(page, "agents, editing one");
  await alan.getByRole("button", { name: "Deactivate…" }).click();
  await alan.getByRole("button", { name: "Deactivate Alan Turing" }).waitFor();
  await check(page, "agents, the deactivation form", "console-admin-deactivate-form");
  const barbara = page.locator("li", { has: page.getByRole("heading", { name: "Barbara Liskov" }) });
  page.once("dialog", (dialog) => dialog.accept());
  await barbara.getByRole("button", { name: "New API token" }).click();
  await page.getByLabel("API token of Barbara Liskov").waitFor();
  await check(page, "agents, a token shown once");

  for (const [hash, ready, shot] of [
    ["#/admin/pbxs", "Rome office", "console-admin-pbxs"],
    ["#/admin/services", "Sales", "console-admin-services"],
    ["#/admin/usage", "Bookings counted for billing", "console-admin-usage"],
    ["#/admin/keys", /^Made /, "console-admin-keys"],
    ["#/admin/audit", "Admin actions", "console-admin-audit"],
    ["#/admin/suppressions", "ally@example.com", "console-admin-suppressions"],
    ["#/admin/privacy", "Guest's email address", null],
  ]) {
    await go(page, hash);
    await page.getByText(ready).first().waitFor();
    await check(page, hash, shot);
  }
  await page.getByRole("button", { name: "Show what we hold" }).click();
  await page.getByRole("alert").waitFor();
  await check(page, "privacy, no address");
  await page.getByLabel("Guest's email address").fill("grace@demo.example");
  await page.getByRole("button", { name: "Show what we hold" }).click();
  await page.getByRole("heading", { name: "What we hold about grace@demo.example" }).waitFor();
  await check(page, "privacy, an export", "console-admin-privacy");

  await go(page, "#/admin/keys");
  await page.getByLabel(/^Name/).fill("Accessibility check");
  await page.getByRole("button", { name: "Make the key" }).click();
  await page.getByLabel("Admin key Accessibility check").waitFor();
  await check(page, "keys, a key shown once");
  assert.deepEqual(page.errors, []);
  await scanned(page);
});

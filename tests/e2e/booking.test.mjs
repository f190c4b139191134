// The guest's journey in headless Chromium (Debian's, driven by playwright-core) against the
// local server, whose clock stands on Wednesday 2027-03-24 08:00 UTC; the agent "demo" works in
// Europe/Rome, Mon–Fri 09:00–13:00 and 14:00–18:00. The guest's browser is in New York, so
// Monday 29 March 09:00 in Rome is 03:00 for them (the US changed clocks on the 14th).
//
// The demo agent asks every guest to prove their address (verification `always`): the first
// booking of an address waits for the code mailed to it, which these tests read from the local
// server's outbox folder, as a guest would read their email.
//
// Run by infra/e2e.sh: E2E_BASE_URL names the server, E2E_OUTBOX its mail folder, E2E_SCREENSHOTS
// the folder for screenshots.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  AGENT_TOKEN, BASE, PHONE, SHOTS, enterCode, fill, focused, guestPage as newGuestPage, latestCode, latestMail, launch, openBooking,
  pick, tabTo,
} from "./helpers.mjs";

let browser;

before(async () => {
  browser = await launch();
});

after(async () => browser?.close());

const guestPage = (viewport) => newGuestPage(browser, viewport);

test("a guest books, then reschedules, changes the duration and cancels through the manage link", async () => {
  const page = await guestPage();
  await openBooking(page);
  assert.equal(await page.locator("#zone").inputValue(), "America/New_York", "the zone is detected");
  assert.equal(await page.locator("#duration").inputValue(), "30", "30 minutes by default");
  assert.equal(await page.getByRole("heading", { name: "March 2027" }).count(), 1, "the month of the server's clock");

  await pick(page, "Monday 29 March", "03:00");
  await fill(page, { subject: "Intro call", name: "Grace Hopper", email: "grace@example.com", members: "bob@example.com" });
  await page.getByRole("button", { name: "Schedule" }).click();
  await page.getByRole("heading", { name: "Check your email" }).waitFor();
  assert.match(await page.locator("#verify-expiry").textContent(), /held for you until \d\d:\d\d \((10:00|9:[0-5]\d) left\)/);
  await page.screenshot({ path: `${SHOTS}/desktop-code.png`, fullPage: true });
  await enterCode(page, "grace@example.com");
  await page.getByRole("heading", { name: "Your meeting is booked" }).waitFor();
  await page.getByText("Signed in as grace@example.com").waitFor();
  const confirmed = await page.locator("#confirmed-when").textContent();
  assert.match(confirmed, /Monday,? 29 March 2027 at 03:00 \(America\/New York\), 30 minutes/);
  await page.screenshot({ path: `${SHOTS}/desktop-booked.png`, fullPage: true });

  const manage = await page.getByRole("link", { name: "Manage your meeting" }).getAttribute("href");
  assert.match(manage, /^\/b\/manage\/[0-9a-f]{20}\?token=mng_/);
  await page.goto(`${BASE}${manage}`);
  await page.getByRole("heading", { name: "Intro call" }).waitFor();
  assert.match(await page.locator(".meeting-when").textContent(), /29 March 2027 at 03:00/);

  await page.getByLabel("Change the duration").selectOption("45");
  await page.getByRole("button", { name: "Save duration" }).click();
  await page.getByText("The duration was changed.").waitFor();
  assert.equal(await page.locator(".meeting-duration").textContent(), "45 minutes");

  await page.getByRole("button", { name: "Reschedule" }).click();
  await page.locator(".card .calendar .day:not([disabled])").first().waitFor();
  await pick(page, "Tuesday 30 March", "04:00");
  await page.getByRole("button", { name: /^Move to/ }).click();
  await page.getByText("The meeting was moved.").waitFor();
  assert.match(await page.locator(".meeting-when").textContent(), /Tuesday,? 30 March 2027 at 04:00/);
  await page.screenshot({ path: `${SHOTS}/desktop-manage.png`, fullPage: true });

  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Cancel meeting" }).click();
  await page.getByText("The meeting was cancelled.").waitFor();
  assert.equal(await page.locator(".meeting-status").textContent(), "Cancelled");
  assert.equal(await page.locator(".card-actions").isHidden(), true, "a cancelled meeting offers no changes");

  // Signed in by the confirmation, the next booking goes straight through.
  await openBooking(page);
  await page.getByText("Signed in as grace@example.com").waitFor();
  await pick(page, "Monday 29 March", "04:00");
  assert.equal(await page.getByLabel("Email", { exact: true }).inputValue(), "grace@example.com", "the session's address");
  await fill(page, { subject: "Follow-up", name: "Grace Hopper", email: "grace@example.com" });
  await page.getByRole("button", { name: "Schedule" }).click();
  await page.getByRole("heading", { name: "Your meeting is booked" }).waitFor();
  assert.equal(await page.locator("#verify").isHidden(), true, "no code asked for");
  assert.deepEqual(page.errors, []);
});

// The one-click link in the code email, as text: the mail's quoted-printable folds undone.
function confirmLink(mail) {
  const text = mail.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  const link = /https?:\/\/[^\s"<>]+\/b\/confirm\/[0-9a-f]+\?token=hld_[A-Za-z0-9_]+/.exec(text);
  assert.ok(link, "the code email carries the one-click link");
  return new URL(link[0]);
}

test("the email's one-click link confirms, and a guest signs in and out without booking", async () => {
  const page = await guestPage();
  await openBooking(page);
  await pick(page, "Thursday 25 March", "05:00");
  await fill(page, { subject: "By link", name: "Linus Link", email: "linus@example.com" });
  await page.getByRole("button", { name: "Schedule" }).click();
  await page.getByRole("heading", { name: "Check your email" }).waitFor();

  const link = confirmLink(latestCode("linus@example.com").mail);
  const inbox = await guestPage();
  await inbox.goto(`${BASE}${link.pathname}${link.search}`);
  await inbox.getByRole("heading", { name: "Confirm your booking" }).waitFor();
  await inbox.getByRole("button", { name: "Confirm my booking" }).click();
  await inbox.getByRole("heading", { name: "Your meeting is booked" }).waitFor();
  assert.match(await inbox.locator("#confirmed-when").textContent(), /^By link: Thursday,? 25 March 2027 at 05:00/);

  // Another browser: sign in by code, see the meeting, sign out.
  const other = await guestPage();
  await openBooking(other);
  await other.getByRole("button", { name: /Sign in/ }).click();
  await other.locator("#sign-in-email").fill("linus@example.com");
  await other.getByRole("button", { name: "Send me a code" }).click();
  await enterCode(other, "linus@example.com");
  await other.getByText("Signed in as linus@example.com").waitFor();
  await other.getByRole("heading", { name: "Your meetings" }).waitFor();
  await other.getByRole("link", { name: "By link" }).click();
  await other.getByRole("heading", { name: "By link" }).waitFor();
  assert.match(await other.locator(".meeting-when").textContent(), /25 March 2027 at 05:00/, "the session opens the manage page");

  await openBooking(other);
  await other.getByRole("button", { name: "Sign out" }).click();
  await other.getByRole("button", { name: /Sign in/ }).waitFor();
  assert.equal(await other.getByText("Signed in as").isVisible(), false);
  for (const p of [page, inbox, other]) assert.deepEqual(p.errors, []);
});

test("a slot taken by someone else meanwhile gets a clear message and fresh times", async () => {
  const late = await guestPage();
  await openBooking(late);
  await pick(late, "Wednesday 31 March", "03:00");
  await fill(late, { subject: "Late", name: "Late Guest", email: "late@example.com" });

  const quick = await guestPage();
  await openBooking(quick);
  await pick(quick, "Wednesday 31 March", "03:00");
  await fill(quick, { subject: "Quick", name: "Quick Guest", email: "quick@example.com" });
  await quick.getByRole("button", { name: "Schedule" }).click();
  await quick.getByRole("heading", { name: "Check your email" }).waitFor(); // held: taken for others

  await late.getByRole("button", { name: "Schedule" }).click();
  await late.getByRole("alert").getByText("Sorry, that time was just taken. Please pick another.").waitFor();
  await late.getByRole("button", { name: /^Wednesday 31 March,/ }).click();
  assert.equal(await late.getByRole("button", { name: "03:00", exact: true }).count(), 0, "the taken time is gone");
});

test("the cap on meetings per guest is explained", async () => {
  const page = await guestPage();
  for (const [day, time] of [["Thursday 1 April", "03:00"], ["Friday 2 April", "03:00"], ["Monday 5 April", "03:00"]]) {
    await openBooking(page);
    await page.getByRole("button", { name: "Next month" }).click();
    await page.getByRole("heading", { name: "April 2027" }).waitFor();
    await page.locator(".day:not([disabled])").first().waitFor();
    await pick(page, day, time);
    await fill(page, { subject: "Again", name: "Eager Guest", email: "eager@example.com" });
    await page.getByRole("button", { name: "Schedule" }).click();
    if (day === "Thursday 1 April") await enterCode(page, "eager@example.com"); // then signed in
    if (day !== "Monday 5 April") await page.getByRole("heading", { name: "Your meeting is booked" }).waitFor();
  }
  await page.getByRole("alert").getByText(/You already have the most meetings allowed with Ada Lovelace/).waitFor();
});

test("the pages work from the keyboard and at a phone's width", async () => {
  const page = await guestPage(PHONE);
  await openBooking(page);
  await page.screenshot({ path: `${SHOTS}/phone-calendar.png`, fullPage: true });
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= PHONE.width, `no sideways scrolling at ${PHONE.width}px (content is ${scroll}px wide)`);

  await page.locator(".day:not([disabled])").first().focus();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter"); // the first time of the day has the focus
  await page.getByLabel("Subject").waitFor({ state: "visible" });
  assert.equal(await page.evaluate(() => document.activeElement.id), "subject", "the form takes the focus");
  await page.keyboard.type("Phone booking");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Pat Phone");
  await page.keyboard.press("Tab");
  await page.keyboard.type("pat@example.com");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Check your email" }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), "code", "the code field takes the focus");
  await page.screenshot({ path: `${SHOTS}/phone-code.png`, fullPage: true });
  await page.keyboard.type(latestCode("pat@example.com").code);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Your meeting is booked" }).waitFor();
  await page.screenshot({ path: `${SHOTS}/phone-booked.png`, fullPage: true });
});

test("the slot picker's day grid and time grid are one Tab stop each, moved with the arrow keys", async () => {
  const page = await guestPage();
  await openBooking(page);
  await tabTo(page, page.getByRole("button", { name: "Next month" }));
  await page.keyboard.press("Tab");
  const day = await focused(page);
  assert.match(day.text, /^Wednesday 24 March, free times: \d+$/, "the first free day holds the grid's one Tab stop");
  assert.equal(await page.locator(".days button[tabindex='0']").count(), 1);
  await page.keyboard.press("Tab");
  assert.doesNotMatch((await focused(page)).text, /March, /, "the next Tab leaves the day grid");
  await page.keyboard.press("Shift+Tab");
  assert.equal((await focused(page)).text, day.text, "and Shift+Tab comes back to the same day");
  await page.keyboard.press("ArrowDown");
  assert.match((await focused(page)).text, /^Wednesday 31 March/, "down a week");
  await page.keyboard.press("Home");
  assert.match((await focused(page)).text, /^Wednesday 24 March/, "Home: the first free day");
  await page.keyboard.press("End");
  assert.match((await focused(page)).text, /^Wednesday 31 March/, "End: the last free day");
  await page.keyboard.press("ArrowRight");
  await page.getByRole("heading", { name: "April 2027" }).waitFor();
  await page.waitForFunction(() => /April/.test(document.activeElement.getAttribute("aria-label") || ""));
  assert.match((await focused(page)).text, /^Thursday 1 April/, "past the last free day: on to the next month's first");
  await page.keyboard.press("ArrowLeft");
  await page.getByRole("heading", { name: "March 2027" }).waitFor();
  await page.waitForFunction(() => /March/.test(document.activeElement.getAttribute("aria-label") || ""));
  assert.match((await focused(page)).text, /^Wednesday 31 March/, "and back to the month before's last");
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Enter");
  const times = await page.locator(".times button").allTextContents();
  assert.equal((await focused(page)).text, times[0], "the day's first time has the focus");
  assert.equal(await page.locator(".times button[tabindex='0']").count(), 1, "one Tab stop in the time grid");
  await page.keyboard.press("ArrowRight");
  assert.equal((await focused(page)).text, times[1]);
  await page.keyboard.press("End");
  assert.equal((await focused(page)).text, times[times.length - 1]);
  await page.keyboard.press("Home");
  await page.keyboard.press("Space");
  await page.getByLabel("Subject").waitFor({ state: "visible" });
  assert.equal((await focused(page)).id, "subject", "Space picks the time and the form takes the focus");
  assert.match(await page.locator("#chosen").textContent(), new RegExp(`Thursday,? 25 March 2027(,| at) ${times[0]}`));
  assert.deepEqual(page.errors, []);
});

test("an unknown booking link and a bad manage link say so", async () => {
  const page = await guestPage();
  // An unknown slug (like a deactivated agent's or a removed link's, T5/T6) answers 404 as the API does.
  const unknown = await page.goto(`${BASE}/b/nobody-here`);
  assert.equal(unknown.status(), 404);
  assert.equal((await unknown.json()).type, "/problems/not-found");
  await page.goto(`${BASE}/b/manage/0123456789abcdef0123?token=mng_nope`);
  await page.getByRole("alert").waitFor();
  assert.equal(await page.getByRole("heading", { name: "Meeting not found" }).count(), 1);
});

test("the guest opens the conversation from the email, writes, reads the agent's reply and reschedules from the card", async () => {
  assert.ok(AGENT_TOKEN, "E2E_AGENT_TOKEN names the demo agent's token");
  const page = await guestPage();
  await openBooking(page);
  await pick(page, "Thursday 25 March", "06:00");
  await fill(page, { subject: "Talk it over", name: "Tess Talker", email: "tess@example.com" });
  await page.getByRole("button", { name: "Schedule" }).click();
  await enterCode(page, "tess@example.com");
  await page.getByRole("heading", { name: "Your meeting is booked" }).waitFor();

  // The invitation's conversation link: Tess's own member link, never her manage token (G11).
  const mail = latestMail("tess@example.com", /^Subject: Meeting booked/);
  assert.ok(mail, "the invitation reached the outbox");
  const link = /Conversation: (https?:\/\/\S+\/c\/[0-9a-f]{40}\?token=cvm_[A-Za-z0-9_]+)/.exec(mail);
  assert.ok(link, "the email links to the conversation's page");
  assert.doesNotMatch(mail, /\/c\/[0-9a-f]{40}\?token=mng_/, "no manage token in a conversation link");
  assert.match(mail, /URL:https?:\/\/\S+\/c\/[0-9a-f]{40}/, "and so does the calendar entry");
  const url = new URL(link[1]);
  await page.goto(`${BASE}${url.pathname}${url.search}`);
  await page.getByRole("heading", { name: "Ada Lovelace" }).waitFor();
  assert.equal(new URL(page.url()).search, "", "the token is taken out of the address bar");
  await page.locator(".timeline li.system").first().waitFor();
  assert.match(await page.locator(".timeline li.system").first().textContent(), /Meeting booked/);

  await page.getByLabel("Your message").fill("Hello Ada,\ncan we cover pricing?");
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator(".timeline li.mine").getByText("can we cover pricing?").waitFor();

  // The agent answers through the API; the page shows it without a reload.
  const conversation = url.pathname.split("/").pop().slice(20);
  const reply = await fetch(`${BASE}/v1/conversations/${conversation}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${AGENT_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ text: "Of course, Tess. I will bring the numbers." }),
  });
  assert.equal(reply.status, 201);
  await page.getByText("I will bring the numbers.").waitFor({ timeout: 15000 });
  await page.screenshot({ path: `${SHOTS}/desktop-conversation.png`, fullPage: true });

  // The meeting's card: its calendar icon opens the changes.
  await page.getByRole("button", { name: "Change this meeting" }).click();
  await page.getByRole("button", { name: "Reschedule" }).click();
  await page.locator(".card .calendar .day:not([disabled])").first().waitFor();
  await pick(page, "Friday 26 March", "07:00"); // 06:00 is the demo's "Quarterly review"
  await page.getByRole("button", { name: /^Move to/ }).click();
  await page.getByText("The meeting was moved.").waitFor();
  assert.match(await page.locator(".meeting-when").textContent(), /Friday,? 26 March 2027 at 07:00/);
  await page.locator(".timeline li.system").getByText(/Meeting moved/).waitFor({ timeout: 15000 });
  assert.deepEqual(page.errors, []);
});

test("the conversation page works at a phone's width, and an additional member's link opens it as them", async () => {
  const page = await guestPage(PHONE);
  await openBooking(page);
  await pick(page, "Thursday 25 March", "07:00");
  await fill(page, { subject: "Phone talk", name: "Pia Phone", email: "pia@example.com", members: "pat.member@example.com" });
  await page.getByRole("button", { name: "Schedule" }).click();
  await enterCode(page, "pia@example.com");
  await page.getByRole("heading", { name: "Your meeting is booked" }).waitFor();
  const mail = latestMail("pat.member@example.com", /^Subject: Meeting booked/);
  const link = /Conversation: (https?:\/\/\S+\/c\/[0-9a-f]{40}\?token=cvm_[A-Za-z0-9_]+)/.exec(mail);
  assert.ok(link, "an additional member's copy opens the page as that member");
  const url = new URL(link[1]);
  // Another browser: Pat has no session here, only the link.
  const pats = await guestPage(PHONE);
  await pats.goto(`${BASE}${url.pathname}${url.search}`);
  await pats.locator(".timeline li.system").first().waitFor();
  await pats.getByLabel("Your message").fill("Pat here, I will join.");
  await pats.getByRole("button", { name: "Send" }).click();
  await pats.locator(".timeline li.mine").getByText("Pat here, I will join.").waitFor();
  const scroll = await pats.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= PHONE.width, `no sideways scrolling (content is ${scroll}px wide)`);
  await pats.screenshot({ path: `${SHOTS}/phone-conversation.png`, fullPage: true });
  assert.deepEqual(page.errors, []);
  assert.deepEqual(pats.errors, []);
});

test("a guest books a service through its own page and meets whichever member is free", async () => {
  const page = await guestPage();
  // S9: the page names the service, no agent; its days and times are its members' together.
  await openBooking(page, "sales", "Sales");
  await pick(page, "Wednesday 31 March", "05:00");
  await fill(page, { subject: "Pricing", name: "Ivy Service", email: "ivy.service@example.com" });
  await page.getByRole("button", { name: "Schedule" }).click();
  await enterCode(page, "ivy.service@example.com");
  await page.getByRole("heading", { name: "Your meeting is booked" }).waitFor();
  assert.match(await page.locator("#confirmed-when").textContent(), /Wednesday,? 31 March 2027 at 05:00/);
  // The invitation names the member who took it: Ada or Alan.
  const invitation = latestMail("ivy.service@example.com", /Pricing/);
  assert.ok(invitation, "an invitation");
  assert.match(invitation, /ORGANIZER;CN="(Ada Lovelace|Alan Turing)"/);
  assert.deepEqual(page.errors, []);
});

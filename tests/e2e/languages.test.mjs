// Languages (L1–L3) in the browser: an Italian guest books in Italian from start to finish (the
// page, the code step, the emails), axe still finds nothing; the picker switches a page to
// German and the choice sticks; and every guest page, in every state the tests reach, is run in
// the pseudo-language, where any text that is not in the message files stands out.
//
// Bookings here take times the other tests leave free: Monday 29 March 11:30 in Rome (the
// Italian guest) and Monday 29 March 06:00 in New York (the pseudo-language walk).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  BASE, assertAccessible, assertTranslated, latestCode, latestMail, launch, linkIn, messages, newPage, subjectOf,
} from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());

const it = messages("it");

test("an Italian guest books in Italian: the page, the code step, the emails, with Italian dates", async () => {
  const page = await newPage(browser, { bypassCSP: true, timezoneId: "Europe/Rome", locale: "it-IT" });
  await page.goto(`${BASE}/b/demo`);
  assert.equal(await page.getAttribute("html", "lang"), "it", "Accept-Language: it-IT");
  await page.getByRole("heading", { name: it("booking-pick") }).waitFor();
  await page.locator(".day:not([disabled])").first().waitFor();
  await assertAccessible(page, "the booking page in Italian");

  await page.getByRole("button", { name: /^lunedì 29 marzo,/ }).click();
  await page.getByRole("button", { name: "11:30", exact: true }).click();
  assert.match(await page.locator("#chosen").textContent(), /^lunedì 29 marzo 2027.*11:30.*\(Europe\/Rome\), 30 min$/);
  await page.getByLabel(it("booking-subject")).fill("Consulenza");
  await page.getByLabel(it("booking-name")).fill("Giulia Rossi");
  await page.getByLabel(it("booking-email"), { exact: true }).fill("giulia@example.com");
  await page.getByRole("button", { name: it("booking-schedule"), exact: true }).click();
  await page.getByRole("heading", { name: it("verify-heading") }).waitFor();
  await assertAccessible(page, "the code step in Italian");

  const found = latestCode("giulia@example.com");
  assert.ok(found, "a code email");
  assert.match(subjectOf(found.mail), /^Subject: \d{6} è il tuo codice/, "an Italian subject, the code first");
  const codeMail = latestMail("giulia@example.com", /^Subject: \d{6} /);
  assert.match(codeMail, /lunedì 29 marzo 2027, 11:30–12:00 \(Europe\/Rome\)/, "an Italian date in the code email");
  await page.getByLabel(it("verify-code")).fill(found.code);
  await page.getByRole("button", { name: it("verify-confirm"), exact: true }).click();
  await page.getByRole("heading", { name: it("booked-heading") }).waitFor();
  await assertAccessible(page, "booked, in Italian");

  const invitation = latestMail("giulia@example.com", /Consulenza/);
  assert.ok(invitation, "the invitation");
  assert.match(invitation, /SUMMARY:Consulenza con Ada Lovelace/, "the invitation's title in Italian");
  // The agent's copy stays in the agent's language.
  assert.ok(latestMail("ada@demo.example", /^Subject: Meeting booked: Consulenza/), "Ada's copy is in English");

  // The manage link opens the meeting in Italian too: the language came with the browser.
  const manage = linkIn(invitation, /(https?:\/\/\S+\/b\/manage\/[0-9a-f]{20}\?token=mng_[A-Za-z0-9_]+)/);
  await page.goto(`${BASE}${manage.pathname}${manage.search}`);
  await page.getByRole("button", { name: it("card-reschedule") }).waitFor();
  assert.equal(await page.getAttribute("html", "lang"), "it");
  await assertAccessible(page, "the manage page in Italian");
  await page.context().close();
});

test("the language picker switches a page to German, and the choice sticks from then on", async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/b/demo`);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  const de = messages("de");
  // The picker is a labelled select at the foot of the page, each language named in itself.
  assert.deepEqual(await page.locator("#language option").allTextContents(), ["English", "Italiano", "Deutsch", "Français", "Español"]);
  // Choosing alone changes nothing (no reload under the reader's keys); the button applies it.
  await page.getByLabel("Language").selectOption("de");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await page.getByRole("button", { name: "Change", exact: true }).click();
  await page.waitForFunction(() => document.documentElement.lang === "de");
  await page.getByRole("heading", { name: de("booking-pick") }).waitFor();
  assert.equal(await page.getByLabel(de("language-label")).inputValue(), "de", "the picker shows the choice");
  // Another page, opened later in this browser, is German too (the choice is a cookie).
  await page.goto(`${BASE}/b/demo`);
  assert.equal(await page.getAttribute("html", "lang"), "de");
  await page.getByLabel(de("language-label")).selectOption("en");
  await page.getByRole("button", { name: de("language-apply"), exact: true }).click();
  await page.waitForFunction(() => document.documentElement.lang === "en");
  await page.context().close();
});

test("every guest page shows only text from the message files (run in the pseudo-language)", async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/b/demo?lang=qps`);
  await page.locator(".day:not([disabled])").first().waitFor();
  await assertTranslated(page, "booking page");
  await page.locator('.day[data-date="2027-03-29"]').click();
  await page.locator(".times button", { hasText: "06:00" }).click();
  await assertTranslated(page, "booking page, a time picked");
  await page.locator("#schedule").click();
  await page.locator("#alert:not([hidden])").waitFor();
  await assertTranslated(page, "booking page, a field missing");
  await page.locator("#subject").fill("Pseudo call");
  await page.locator("#name").fill("Pat Pseudo");
  await page.locator("#email").fill("pat@example.com");
  await page.locator("#members").fill("sam@example.com");
  await page.locator("#schedule").click();
  await page.locator("#verify:not([hidden])").waitFor();
  await assertTranslated(page, "the code step");
  await page.locator("#code").fill("000000");
  await page.locator("#verify-submit").click();
  await page.locator("#alert:not([hidden])").waitFor();
  await assertTranslated(page, "the code step, a wrong code");
  await page.locator("#code").fill(latestCode("pat@example.com").code);
  await page.locator("#verify-submit").click();
  await page.locator("#confirmation:not([hidden])").waitFor();
  await page.locator("#mine:not([hidden])").waitFor();
  await assertTranslated(page, "booked, signed in, with the guest's meetings");

  const invitation = latestMail("pat@example.com", /Pseudo call/);
  const manage = linkIn(invitation, /(https?:\/\/\S+\/b\/manage\/[0-9a-f]{20}\?token=mng_[A-Za-z0-9_]+)/);
  await page.goto(`${BASE}${manage.pathname}${manage.search}&lang=qps`);
  await page.locator(".card .meeting-status").waitFor();
  await assertTranslated(page, "manage page");

  const conversation = linkIn(invitation, /(https?:\/\/\S+\/c\/[0-9a-f]{40}\?token=cvm_[A-Za-z0-9_]+)/);
  await page.goto(`${BASE}${conversation.pathname}${conversation.search}&lang=qps`);
  await page.locator(".timeline li.system").first().waitFor();
  await page.locator("#message").fill("Hello from the pseudo-language test");
  await page.locator("#send").click();
  await page.locator(".timeline li.said").first().waitFor();
  await assertTranslated(page, "conversation page, a message written");

  const unsubscribe = linkIn(invitation, /(https?:\/\/\S+\/v1\/unsubscribe\/uns_[A-Za-z0-9_]+)/);
  await page.goto(`${BASE}${unsubscribe.pathname}?lang=qps`);
  await assertTranslated(page, "unsubscribe page");
  await page.locator("#unsubscribe").click();
  await page.locator("#done:not([hidden])").waitFor();
  await assertTranslated(page, "unsubscribe page, done");

  for (const path of ["/b/nobody-here", "/b/manage/0123456789abcdef0123", "/b/confirm/0123456789abcdef01230123456789abcdef0123", "/b/sign-in/0123456789abcdef01230123456789abcdef0123"]) {
    const reply = await page.goto(`${BASE}${path}?lang=qps`);
    if (reply.status() !== 200) continue; // an unknown booking link is a 404 problem, not a page
    await page.waitForLoadState("networkidle");
    await assertTranslated(page, path);
    const button = page.locator("#confirm, #sign-in-now");
    if (await button.count()) {
      await button.click();
      await page.locator("#alert:not([hidden])").waitFor();
      await assertTranslated(page, `${path}, refused`);
    }
  }
  assert.deepEqual(page.errors, [], "no script errors");
  await page.context().close();
});

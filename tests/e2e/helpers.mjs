// What the browser tests share: the local server's address and mail folder, the browser, a
// guest's page, the codes and links read from the outbox, the booking steps, the console's
// sign-in (one emailed code per agent per run: codes are bounded per address), keyboard-only
// moves, and the accessibility scan.
//
// Run by infra/e2e.sh: E2E_BASE_URL names the server, E2E_OUTBOX its mail folder, E2E_SCREENSHOTS
// the folder for screenshots, E2E_MEASURES the file for the console's measurements.

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const BASE = process.env.E2E_BASE_URL;
export const OUTBOX = process.env.E2E_OUTBOX;
export const AGENT_TOKEN = process.env.E2E_AGENT_TOKEN;
export const SHOTS = process.env.E2E_SCREENSHOTS || ".";
export const MEASURES = process.env.E2E_MEASURES || "";
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export const ADA = "ada@demo.example";
export const ALAN = "alan@demo.example";
export const BARBARA = "admin@demo.example";

export async function launch() {
  assert.ok(BASE && OUTBOX, "E2E_BASE_URL and E2E_OUTBOX must name the local server and its mail (run ./infra/e2e.sh)");
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
}

// A page whose script errors are collected in `page.errors`. `bypassCSP` only for the contexts
// the accessibility scan injects axe-core into.
export async function newPage(browser, { viewport = DESKTOP, timezoneId = "America/New_York", locale = "en-US", storageState, bypassCSP = false, permissions } = {}) {
  const context = await browser.newContext({ viewport, timezoneId, locale, storageState, bypassCSP });
  // A developer's hook (a module whose `devRoutes(context)` may serve pages from a working tree).
  if (process.env.E2E_DEV_HOOK) await (await import(process.env.E2E_DEV_HOOK)).devRoutes(context);
  if (permissions) await context.grantPermissions(permissions, { origin: BASE });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.errors = errors;
  return page;
}

export const guestPage = (browser, viewport = DESKTOP, options = {}) => newPage(browser, { viewport, ...options });

// The outbox's emails to `address`, oldest first, as text with the quoted-printable folds undone.
function mailsTo(address) {
  return readdirSync(OUTBOX).filter((f) => f.endsWith(".eml")).map((f) => join(OUTBOX, f))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
    .map((f) => readFileSync(f, "utf8"))
    .filter((m) => m.split(/\r?\n/).some((l) => l === `To: ${address}` || (l.startsWith("To:") && l.endsWith(`<${address}>`))));
}
// RFC 2047's encoded words (a subject with letters beyond ASCII: "=?utf-8?b?…?="), as text.
const decodeWords = (text) => text.replace(/\?=\s+=\?/g, "?==?").replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, kind, data) => (kind.toLowerCase() === "b"
  ? Buffer.from(data, "base64")
  : Buffer.from(data.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (m, hex) => String.fromCharCode(parseInt(hex, 16))), "latin1")
).toString("utf8"));
// The subject line, its folds joined and its encoded words decoded: "Subject: 123456 è il tuo …".
export const subjectOf = (mail) => {
  const lines = mail.split(/\r?\n/);
  const at = lines.findIndex((l) => l.startsWith("Subject: "));
  if (at < 0) return "";
  let subject = lines[at];
  for (let i = at + 1; i < lines.length && /^[ \t]/.test(lines[i]); i++) subject += lines[i];
  return decodeWords(subject);
};
// Quoted-printable undone: soft line breaks joined, "=C3=AC" back to "ì".
const unfold = (mail) => mail.replace(/=\r?\n/g, "")
  .replace(/(?:=[0-9A-F]{2})+/g, (run) => Buffer.from(run.split("=").slice(1).map((hex) => parseInt(hex, 16))).toString("utf8"));

// The newest email to `address` whose subject starts with a code: its code and its text.
export function latestCode(address) {
  for (const mail of mailsTo(address).reverse()) {
    const code = /^Subject: (\d{6}) /.exec(subjectOf(mail));
    if (code) return { code: code[1], mail };
  }
  return null;
}

// The newest email to `address` whose subject matches, as text with quoted-printable undone.
export function latestMail(address, subject) {
  const mail = mailsTo(address).filter((m) => subject.test(subjectOf(m))).pop();
  return mail && unfold(mail);
}

// The first link in `mail` that matches `pattern`, as a URL.
export function linkIn(mail, pattern) {
  const found = pattern.exec(unfold(mail));
  assert.ok(found, `the email carries a link like ${pattern}`);
  return new URL(found[1] || found[0]);
}

export async function openBooking(page, slug = "demo", agent = "Ada Lovelace") {
  await page.goto(`${BASE}/b/${slug}`);
  await page.getByRole("heading", { name: agent }).waitFor();
  await page.locator(".day:not([disabled])").first().waitFor();
}

export async function pick(page, day, time) {
  await page.getByRole("button", { name: new RegExp(`^${day},`) }).click();
  await page.getByRole("button", { name: time, exact: true }).click();
}

// The code step after Schedule: the code from the email, typed in.
export async function enterCode(page, address) {
  await page.getByRole("heading", { name: "Check your email" }).waitFor();
  const found = latestCode(address);
  assert.ok(found, `a code was mailed to ${address}`);
  await page.getByLabel("Code").fill(found.code);
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
}

export async function fill(page, { subject, name, email, members = "" }) {
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel(/Additional members/).fill(members);
}

export async function noSideScroll(page, viewport = PHONE) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= viewport.width, `no sideways scrolling at ${viewport.width}px (content is ${width}px wide)`);
}

// --- The console ---

// Signs in on the console's own screen with the emailed code (on `page`, at /console`hash`).
export async function signInConsole(page, address, hash = "#/inbox") {
  await page.goto(`${BASE}/console${hash}`);
  await page.getByRole("heading", { name: "Sign in to the console" }).waitFor();
  await page.getByLabel("Work email address").fill(address);
  await page.getByRole("button", { name: "Send me a code" }).click();
  await page.getByRole("heading", { name: "Check your email" }).waitFor();
  const found = latestCode(address);
  assert.ok(found && /is your console sign-in code/.test(subjectOf(found.mail)), `a console code was mailed to ${address}`);
  await page.getByLabel("Code").fill(found.code);
  await page.getByRole("button", { name: "Confirm", exact: true }).click();
  await consoleScreen(page);
}

// The cookies of one signed-in console session per agent, kept for this run beside the outbox
// (which each run starts empty): a test that needs an agent signed in, but does not test the
// sign-in, reuses it instead of asking for another code.
const sessionFile = (address) => join(OUTBOX, `console-session-${address}.json`);
export async function consoleState(browser, address) {
  const file = sessionFile(address);
  if (existsSync(file)) return file;
  const page = await newPage(browser);
  await signInConsole(page, address);
  await page.context().storageState({ path: file });
  await page.context().close();
  return file;
}

// A console page signed in as `address`, opened at `hash` (its screen's heading focused).
export async function consolePage(browser, address, hash = "#/inbox", options = {}) {
  const page = await newPage(browser, { ...options, storageState: await consoleState(browser, address) });
  await page.goto(`${BASE}/console${hash}`);
  await consoleScreen(page);
  return page;
}

// Waits until a screen is drawn: its heading has the focus.
export async function consoleScreen(page, name) {
  const heading = name ? page.locator("#view h1", { hasText: name }) : page.locator("#view h1");
  await heading.waitFor();
  await page.waitForFunction(() => document.activeElement && document.activeElement.matches("#view h1"));
}

// Waits until the screen of `hash` is drawn (the router marks it) with its heading focused.
export async function onScreen(page, hash) {
  await page.waitForFunction((route) => {
    const view = document.getElementById("view");
    return view.dataset.route === route && document.activeElement && document.activeElement.matches("#view h1");
  }, hash.slice(1));
}

// Opens a screen by its hash, as a link would.
export async function go(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await onScreen(page, hash);
}

// A call to the API from the console page itself (its cookie, the write header).
export function consoleApi(page, method, path, body) {
  return page.evaluate(async ([m, p, b]) => {
    const init = { method: m, headers: { "x-requested-with": "console" } };
    if (b !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(b);
    }
    const r = await fetch(p, init);
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }, [method, path, body]);
}

// --- Keyboard only ---

// Waits until the focused element's name (see `focused`) matches `name` (a string or a RegExp).
export async function focusOn(page, name) {
  const pattern = typeof name === "string" ? `^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$` : name.source;
  await page.waitForFunction((source) => {
    const el = document.activeElement;
    const label = el.labels && el.labels[0] ? el.labels[0].textContent : "";
    return new RegExp(source).test((el.getAttribute("aria-label") || label || el.textContent || "").trim());
  }, pattern);
}

// Presses Tab (or Shift+Tab) until `locator` has the focus; fails after `limit` presses.
export async function tabTo(page, locator, { back = false, limit = 80 } = {}) {
  for (let i = 0; i < limit; i++) {
    if (await locator.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  assert.fail(`${limit} presses of ${back ? "Shift+Tab" : "Tab"} never reached ${locator}`);
}

// The focused element: its tag, id and name (its aria-label, its label's text, or its text).
export const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  const label = el.labels && el.labels[0] ? el.labels[0].textContent : "";
  return { tag: el.tagName, text: (el.getAttribute("aria-label") || label || el.textContent || "").trim(), id: el.id };
});

// --- Accessibility ---

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
export const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

// Runs axe-core (WCAG 2.1 A and AA) on the page as it is; returns "" or the violations in words.
// The page's context must have been made with `bypassCSP: true`, else the CSP blocks axe.
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ content: AXE });
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), WCAG);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1, 3).join(" ")}`).join("\n")}`).join("\n");
}

export async function assertAccessible(page, what) {
  const found = await axeViolations(page);
  assert.equal(found, "", `${what}: axe found WCAG 2.1 AA violations:\n${found}`);
}

// --- Languages ---

// A language's page messages as the server builds pages from them (`key = value` lines of
// shared/messages/<lang>/pages.ftl), so a test names what a reader sees without copying it.
export function messages(lang) {
  const file = new URL(`../../shared/messages/${lang}/pages.ftl`, import.meta.url);
  const entries = readFileSync(file, "utf8").split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => { const at = l.indexOf(" = "); return [l.slice(0, at).trim(), l.slice(at + 3).trim()]; });
  const table = Object.fromEntries(entries);
  return (key, args = {}) => {
    assert.ok(key in table, `${lang} has the message ${key}`);
    return table[key].replace(/\{ *\$(\w+) *\}/g, (all, name) => (name in args ? String(args[name]) : all));
  };
}

// Every text a reader meets on the page that did not come from the message files: run in the
// pseudo-language (`?lang=qps`), each message is "[…]" in accented letters, so any text node,
// label or title with letters that is not bracketed is a hard-coded string. Data (names, the
// guest's words, dates the browser formats) sits under `translate="no"`, as HTML marks text
// that is not to be translated.
export function untranslated(page) {
  return page.evaluate(() => {
    const found = [];
    const letters = /\p{L}/u;
    const pseudo = (text) => text.startsWith("[") && text.endsWith("]");
    const exempt = (el) => !el || el.closest('[translate="no"], script, style');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.trim();
      if (text && letters.test(text) && !exempt(node.parentElement) && !pseudo(text)) found.push(text);
    }
    for (const el of document.body.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
      if (exempt(el)) continue;
      for (const name of ["aria-label", "title", "placeholder", "alt"]) {
        const value = (el.getAttribute(name) || "").trim();
        if (value && letters.test(value) && !pseudo(value)) found.push(`${name}="${value}"`);
      }
    }
    if (!pseudo(document.title)) found.push(`<title>${document.title}`);
    return found;
  });
}

export async function assertTranslated(page, what) {
  assert.deepEqual(await untranslated(page), [], `${what}: text that is not in the message files`);
}

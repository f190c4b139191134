// What each console screen costs on the local stack: the bytes it loads (HTML, JavaScript and
// CSS, from the browser's network events; the API's JSON apart) on a cold load in a fresh
// browser context (an empty cache), and its time to interactive: from the navigation's start to
// the screen's heading drawn and focused (the router's `console:<screen>` performance mark, set
// right after it focuses the heading). Also the time of an in-page move to the screen (from the
// hash change to the same mark). Each figure is the median of three runs. The table is printed
// and written to E2E_MEASURES when set.
//
// The local server is a debug build with DynamoDB Local on the same two cores: the times compare
// screens and runs on one machine; they are not production latencies.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { ADA, BARBARA, BASE, MEASURES, consoleApi, consolePage, consoleState, launch, newPage } from "./helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());

const RUNS = 3;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kb = (bytes) => (bytes / 1024).toFixed(1);

// One cold load of `hash`: bytes by kind and the time to the screen's mark.
async function coldLoad(storageState, hash, mark) {
  const page = await newPage(browser, { storageState });
  const loaded = { html: 0, js: 0, css: 0, api: 0, files: 0, calls: 0 };
  const pending = [];
  page.on("requestfinished", (request) => pending.push((async () => {
    const sizes = await request.sizes();
    const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
    const type = request.resourceType();
    if (type === "document") loaded.html += bytes;
    else if (type === "script") loaded.js += bytes;
    else if (type === "stylesheet") loaded.css += bytes;
    else if (type === "fetch" || type === "xhr") { loaded.api += bytes; loaded.calls += 1; return; }
    else return;
    loaded.files += 1;
  })()));
  await page.goto(`${BASE}/console${hash}`);
  const handle = await page.waitForFunction((name) => performance.getEntriesByName(name)[0]?.startTime, mark);
  const tti = await handle.jsonValue();
  assert.equal(await page.evaluate(() => document.activeElement.tagName), "H1", "the heading has the focus");
  await page.waitForLoadState("networkidle");
  await Promise.all(pending);
  await page.context().close();
  return { ...loaded, tti };
}

// Moving to `hash` within the signed-in page (from another screen): from the hash change to the
// screen's mark.
async function move(page, hash, mark) {
  const from = hash === "#/inbox" ? "#/calendars" : "#/inbox";
  await page.evaluate((h) => { location.hash = h; }, from);
  await page.waitForFunction((route) => document.getElementById("view").dataset.route === route, from.slice(1));
  await page.evaluate(() => performance.clearMarks());
  await page.evaluate((h) => { performance.mark("console:go"); location.hash = h; }, hash);
  const handle = await page.waitForFunction((name) => {
    const done = performance.getEntriesByName(name)[0];
    return done && done.startTime - performance.getEntriesByName("console:go")[0].startTime;
  }, mark);
  return handle.jsonValue();
}

test("bytes and time to interactive of every console screen", async () => {
  const ada = await consoleState(browser, ADA);
  const barbara = await consoleState(browser, BARBARA);
  const probe = await consolePage(browser, ADA, "#/inbox");
  const inbox = await consoleApi(probe, "GET", "/v1/me/conversations");
  const meetings = await consoleApi(probe, "GET", "/v1/me/meetings");
  const conversation = inbox.body.conversations[0]?.id;
  const meeting = meetings.body.meetings[0]?.id;
  assert.ok(conversation && meeting, "the demo has a conversation and a meeting to open");
  await probe.context().close();

  const screens = [
    ["sign-in", null, "#/inbox", "console:sign-in"],
    ["inbox", ada, "#/inbox", "console:inbox"],
    ["conversation", ada, `#/conversations/${conversation}`, "console:conversation"],
    ["meetings", ada, "#/meetings", "console:meetings"],
    ["meeting", ada, `#/meetings/${meeting}`, "console:meeting"],
    ["schedule", ada, "#/schedule", "console:schedule"],
    ["availability", ada, "#/availability", "console:availability"],
    ["calendars", ada, "#/calendars", "console:calendars"],
    ["links", ada, "#/links", "console:links"],
    ["admin/agents", barbara, "#/admin/agents", "console:admin-agents"],
    ["admin/pbxs", barbara, "#/admin/pbxs", "console:admin-pbxs"],
    ["admin/services", barbara, "#/admin/services", "console:admin-services"],
    ["admin/usage", barbara, "#/admin/usage", "console:admin-usage"],
    ["admin/keys", barbara, "#/admin/keys", "console:admin-keys"],
    ["admin/audit", barbara, "#/admin/audit", "console:admin-audit"],
    ["admin/suppressions", barbara, "#/admin/suppressions", "console:admin-suppressions"],
    ["admin/privacy", barbara, "#/admin/privacy", "console:admin-privacy"],
  ];
  const pages = { ada: await consolePage(browser, ADA, "#/inbox"), barbara: await consolePage(browser, BARBARA, "#/inbox") };
  const rows = [];
  for (const [name, state, hash, mark] of screens) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await coldLoad(state || undefined, hash, mark));
    const moves = [];
    if (state) {
      const page = state === ada ? pages.ada : pages.barbara;
      for (let i = 0; i < RUNS; i++) moves.push(await move(page, hash, mark));
    }
    const r = runs[0];
    rows.push({
      name, files: r.files, html: r.html, js: r.js, css: r.css, total: r.html + r.js + r.css, api: r.api, calls: r.calls,
      tti: median(runs.map((x) => x.tti)), move: moves.length ? median(moves) : null,
    });
  }

  const table = [
    "| screen | files | HTML KiB | JS KiB | CSS KiB | HTML+JS+CSS KiB | API calls | API KiB | cold load to interactive, ms | in-page move, ms |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.name} | ${r.files} | ${kb(r.html)} | ${kb(r.js)} | ${kb(r.css)} | ${kb(r.total)} | ${r.calls} | ${kb(r.api)} | ${Math.round(r.tti)} | ${r.move === null ? "–" : Math.round(r.move)} |`),
  ].join("\n");
  console.log(`\nThe console's screens on the local stack (median of ${RUNS} runs; bytes on the wire, headers included, no compression):\n${table}\n`);
  if (MEASURES) writeFileSync(MEASURES, `${table}\n`);
  for (const r of rows) {
    assert.ok(r.total < 200 * 1024, `${r.name}: HTML+JS+CSS stays small (${kb(r.total)} KiB)`);
    assert.ok(r.files > 0 && r.js > 0 && r.css > 0, `${r.name}: the network events were counted`);
  }
});

// The agents' console (AC1-AC4): one page; the hash names the screen (`#/inbox`,
// `#/conversations/{id}`, ...). This module is the shell: who is signed in, the navigation, and
// the router that loads each screen's module when it is first opened. Its session is the
// console's cookie, which no script reads. A link that arrives before sign-in (an email's
// `/console#/conversations/{id}`) keeps its hash through the sign-in and opens after it.

import { $, api, serverClock, showAlert } from "./common.js";
import { get, del, onSessionEnded } from "./console-api.js";
import { rememberName, setZone } from "./console-ui.js";
import { showSignIn } from "./console-sign-in.js";

const ID = "([0-9a-f]{20})";
// Each screen: its route, its name, its module (loaded when first opened), whether it is an
// admin's.
const ROUTES = [
  [/^\/inbox$/, "inbox", () => import("./console-inbox.js")],
  [new RegExp(`^/conversations/${ID}$`), "conversation", () => import("./console-conversation.js")],
  [/^\/meetings$/, "meetings", () => import("./console-meetings.js")],
  [new RegExp(`^/meetings/${ID}$`), "meeting", () => import("./console-meeting.js")],
  [/^\/schedule$/, "schedule", () => import("./console-schedule.js")],
  [/^\/availability$/, "availability", () => import("./console-availability.js")],
  [/^\/calendars$/, "calendars", () => import("./console-calendars.js")],
  [/^\/links$/, "links", () => import("./console-links.js")],
  [/^\/admin\/agents$/, "admin-agents", () => import("./console-admin-agents.js"), true],
  [/^\/admin\/pbxs$/, "admin-pbxs", () => import("./console-admin-pbxs.js"), true],
  [/^\/admin\/services$/, "admin-services", () => import("./console-admin-services.js"), true],
  [/^\/admin\/usage$/, "admin-usage", () => import("./console-admin-usage.js"), true],
  [/^\/admin\/keys$/, "admin-keys", () => import("./console-admin-keys.js"), true],
  [/^\/admin\/audit$/, "admin-audit", () => import("./console-admin-audit.js"), true],
  [/^\/admin\/suppressions$/, "admin-suppressions", () => import("./console-admin-suppressions.js"), true],
  [/^\/admin\/privacy$/, "admin-privacy", () => import("./console-admin-privacy.js"), true],
];
const HOME = "#/inbox";

const view = $("view");
let me = null;
let stop = null; // the open screen's clean-up (its polling)
let shown = 0; // navigations so far: a slow screen that was left does not draw over the next

async function start() {
  // The server's clock: "today", the agenda and the code's countdown follow it.
  const [health, who] = await Promise.all([api("GET", "/v1/health"), get("/v1/console/me")]);
  if (health.status === 200) serverClock.heard(health.body.time);
  $("loading").hidden = true;
  if (who.status === 200) return signedIn(who.body);
  if (who.status !== 401) showAlert("The console could not load. Please reload the page.");
  showSignIn({ done: signedIn });
}

function signedIn(who) {
  me = who;
  setZone(me.agent.time_zone);
  rememberName(me.agent.id, me.agent.name);
  $("sign-in-screen").hidden = true;
  $("who-name").textContent = `${me.agent.name}`;
  $("who-tenant").textContent = `· ${me.tenant.name}${me.agent.role === "admin" ? " · admin" : ""}`;
  for (const id of ["who", "sign-out", "nav", "menu"]) $(id).hidden = false;
  document.body.classList.add("signed-in");
  $("nav-admin").hidden = me.agent.role !== "admin";
  route();
}

function signedOut(message) {
  if (stop) stop();
  stop = null;
  me = null;
  shown += 1; // a screen still drawing is dropped
  view.replaceChildren();
  for (const id of ["who", "sign-out", "nav", "menu"]) $(id).hidden = true;
  document.body.classList.remove("signed-in");
  document.title = "Sign in · Console";
  showSignIn({ done: signedIn, message });
}

async function route() {
  if (!me) return;
  if (!location.hash.startsWith("#/")) {
    history.replaceState(null, "", HOME);
  }
  const path = location.hash.slice(1);
  const found = ROUTES.map(([pattern, name, load, admin]) => ({ match: pattern.exec(path), name, load, admin })).find((r) => r.match);
  const visit = ++shown;
  if (stop) stop();
  stop = null;
  showAlert("");
  closeMenu();
  for (const link of document.querySelectorAll("#nav a")) {
    const here = path === link.hash.slice(1) || (path.startsWith(link.hash.slice(1) + "/"));
    if (here) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const screen = document.createElement("div");
  screen.className = "screen";
  let title = "Not found";
  try {
    if (!found || (found.admin && me.agent.role !== "admin")) {
      screen.append(notFound(found ? "Only the tenant's admins see this screen." : "There is no such screen."));
    } else {
      const module = await found.load();
      if (visit !== shown) return;
      const opened = await module.render({ screen, me, params: found.match.slice(1), go });
      if (visit !== shown) {
        if (opened && opened.stop) opened.stop();
        // Signed out meanwhile: the sign-in says why; the screen's own refusal would repeat it.
        if (!me) showAlert("");
        return;
      }
      stop = opened && opened.stop ? opened.stop : null;
    }
    title = screen.querySelector("h1")?.textContent || title;
  } catch (error) {
    if (visit !== shown) return;
    screen.replaceChildren(notFound("This screen could not be shown. Please reload the page."));
    showAlert(`Something went wrong: ${error.message}`);
  }
  document.title = `${title} · Console`;
  view.replaceChildren(screen);
  view.dataset.route = path;
  const h1 = screen.querySelector("h1");
  h1.setAttribute("tabindex", "-1");
  h1.focus();
  // When the screen can be used: what the console's measurements read.
  performance.mark(`console:${found ? found.name : "not-found"}`);
}

function notFound(text) {
  const box = document.createElement("div");
  const h1 = document.createElement("h1");
  h1.textContent = "Not found";
  const p = document.createElement("p");
  p.textContent = text;
  const back = document.createElement("a");
  back.href = HOME;
  back.textContent = "Go to the inbox";
  box.append(h1, p, back);
  return box;
}

// Opens a screen from a script (after a change that makes another screen the natural next one).
function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function closeMenu() {
  $("nav").dataset.open = "false";
  $("menu").setAttribute("aria-expanded", "false");
}

$("menu").addEventListener("click", () => {
  const open = $("nav").dataset.open !== "true";
  $("nav").dataset.open = String(open);
  $("menu").setAttribute("aria-expanded", String(open));
  if (open) $("nav").querySelector("a").focus();
});

// The skip link moves the focus without touching the hash (the hash is the router's).
$("skip").addEventListener("click", (event) => {
  event.preventDefault();
  const target = view.querySelector("h1") || $("main");
  target.focus();
});

$("sign-out").addEventListener("click", async () => {
  $("sign-out").disabled = true;
  await del("/v1/console/session");
  $("sign-out").disabled = false;
  signedOut("You are signed out.");
});

onSessionEnded(() => {
  if (me) signedOut("Your session has ended. Please sign in again.");
});

window.addEventListener("hashchange", route);
start().catch((error) => showAlert(`Something went wrong: ${error.message}`));

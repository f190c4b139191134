// What every guest page shares: the API, the words for its refusals, times in the guest's zone,
// and the guest's sessions. Plain JavaScript modules, no build step; everything goes through the
// public API, found from the page's own address so the pages work under a stage prefix
// (`https://…/Prod/b/…`) as well as on a domain of their own. Every word comes from i18n.js.

import { apiLanguage, locale, t } from "./i18n.js";

export { apiLanguage, t };

// The part of the path before the pages' own ("/b/…", "/c/…", "/v1/unsubscribe/…", "/console"):
// "" on a custom domain, the stage ("/live") on API Gateway's own address.
export const ROOT = location.pathname.replace(/\/(b|c|v1)\/.*$|\/console\/?$/, "");

// The token a link brought (`?token=`), taken out of the address bar at once (G11: it is not left
// in the history, a screenshot or a shared address) and kept for this tab only, so a reload works.
export function takeToken() {
  const key = `scheduler.token:${location.pathname}`;
  const url = new URL(location.href);
  const fromLink = url.searchParams.get("token");
  if (fromLink) {
    sessionStorage.setItem(key, fromLink);
    url.searchParams.delete("token");
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
    return fromLink;
  }
  return sessionStorage.getItem(key) || "";
}

// Hands a token to another page of this site without putting it in a link (G11): that page's
// `takeToken` finds it.
export function handToken(path, token) {
  if (token) sessionStorage.setItem(`scheduler.token:${path}`, token);
}

export const $ = (id) => document.getElementById(id);

// An element with attributes (`text` sets its text) and children: pages build every piece of
// user text with DOM calls, never HTML.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

// What a page adds to every call: the console sends a header with each write (its CSRF
// defence) and learns when its session has ended. The guest pages add nothing.
const extra = { writeHeaders: {}, unauthorized: null };
export function configureApi({ writeHeaders = {}, unauthorized = null } = {}) {
  Object.assign(extra, { writeHeaders, unauthorized });
}

export async function api(method, path, { body, token, headers = {} } = {}) {
  const writes = method !== "GET" && method !== "HEAD";
  const init = { method, headers: { ...(writes ? extra.writeHeaders : {}), ...headers } };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  if (token) init.headers.authorization = `Bearer ${token}`;
  // What the API sends by email after this call (a code, an invitation) is in the page's language.
  init.headers["accept-language"] = apiLanguage;
  let response;
  try {
    response = await fetch(`${ROOT}${path}`, init);
  } catch {
    return { status: 0, body: { type: "/problems/network", detail: t("problem-network") } };
  }
  if (response.status === 401 && !token && extra.unauthorized) extra.unauthorized(path);
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { detail: t("problem-unexpected") };
  }
  return { status: response.status, body: parsed };
}

// What each refusal means to a guest, in the page's language; a refusal not worded here gets
// a general sentence rather than the API's English detail.
const REFUSALS = {
  "slot-taken": "problem-slot-taken",
  "calendar-busy": "problem-slot-taken",
  "too-soon": "problem-time-gone",
  "beyond-booking-window": "problem-time-gone",
  "outside-working-hours": "problem-time-gone",
  "outside-booking-dates": "problem-time-gone",
  "meeting-cancelled": "problem-meeting-cancelled",
  "meeting-started": "problem-meeting-started",
  "version-conflict": "problem-version-conflict",
  "code-incorrect": "problem-code-incorrect",
  "code-expired": "problem-code-expired",
  "hold-expired": "problem-code-expired",
  "already-confirmed": "problem-already-confirmed",
  "too-many-holds": "problem-too-many-holds",
  "too-many-codes": "problem-too-many-codes",
  "too-many-bookings": "problem-page-busy",
  "page-busy": "problem-page-busy",
  "tenant-busy": "problem-page-busy",
  "too-many-changes": "problem-too-many-changes",
  "too-many-messages": "problem-too-many-messages",
  "unauthorized": "problem-unauthorized",
  "network": "problem-network",
  "unverified-cap-reached": "problem-page-busy",
  "conversation-busy": "problem-too-many-messages",
  "no-service": "problem-slot-taken",
  "store-throttled": "problem-unavailable",
  "store-unavailable": "problem-unavailable",
  "deadline-exceeded": "problem-unavailable",
};

// The API's field names, as the forms label them.
const FIELDS = { subject: "field-subject", name: "field-name", email: "field-email", additional_members: "field-members", text: "field-message", code: "field-code" };

export function explain(problem, context = {}) {
  const kind = ((problem && problem.type) || "").replace("/problems/", "");
  switch (kind) {
    case "guest-cap-reached":
      return context.agent ? t("problem-guest-cap-with", { agent: context.agent }) : t("problem-guest-cap");
    case "invalid-field":
    case "invalid-body":
      return problem.field && FIELDS[problem.field] ? t("problem-check-field", { field: t(FIELDS[problem.field]) }) : t("problem-check-input");
    case "not-found":
      return context.notFound || t("problem-not-found");
    default:
      return REFUSALS[kind] ? t(REFUSALS[kind]) : t("problem-generic");
  }
}

export function showAlert(message) {
  const alert = $("alert");
  alert.textContent = message;
  alert.hidden = !message;
  if (message) alert.scrollIntoView({ block: "nearest" });
}

// The server's clock as this page last heard it: countdowns follow the server (whose clock
// decides when a hold expires), not a browser's that may be wrong.
let skew = 0;
export const serverClock = {
  heard(serverNow) {
    skew = Date.parse(serverNow) - Date.now();
  },
  now: () => Date.now() + skew,
};

export function detectedZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export const zoneName = (zone) => zone.replaceAll("_", " ");

export function fillZones(select, chosen) {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [chosen, "UTC"];
  const all = zones.includes(chosen) ? zones : [chosen, ...zones];
  select.replaceChildren(...all.map((z) => new Option(zoneName(z), z, false, z === chosen)));
}

export function fillDurations(select, durations, chosen) {
  select.replaceChildren(...durations.map((d) => new Option(t("minutes", { minutes: d }), String(d), false, d === chosen)));
}

// "Monday 29 March 2027, 03:00" (in Italian "lunedì 29 marzo 2027, 03:00") on the zone's wall clock.
export function formatWhen(instant, zone) {
  return new Intl.DateTimeFormat(locale, {
    timeZone: zone, weekday: "long", day: "numeric", month: "long", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(new Date(instant));
}

export function formatTime(instant, zone) {
  return new Intl.DateTimeFormat(locale, { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(instant));
}

// The guest's sessions, one per tenant (a session proves an address to one tenant's agents):
// kept in this browser's localStorage until they expire or the guest signs out.
const SESSIONS = "scheduler.sessions";

// The tenant a token or a public id names: `gss_{tenant}_…`, or the first 20 hex of an id.
export const tenantOfToken = (token) => (token || "").split("_")[1] || "";

function readSessions() {
  try {
    const all = JSON.parse(localStorage.getItem(SESSIONS) || "{}");
    const now = Date.now();
    return Object.fromEntries(Object.entries(all).filter(([, s]) => s && s.token && Date.parse(s.expires_at) > now));
  } catch {
    return {};
  }
}

export const sessions = {
  of(tenantId) {
    return readSessions()[tenantId] || null;
  },
  all() {
    return Object.values(readSessions());
  },
  keep(session) {
    const all = readSessions();
    all[tenantOfToken(session.token)] = { token: session.token, email: session.email, expires_at: session.expires_at };
    localStorage.setItem(SESSIONS, JSON.stringify(all));
  },
  forget(tenantId) {
    const all = readSessions();
    delete all[tenantId];
    localStorage.setItem(SESSIONS, JSON.stringify(all));
  },
};

// The confirmation of a booking, shown the same way wherever it was made.
export function showBooked(booked, { zone, agent }) {
  const meeting = booked.meeting;
  const what = { subject: meeting.subject, when: formatWhen(meeting.start, zone), zone: zoneName(zone), minutes: meeting.duration };
  $("confirmed-when").textContent = agent ? t("booked-summary-with", { ...what, agent }) : t("booked-summary", what);
  $("manage-link").href = `${ROOT}/b/manage/${meeting.id}?token=${encodeURIComponent(booked.manage_token)}`;
  if (booked.session) sessions.keep(booked.session);
  $("confirmation").hidden = false;
  $("confirmation").querySelector("h2").focus();
}

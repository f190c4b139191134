// What every guest page shares: the API, the words for its refusals, times in the guest's zone,
// and the guest's sessions. Plain JavaScript modules, no build step; everything goes through the
// public API, found from the page's own address so the pages work under a stage prefix
// (`https://…/Prod/b/…`) as well as on a domain of their own.

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
  let response;
  try {
    response = await fetch(`${ROOT}${path}`, init);
  } catch {
    return { status: 0, body: { type: "/problems/network", detail: "The service could not be reached. Check your connection and try again." } };
  }
  if (response.status === 401 && !token && extra.unauthorized) extra.unauthorized(path);
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { detail: "The service answered with something unexpected. Please try again." };
  }
  return { status: response.status, body: parsed };
}

// What each refusal means to a guest; `detail` from the API covers the rest.
export function explain(problem, context = {}) {
  const kind = ((problem && problem.type) || "").replace("/problems/", "");
  switch (kind) {
    case "slot-taken":
    case "calendar-busy":
      return "Sorry, that time was just taken. Please pick another.";
    case "guest-cap-reached":
      return `You already have the most meetings allowed with ${context.agent || "this person"}. You can book another once one has passed or been cancelled.`;
    case "too-soon":
    case "beyond-booking-window":
    case "outside-working-hours":
    case "outside-booking-dates":
      return "That time can no longer be booked. Please pick another.";
    case "meeting-cancelled":
      return "This meeting was cancelled and can no longer be changed.";
    case "meeting-started":
      return "This meeting has already started and can no longer be changed.";
    case "version-conflict":
      return "The meeting was changed meanwhile. It is shown as it is now; please try again.";
    case "code-incorrect":
      return problem.detail || "That code is not right.";
    case "code-expired":
    case "hold-expired":
      return "This code has expired. The time is no longer held: please pick it again.";
    case "already-confirmed":
      return "This booking is already confirmed. Check your email for the invitation.";
    case "too-many-holds":
      return "You have several bookings waiting for their code. Confirm one from your email, or wait ten minutes.";
    case "too-many-codes":
      return "We sent this address several codes in the last hour. Use the newest one, or try again later.";
    case "too-many-bookings":
    case "page-busy":
      return "Too many bookings are waiting here right now. Please try again in a few minutes.";
    case "invalid-field":
      return `Please check ${problem.field || "your input"}: ${problem.detail}`;
    case "not-found":
      return context.notFound || "This link does not exist or is no longer valid.";
    case "unauthorized":
      return "This link is not valid. Use the link from your email.";
    default:
      return (problem && problem.detail) || "Something went wrong. Please try again.";
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
  select.replaceChildren(...durations.map((d) => new Option(`${d} minutes`, String(d), false, d === chosen)));
}

// "Monday 29 March 2027, 03:00" on the zone's wall clock.
export function formatWhen(instant, zone) {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, weekday: "long", day: "numeric", month: "long", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(new Date(instant));
}

export function formatTime(instant, zone) {
  return new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(instant));
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
  const who = agent ? `, with ${agent}` : "";
  $("confirmed-when").textContent = `${meeting.subject}: ${formatWhen(meeting.start, zone)} (${zoneName(zone)}), ${meeting.duration} minutes${who}`;
  $("manage-link").href = `${ROOT}/b/manage/${meeting.id}?token=${encodeURIComponent(booked.manage_token)}`;
  if (booked.session) sessions.keep(booked.session);
  $("confirmation").hidden = false;
  $("confirmation").querySelector("h2").focus();
}

// What the console's screens share: their heading, times in the agent's zone (always named),
// form fields with labels, notices, tables, copying, and a secret shown once. Every piece of
// data is set as text, never HTML.

import { el, serverClock, showAlert, zoneName } from "./common.js";

export { el, showAlert };

let zone = "UTC";
export const setZone = (z) => { zone = z; };
export const agentZone = () => zone;

const formats = new Map();
function format(options) {
  const key = `${zone}|${JSON.stringify(options)}`;
  if (!formats.has(key)) formats.set(key, new Intl.DateTimeFormat("en-GB", { timeZone: zone, hourCycle: "h23", ...options }));
  return formats.get(key);
}

// "Fri 26 Mar 2027, 11:00 (Europe/Rome)"
export function when(instant) {
  if (!instant) return "";
  const text = format({ weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }).format(new Date(instant));
  return `${text} (${zoneName(zone)})`;
}

// "11:00"
export const clock = (instant) => format({ hour: "2-digit", minute: "2-digit" }).format(new Date(instant));

// "Friday 26 March 2027" of a YYYY-MM-DD date (a calendar date: no zone shifts it).
export const longDate = (date) => new Intl.DateTimeFormat("en-GB", {
  weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
}).format(new Date(`${date}T12:00:00Z`));

// The agent's wall-clock date (YYYY-MM-DD) of an instant.
export function localDate(instant) {
  const parts = format({ year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(new Date(instant));
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

// Today on the agent's wall clock, by the server's clock (a browser's may be wrong).
export const today = () => localDate(serverClock.now());

export function addDays(date, days) {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const zoneLabel = () => zoneName(zone);

// A system line as the API words it (its times in UTC, "2027-03-26 10:00 UTC until 10:30 UTC"),
// with those times on the agent's clock instead.
export function localiseUtc(text) {
  let day = null;
  return text.replace(/(?:(\d{4}-\d{2}-\d{2}) )?(\d{2}:\d{2}) UTC/g, (whole, date, time) => {
    day = date || day;
    if (!day) return whole;
    const instant = `${day}T${time}:00Z`;
    return date ? when(instant) : `${clock(instant)}`;
  });
}

let ids = 0;
export const uid = (prefix = "f") => `${prefix}-${++ids}`;

// The screen's heading (focused after each navigation) and an optional line under it.
export function heading(text, intro) {
  const h1 = el("h1", { tabindex: "-1", text });
  return intro ? [h1, el("p", { class: "hint", text: intro })] : [h1];
}

export function section(title, ...children) {
  const id = uid("s");
  return el("section", { "aria-labelledby": id }, el("h2", { id, text: title }), ...children);
}

// A labelled control (and a hint, when given, that describes it). The label names the control
// by id rather than wrapping it, so a list's options never join its name.
export function field(label, control, hint) {
  if (!control.id) control.id = uid("f");
  const parts = [label];
  if (hint) {
    const hintId = uid("hint");
    control.setAttribute("aria-describedby", hintId);
    parts.push(" ", el("span", { class: "hint", id: hintId, text: hint }));
  }
  return el("div", { class: "field" }, el("label", { for: control.id }, ...parts), control);
}

export function input(attributes = {}) {
  return el("input", attributes);
}

export function select(options, chosen, attributes = {}) {
  const node = el("select", attributes);
  for (const [value, label] of options) node.append(new Option(label, String(value), false, String(value) === String(chosen)));
  return node;
}

export function button(text, attributes = {}, onClick = null) {
  const node = el("button", { type: "button", ...attributes, text });
  if (onClick) node.addEventListener("click", onClick);
  return node;
}

// A status line (role="status") that says what just happened.
export function notice() {
  const node = el("p", { class: "notice", role: "status", hidden: true });
  node.say = (text) => {
    node.textContent = text || "";
    node.hidden = !text;
  };
  return node;
}

// Runs `work` with `control` disabled, and shows what went wrong as the page's alert.
export async function busy(control, work) {
  showAlert("");
  if (control) control.disabled = true;
  try {
    return await work();
  } finally {
    if (control) control.disabled = false;
  }
}

// A table with a caption and header cells; `rows` are arrays of cells (text or nodes). A `wide`
// one scrolls sideways in its own region on a narrow screen (a Tab stop, so the keyboard scrolls
// it too) instead of squeezing its columns.
export function table(caption, headers, rows, { wide = false } = {}) {
  const id = uid("t");
  const node = el("table", { class: wide ? "data wide" : "data" },
    el("caption", { id, text: caption }),
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...rows.map((cells) => el("tr", {}, ...cells.map((c) => el("td", {}, c ?? ""))))));
  return wide ? el("div", { class: "table-wrap", role: "region", tabindex: "0", "aria-labelledby": id }, node) : node;
}

// An hour the API gives as "YYYY-MM-DDTHH" (UTC), on the agent's clock.
export const hour = (text) => when(`${text}:00:00Z`);

// "Nothing here yet."
export const empty = (text) => el("p", { class: "empty", text });

// Copies `field`'s text with the Clipboard API, or selects it so the person can copy it
// themselves when the API is missing or refused.
export async function copy(field, say) {
  try {
    if (!navigator.clipboard || !navigator.clipboard.writeText) throw new Error("no clipboard");
    await navigator.clipboard.writeText(field.value);
    say("Copied to the clipboard.");
  } catch {
    field.focus();
    field.select();
    say("Press Ctrl+C (⌘C on a Mac) to copy the selected address.");
  }
}

// A read-only address with a button that copies it.
export function copyable(label, value, buttonText = "Copy link") {
  const id = uid("copy");
  const box = el("input", { id, readonly: true, value, class: "copy-field" });
  const said = notice();
  const copier = button(buttonText, { class: "secondary" }, () => copy(box, said.say));
  copier.setAttribute("aria-describedby", id);
  return el("div", { class: "copy" }, el("label", { for: id, text: label }), el("div", { class: "copy-row" }, box, copier), said);
}

// A secret the API shows once (a token, a key, a feed address), with a way to copy it.
export function shownOnce(label, value) {
  return el("div", { class: "once", role: "status" },
    el("p", { class: "chosen", text: "Shown once: copy it now. It cannot be shown again." }),
    copyable(label, value, "Copy"));
}

// The agent's timeline messages and the inbox show names from here: ids of agents whose names
// the caller knows (the signed-in agent, a conversation's members, the admin's agent list).
const names = new Map();
export const rememberName = (id, name) => { if (id && name) names.set(id, name); };
export const nameOf = (id, fallback = "a colleague") => names.get(id) || fallback;

export const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

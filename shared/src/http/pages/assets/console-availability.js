// The availability editor (`#/availability`): hours with breaks per weekday, date overrides,
// durations, step, buffers, notice, window, the guest cap, reminder lead times and guest
// verification. Saving sends only what changed, as a JSON merge patch (changing Tuesday sends
// Tuesday alone).
//
// The preview is honest about what it is: before saving, the start times the edited hours give
// on a day with nothing booked, worked out here with the server's grid rule (each stretch of
// hours stepped from its start, the whole meeting inside the hours); only the server knows the
// rest (meetings and their buffers, connected calendars, notice, window), so after saving the
// screen shows the real free slots of the next seven days from `GET /v1/book/{slug}/slots`.

import { fillZones } from "./common.js";
import { get, patch, words } from "./console-api.js";
import {
  addDays, agentZone, busy, button, el, field, heading, longDate, notice, section, select, showAlert, today, uid,
} from "./console-ui.js";

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const title = (day) => day[0].toUpperCase() + day.slice(1);
const copyOf = (value) => JSON.parse(JSON.stringify(value));
const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const minutes = (hm) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
const hm = (m) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
const SETTINGS = ["time_zone", "durations", "default_duration", "slot_step", "buffer_before", "buffer_after",
  "minimum_notice", "booking_window_days", "max_meetings_per_guest", "reminder_lead_times", "guest_verification"];

// Start times (wall clock) that `intervals` give a meeting of `duration` minutes every `step`
// minutes: the server's grid, on a day with nothing booked.
export function gridStarts(intervals, duration, step) {
  const spans = intervals.map((i) => [minutes(i.start), i.end === "24:00" ? 1440 : minutes(i.end)])
    .filter(([s, e]) => s < e).sort((a, b) => a[0] - b[0]);
  const starts = new Set();
  for (const [s, e] of spans) {
    // Touching hours (13:00–14:00 then 14:00–15:00) are one stretch a meeting may run across.
    let end = e;
    for (const [s2, e2] of spans) if (s2 === end) end = Math.max(end, e2);
    for (let start = s; start < e && start + duration <= end; start += step) starts.add(start);
  }
  return [...starts].sort((a, b) => a - b).map(hm);
}

export async function render({ screen, me }) {
  const reply = await get("/v1/me/availability");
  if (reply.status !== 200) {
    screen.append(...heading("Availability"), el("p", { text: words(reply.body) }));
    return null;
  }
  let saved = normalise(reply.body);
  let draft = copyOf(saved);

  const status = notice();
  const weekly = el("div");
  const overrides = el("div");
  const settings = el("div");
  const preview = el("div", { class: "preview" });
  const real = el("div", { class: "preview" });
  const save = el("button", { type: "submit", text: "Save changes" });
  const reset = button("Undo my changes", { class: "secondary" }, () => { draft = copyOf(saved); draw(); status.say("Your changes were undone."); });
  const form = el("form", { novalidate: true },
    section("Weekly hours", el("p", { class: "hint", text: "Several stretches in a day leave breaks between them. A day without hours is closed." }), weekly),
    section("Date overrides", el("p", { class: "hint", text: "Other hours on a given date; none closes the day (a holiday, time off)." }), overrides),
    section("Booking rules", settings),
    section("Preview", el("p", { class: "hint", id: uid("p"), text: "" }), preview),
    el("div", { class: "actions" }, save, reset),
    status,
    section("Your free times in the next seven days", el("p", { class: "hint", text: "From the server, as guests see them now (meetings, buffers, calendars, notice and window taken into account)." }), real));
  const previewHint = preview.previousElementSibling;
  screen.append(...heading("Availability", "When guests can book you, and the rules their bookings follow."), form);

  const draw = () => {
    weekly.replaceChildren(...WEEKDAYS.map((day) => hoursEditor(title(day), draft.weekly_hours[day], (list) => { draft.weekly_hours[day] = list; drawPreview(); })));
    const dates = Object.keys(draft.date_overrides).sort();
    const dateInput = el("input", { type: "date", min: today() });
    const addDate = button("Add the date", { class: "secondary" }, () => {
      const date = dateInput.value;
      if (!date) {
        showAlert("Please choose a date first.");
        dateInput.focus();
        return;
      }
      showAlert("");
      if (!draft.date_overrides[date]) draft.date_overrides[date] = [];
      draw();
      overrides.querySelector(`[data-date="${date}"] legend`)?.scrollIntoView({ block: "nearest" });
      overrides.querySelector(`[data-date="${date}"] button`)?.focus();
    });
    overrides.replaceChildren(
      ...dates.map((date) => {
        const editor = hoursEditor(longDate(date), draft.date_overrides[date], (list) => { draft.date_overrides[date] = list; drawPreview(); },
          button("Remove this date", { class: "danger" }, () => { delete draft.date_overrides[date]; draw(); overrides.querySelector("input")?.focus(); }));
        editor.dataset.date = date;
        return editor;
      }),
      el("div", { class: "row" }, field("Date", dateInput), addDate));
    settings.replaceChildren(...settingsEditor(draft, drawPreview));
    drawPreview();
  };

  const drawPreview = () => {
    const duration = draft.default_duration;
    const step = draft.slot_step;
    previewHint.textContent = `Start times of a ${duration}-minute meeting every ${step} minutes on a day with nothing booked (${draft.time_zone.replaceAll("_", " ")}), from the hours above${changed() ? ", not saved yet" : ""}.`;
    const line = (label, intervals) => {
      const starts = gridStarts(intervals, duration, step);
      return el("p", {}, el("strong", { text: `${label}: ` }),
        starts.length ? `${starts.length} times, ${starts.join(", ")}` : "closed");
    };
    preview.replaceChildren(
      ...WEEKDAYS.map((day) => line(title(day), draft.weekly_hours[day])),
      ...Object.keys(draft.date_overrides).sort().map((date) => line(longDate(date), draft.date_overrides[date])));
  };

  const changes = () => {
    const body = {};
    const days = {};
    for (const day of WEEKDAYS) if (!same(draft.weekly_hours[day], saved.weekly_hours[day])) days[day] = draft.weekly_hours[day];
    if (Object.keys(days).length) body.weekly_hours = days;
    const dates = {};
    for (const [date, list] of Object.entries(draft.date_overrides)) if (!same(list, saved.date_overrides[date])) dates[date] = list;
    for (const date of Object.keys(saved.date_overrides)) if (!(date in draft.date_overrides)) dates[date] = null;
    if (Object.keys(dates).length) body.date_overrides = dates;
    for (const key of SETTINGS) if (!same(draft[key], saved[key])) body[key] = draft[key];
    return body;
  };
  const changed = () => Object.keys(changes()).length > 0;

  const showReal = async () => {
    const from = today();
    const query = new URLSearchParams({ from, to: addDays(from, 6), duration: saved.default_duration, time_zone: agentZone() });
    const slots = await get(`/v1/book/${encodeURIComponent(me.agent.slug)}/slots?${query}`);
    if (slots.status !== 200) {
      real.replaceChildren(el("p", { class: "empty", text: words(slots.body) }));
      return;
    }
    const byDay = new Map();
    for (let i = 0; i < 7; i++) byDay.set(addDays(from, i), []);
    for (const slot of slots.body.slots) byDay.get(slot.local_start.slice(0, 10))?.push(slot.local_start.slice(11, 16));
    real.replaceChildren(...[...byDay].map(([date, times]) => el("p", {}, el("strong", { text: `${longDate(date)}: ` }),
      times.length ? `${times.length} free, ${times.join(", ")}` : "none free")));
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = changes();
    if (!Object.keys(body).length) {
      status.say("Nothing has changed.");
      return;
    }
    await busy(save, async () => {
      const result = await patch("/v1/me/availability", body);
      if (result.status !== 200) {
        showAlert(words(result.body));
        return;
      }
      saved = normalise(result.body);
      draft = copyOf(saved);
      draw();
      status.say(`Saved: ${describe(body)}.`);
      await showReal();
    });
  });

  draw();
  await showReal();
  return null;
}

// Every weekday present, overrides an object, so the draft compares with what was saved.
function normalise(doc) {
  const a = copyOf(doc);
  a.weekly_hours = a.weekly_hours || {};
  for (const day of WEEKDAYS) a.weekly_hours[day] = a.weekly_hours[day] || [];
  a.date_overrides = a.date_overrides || {};
  a.reminder_lead_times = a.reminder_lead_times || [];
  return a;
}

function describe(body) {
  const parts = [];
  if (body.weekly_hours) parts.push(`${Object.keys(body.weekly_hours).map(title).join(", ")} hours`);
  if (body.date_overrides) parts.push("date overrides");
  const rest = Object.keys(body).filter((k) => k !== "weekly_hours" && k !== "date_overrides");
  if (rest.length) parts.push(rest.map((k) => k.replaceAll("_", " ")).join(", "));
  return parts.join("; ");
}

// "9:00", "0900" or "09:00" as "09:00"; null when it is not a time of day.
export function clockTime(text) {
  const m = /^\s*(\d{1,2})[:.h]?(\d{2})\s*$/.exec(text);
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2])];
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return `${String(h).padStart(2, "0")}:${m[2]}`;
}

// A day's stretches of hours: From and To for each (24-hour clock), a way to remove it, and to
// add one.
function hoursEditor(name, list, changed, ...extra) {
  const box = el("fieldset", { class: "hours" }, el("legend", { text: name }));
  const rows = el("div");
  const time = (value, onTime) => {
    const node = el("input", { value, class: "time", maxlength: "5", size: "5", autocomplete: "off", placeholder: "hh:mm", spellcheck: "false" });
    node.addEventListener("change", () => {
      const t = clockTime(node.value);
      node.setAttribute("aria-invalid", String(!t));
      if (!t) {
        showAlert(`${name}: "${node.value}" is not a time of day (use hh:mm, 24-hour).`);
        return;
      }
      showAlert("");
      node.value = t;
      onTime(t);
    });
    return node;
  };
  const draw = () => {
    rows.replaceChildren(...(list.length ? list.map((interval, i) => {
      const label = () => `Remove ${name} ${list[i].start} to ${list[i].end}`;
      const update = () => { remove.setAttribute("aria-label", label()); changed(list); };
      const from = time(interval.start, (t) => { list[i].start = t; update(); });
      const to = time(interval.end, (t) => { list[i].end = t; update(); });
      const remove = button("Remove", { class: "secondary", "aria-label": label() }, () => {
        list.splice(i, 1);
        changed(list);
        draw();
        box.querySelector("input, button")?.focus();
      });
      return el("div", { class: "interval" }, field("From", from), field("To", to), remove);
    }) : [el("p", { class: "empty", text: "Closed" })]));
  };
  const add = button("Add hours", { class: "secondary" }, () => {
    const last = list[list.length - 1];
    const start = last ? Math.min(minutes(last.end) + 60, 22 * 60) : 9 * 60;
    list.push({ start: hm(start), end: hm(Math.min(start + 60, 24 * 60)) });
    changed(list);
    draw();
    const inputs = rows.querySelectorAll("input");
    inputs[inputs.length - 2]?.focus();
  });
  draw();
  box.append(rows, el("div", { class: "actions" }, add, ...extra));
  return box;
}

// The rules besides the hours.
function settingsEditor(draft, changed) {
  const zone = el("select");
  fillZones(zone, draft.time_zone);
  zone.addEventListener("change", () => { draft.time_zone = zone.value; changed(); });

  const options = [...new Set([10, 15, 20, 30, 45, 60, 90, 120, ...draft.durations])].sort((a, b) => a - b);
  const defaultSelect = el("select");
  const fillDefault = () => {
    defaultSelect.replaceChildren(...draft.durations.map((d) => new Option(`${d} minutes`, String(d), false, d === draft.default_duration)));
  };
  const checks = el("div", { class: "checks" }, ...options.map((d) => {
    const box = el("input", { type: "checkbox", value: String(d) });
    box.checked = draft.durations.includes(d);
    box.addEventListener("change", () => {
      draft.durations = options.filter((o) => checks.querySelector(`input[value="${o}"]`).checked);
      if (!draft.durations.includes(draft.default_duration) && draft.durations.length) draft.default_duration = draft.durations[0];
      fillDefault();
      changed();
    });
    return el("label", { class: "check" }, box, ` ${d} minutes`);
  }));
  fillDefault();
  defaultSelect.addEventListener("change", () => { draft.default_duration = Number(defaultSelect.value); changed(); });

  const numberSelect = (key, values, unit) => {
    const all = [...new Set([...values, draft[key]])].sort((a, b) => a - b);
    const node = select(all.map((v) => [v, `${v} ${unit}`]), draft[key]);
    node.addEventListener("change", () => { draft[key] = Number(node.value); changed(); });
    return node;
  };
  const numberInput = (key, min, max) => {
    const node = el("input", { type: "number", min: String(min), max: String(max), value: String(draft[key]), inputmode: "numeric" });
    node.addEventListener("change", () => {
      const n = Number(node.value);
      if (Number.isInteger(n)) { draft[key] = n; changed(); }
    });
    return node;
  };
  const reminders = el("input", { value: draft.reminder_lead_times.join(", "), autocomplete: "off", inputmode: "numeric" });
  reminders.addEventListener("change", () => {
    draft.reminder_lead_times = reminders.value.split(/[,;\s]+/).filter(Boolean).map(Number).filter((n) => Number.isInteger(n));
    changed();
  });

  const verification = el("fieldset", {}, el("legend", { text: "Guests prove their address with an emailed code" }),
    ...[["always", "Always"], ["returning", "Only when they already have meetings or a conversation with you"], ["off", "Never"]].map(([value, label]) => {
      const radio = el("input", { type: "radio", name: "guest_verification", value });
      radio.checked = (draft.guest_verification || "always") === value;
      radio.addEventListener("change", () => { draft.guest_verification = value; changed(); });
      return el("label", { class: "check block" }, radio, ` ${label}`);
    }));

  return [
    field("Time zone", zone, "your hours are on this clock"),
    el("fieldset", {}, el("legend", { text: "Durations guests can choose" }), checks),
    el("div", { class: "row" },
      field("Default duration", defaultSelect),
      field("A new start every", numberSelect("slot_step", [5, 10, 15, 20, 30, 45, 60], "minutes"))),
    el("div", { class: "row" },
      field("Free before each meeting", numberSelect("buffer_before", [0, 5, 10, 15, 20, 25, 30], "minutes")),
      field("Free after each meeting", numberSelect("buffer_after", [0, 5, 10, 15, 20, 25, 30], "minutes"))),
    el("div", { class: "row" },
      field("Minimum notice", numberInput("minimum_notice", 0, 43200), "minutes before the start"),
      field("Booking window", numberInput("booking_window_days", 1, 31), "days ahead (at most 31)"),
      field("Meetings one guest may hold", numberInput("max_meetings_per_guest", 1, 100), "at once")),
    field("Reminders", reminders, "minutes before the start, separated by commas (at most five)"),
    verification,
  ];
}

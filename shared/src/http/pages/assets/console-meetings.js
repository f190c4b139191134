// The agenda (`#/meetings`): the agent's meetings day by day on their own clock, a month at a
// time (the API lists at most 62 days per request); each opens its own screen to reschedule,
// change the duration or cancel.

import { get, words } from "./console-api.js";
import {
  addDays, button, clock, el, heading, longDate, localDate, showAlert, today, uid, zoneLabel,
} from "./console-ui.js";

const DAYS = 28;

export async function render({ screen }) {
  let from = today();
  const range = el("p", { class: "chosen", "aria-live": "polite" });
  const list = el("div", { class: "agenda" });
  const earlier = button("Earlier", { class: "secondary" }, () => move(-DAYS));
  const later = button("Later", { class: "secondary" }, () => move(DAYS));
  const back = button("Today", { class: "secondary" }, () => { from = today(); return load(); });
  screen.append(...heading("Meetings", `Times are on your clock (${zoneLabel()}).`),
    el("div", { class: "actions" }, earlier, back, later, el("a", { href: "#/schedule", class: "button-link", text: "Schedule a meeting" })),
    range, list);

  async function move(days) {
    from = addDays(from, days);
    await load();
  }

  async function load() {
    const to = addDays(from, DAYS - 1);
    const reply = await get(`/v1/me/meetings?from=${from}&to=${to}`);
    if (reply.status !== 200) {
      showAlert(words(reply.body));
      return;
    }
    range.textContent = `${longDate(from)} to ${longDate(to)}`;
    const byDay = new Map();
    for (const meeting of reply.body.meetings) {
      const day = localDate(meeting.start);
      if (!byDay.has(day)) byDay.set(day, []);
      byDay.get(day).push(meeting);
    }
    if (byDay.size === 0) {
      list.replaceChildren(el("p", { class: "empty", text: "No meetings in these four weeks." }));
      return;
    }
    list.replaceChildren(...[...byDay].map(([day, meetings]) => {
      const id = uid("d");
      return el("section", { class: "day-group", "aria-labelledby": id },
        el("h2", { id, text: longDate(day) }),
        el("ul", { class: "cards-list" }, ...meetings.map(item)));
    }));
  }

  await load();
  return null;
}

function item(m) {
  const cancelled = m.status === "cancelled";
  return el("li", { class: cancelled ? "meeting-item cancelled" : "meeting-item" },
    el("p", { class: "meeting-time", text: `${clock(m.start)}–${clock(m.end)}` }),
    el("p", {}, el("a", { href: `#/meetings/${m.id}`, text: m.subject }), cancelled ? " (cancelled)" : ""),
    el("p", { class: "meta", text: `With ${m.guest.name} · ${m.duration} minutes · booked by ${m.booked_by === "agent" ? "you" : "the guest"}` }));
}

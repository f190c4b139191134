// A month calendar of the days with free slots, then the times of the chosen day, in the
// viewer's zone. Used to book (booking page), to reschedule (manage and conversation pages, the
// console) and to schedule for someone (the console).
//
// Each of the two grids is one Tab stop (a roving tabindex): the arrow keys move within it (up
// and down by a week, or by a row of times; past the month's free days, on to the next or
// previous month), Home and End go to its first and last choice, Page Up and Page Down change
// the month, and Enter or Space picks.

import { api, el, explain, showAlert, t } from "./common.js";
import { locale } from "./i18n.js";

function monthOf(instant, zone) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit" }).formatToParts(new Date(instant));
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  return { year: get("year"), month: get("month") };
}

const pad = (n) => String(n).padStart(2, "0");
const daysIn = (year, month) => new Date(Date.UTC(year, month, 0)).getUTCDate();
let pickers = 0;

// Moves the one Tab stop of `buttons` to `target` (and the focus, when `focus`).
function rove(buttons, target, focus = true) {
  for (const b of buttons) b.tabIndex = b === target ? 0 : -1;
  if (target && focus) target.focus();
}

// The button `delta` places from `from` among `buttons` (enabled ones), or the nearest enabled
// one beyond it in that direction; `from` itself when there is none.
function nearest(buttons, from, delta) {
  const all = [...buttons];
  let i = all.indexOf(from) + delta;
  const dir = Math.sign(delta);
  while (i >= 0 && i < all.length) {
    if (!all[i].disabled) return all[i];
    i += dir;
  }
  return from;
}

export class SlotPicker {
  // `level`: the heading level of the month's name (the section around it has the one above).
  constructor(container, { slug, zone, duration, now, onPick, level = 3 }) {
    Object.assign(this, { container, slug, zone, duration, onPick, level });
    this.month = monthOf(now, zone);
    this.first = { ...this.month };
    this.id = `picker-${++pickers}`;
    this.build();
  }

  build() {
    const h = `h${Math.min(6, this.level)}`;
    // Built with DOM calls: the words come from the message files, never parsed as HTML.
    const keys = `${this.id}-keys`;
    this.container.replaceChildren(
      el("div", { class: "month-bar" },
        el("button", { type: "button", "data-step": "-1", "aria-label": t("picker-previous"), text: "‹" }),
        el(h, { class: "month-name", id: `${this.id}-month`, "aria-live": "polite", translate: "no" }),
        el("button", { type: "button", "data-step": "1", "aria-label": t("picker-next"), text: "›" })),
      el("p", { class: "visually-hidden", id: keys, text: t("picker-keys") }),
      el("div", { class: "days", role: "group", "aria-labelledby": `${this.id}-month`, "aria-describedby": keys }),
      el("div", { class: "times", role: "group", "aria-label": t("picker-times"), "aria-describedby": keys, "aria-live": "polite" }));
    for (const button of this.container.querySelectorAll("[data-step]")) {
      button.addEventListener("click", () => this.step(Number(button.dataset.step)));
    }
    this.container.querySelector(".days").addEventListener("keydown", (event) => this.dayKey(event));
    this.container.querySelector(".times").addEventListener("keydown", (event) => this.timeKey(event));
  }

  step(delta) {
    let { year, month } = this.month;
    month += delta;
    if (month < 1) { month = 12; year -= 1; }
    if (month > 12) { month = 1; year += 1; }
    if (year < this.first.year || (year === this.first.year && month < this.first.month)) return Promise.resolve();
    this.month = { year, month };
    return this.load();
  }

  async load() {
    const { year, month } = this.month;
    const label = new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(year, month - 1, 1)));
    this.container.querySelector(".month-name").textContent = label;
    this.container.querySelector("[data-step='-1']").disabled = year === this.first.year && month === this.first.month;
    const from = `${year}-${pad(month)}-01`;
    const to = `${year}-${pad(month)}-${pad(daysIn(year, month))}`;
    const query = new URLSearchParams({ from, to, duration: this.duration, time_zone: this.zone });
    const reply = await api("GET", `/v1/book/${encodeURIComponent(this.slug)}/slots?${query}`);
    if (reply.status !== 200) {
      showAlert(explain(reply.body));
      return;
    }
    this.byDay = new Map();
    for (const slot of reply.body.slots) {
      const day = slot.local_start.slice(0, 10);
      if (!this.byDay.has(day)) this.byDay.set(day, []);
      this.byDay.get(day).push(slot);
    }
    this.renderDays();
  }

  days() {
    return this.container.querySelectorAll(".day");
  }

  renderDays() {
    const { year, month } = this.month;
    const grid = this.container.querySelector(".days");
    // Monday first; 1 March 2027 was a Monday.
    const weekday = new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" });
    const cells = [0, 1, 2, 3, 4, 5, 6].map((i) => {
      const cell = document.createElement("div");
      cell.className = "weekday";
      cell.translate = false;
      cell.textContent = weekday.format(new Date(Date.UTC(2027, 2, 1 + i)));
      cell.setAttribute("aria-hidden", "true");
      return cell;
    });
    const lead = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7;
    for (let i = 0; i < lead; i++) cells.push(document.createElement("div"));
    for (let day = 1; day <= daysIn(year, month); day++) {
      const date = `${year}-${pad(month)}-${pad(day)}`;
      const slots = this.byDay.get(date) || [];
      const button = document.createElement("button");
      button.type = "button";
      button.className = "day";
      button.textContent = day;
      button.dataset.date = date;
      button.disabled = slots.length === 0;
      button.tabIndex = -1;
      button.setAttribute("aria-pressed", "false");
      const name = new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(year, month - 1, day)));
      button.setAttribute("aria-label", slots.length ? t("picker-day-free", { day: name, count: slots.length }) : t("picker-day-none", { day: name }));
      button.addEventListener("click", () => this.pickDay(date));
      cells.push(button);
    }
    grid.replaceChildren(...cells);
    rove(this.days(), [...this.days()].find((b) => !b.disabled), false);
    const times = this.container.querySelector(".times");
    times.replaceChildren();
    if (this.byDay.size === 0) {
      const empty = document.createElement("p");
      empty.className = "empty";
      empty.textContent = t("picker-none");
      times.append(empty);
    }
  }

  pickDay(date) {
    const days = this.days();
    for (const b of days) b.setAttribute("aria-pressed", String(b.dataset.date === date));
    rove(days, [...days].find((b) => b.dataset.date === date), false);
    const times = this.container.querySelector(".times");
    times.replaceChildren(...this.byDay.get(date).map((slot) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = slot.local_start.slice(11, 16);
      button.dataset.start = slot.start;
      button.tabIndex = -1;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => {
        for (const b of times.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b === button));
        rove(times.querySelectorAll("button"), button, false);
        this.onPick(slot);
      });
      return button;
    }));
    rove(times.querySelectorAll("button"), times.querySelector("button"));
  }

  async dayKey(event) {
    const days = this.days();
    const current = event.target.closest(".day");
    if (!current) return;
    const enabled = [...days].filter((b) => !b.disabled);
    let target = null;
    switch (event.key) {
      case "ArrowRight": target = nearest(days, current, 1); break;
      case "ArrowLeft": target = nearest(days, current, -1); break;
      case "ArrowDown": target = nearest(days, current, 7); break;
      case "ArrowUp": target = nearest(days, current, -7); break;
      case "Home": target = enabled[0]; break;
      case "End": target = enabled[enabled.length - 1]; break;
      case "PageDown":
      case "PageUp":
        event.preventDefault();
        await this.step(event.key === "PageDown" ? 1 : -1);
        rove(this.days(), [...this.days()].find((b) => b.tabIndex === 0) || this.days()[0]);
        return;
      default: return;
    }
    event.preventDefault();
    if (target && target !== current) return rove(days, target);
    // Past the month's last (or before its first) free day: on to the next (or previous) month.
    const forward = { ArrowRight: true, ArrowDown: true, ArrowLeft: false, ArrowUp: false }[event.key];
    if (forward === undefined) return;
    const before = this.month;
    await this.step(forward ? 1 : -1);
    if (this.month === before) return;
    const free = [...this.days()].filter((b) => !b.disabled);
    rove(this.days(), (forward ? free[0] : free[free.length - 1]) || this.days()[0]);
  }

  timeKey(event) {
    const buttons = [...this.container.querySelectorAll(".times button")];
    const current = event.target.closest("button");
    if (!current || buttons.length === 0) return;
    // A row of times is as many as share the first one's line.
    const perRow = Math.max(1, buttons.filter((b) => b.offsetTop === buttons[0].offsetTop).length);
    const at = buttons.indexOf(current);
    const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: perRow, ArrowUp: -perRow };
    let target = null;
    if (event.key in moves) target = buttons[Math.min(buttons.length - 1, Math.max(0, at + moves[event.key]))];
    else if (event.key === "Home") target = buttons[0];
    else if (event.key === "End") target = buttons[buttons.length - 1];
    else return;
    event.preventDefault();
    rove(buttons, target);
  }
}

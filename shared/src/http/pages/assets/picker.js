// A month calendar of the days with free slots, then the times of the chosen day, in the
// guest's zone. Used to book (booking page) and to reschedule (manage and conversation pages).

import { api, explain, showAlert } from "./common.js";

function monthOf(instant, zone) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit" }).formatToParts(new Date(instant));
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  return { year: get("year"), month: get("month") };
}

const pad = (n) => String(n).padStart(2, "0");
const daysIn = (year, month) => new Date(Date.UTC(year, month, 0)).getUTCDate();

export class SlotPicker {
  constructor(container, { slug, zone, duration, now, onPick }) {
    Object.assign(this, { container, slug, zone, duration, onPick });
    this.month = monthOf(now, zone);
    this.first = { ...this.month };
    this.build();
  }

  build() {
    this.container.innerHTML = `
      <div class="month-bar">
        <button type="button" data-step="-1" aria-label="Previous month">‹</button>
        <h3 aria-live="polite"></h3>
        <button type="button" data-step="1" aria-label="Next month">›</button>
      </div>
      <div class="days" role="group" aria-label="Days"></div>
      <div class="times" role="group" aria-label="Times" aria-live="polite"></div>`;
    for (const button of this.container.querySelectorAll("[data-step]")) {
      button.addEventListener("click", () => this.step(Number(button.dataset.step)));
    }
  }

  step(delta) {
    let { year, month } = this.month;
    month += delta;
    if (month < 1) { month = 12; year -= 1; }
    if (month > 12) { month = 1; year += 1; }
    this.month = { year, month };
    return this.load();
  }

  async load() {
    const { year, month } = this.month;
    const label = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(year, month - 1, 1)));
    this.container.querySelector("h3").textContent = label;
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

  renderDays() {
    const { year, month } = this.month;
    const grid = this.container.querySelector(".days");
    const cells = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map((d) => {
      const cell = document.createElement("div");
      cell.className = "weekday";
      cell.textContent = d;
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
      button.setAttribute("aria-pressed", "false");
      const name = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(year, month - 1, day)));
      button.setAttribute("aria-label", slots.length ? `${name}, ${slots.length} times free` : `${name}, no times free`);
      button.addEventListener("click", () => this.pickDay(date));
      cells.push(button);
    }
    grid.replaceChildren(...cells);
    const times = this.container.querySelector(".times");
    times.replaceChildren();
    if (this.byDay.size === 0) {
      const empty = document.createElement("p");
      empty.className = "empty";
      empty.textContent = "No free times this month.";
      times.append(empty);
    }
  }

  pickDay(date) {
    for (const b of this.container.querySelectorAll(".day")) b.setAttribute("aria-pressed", String(b.dataset.date === date));
    const times = this.container.querySelector(".times");
    times.replaceChildren(...this.byDay.get(date).map((slot) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = slot.local_start.slice(11, 16);
      button.dataset.start = slot.start;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => {
        for (const b of times.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b === button));
        this.onPick(slot);
      });
      return button;
    }));
    times.querySelector("button")?.focus();
  }
}

// One meeting as a card: when, how long, its status, and behind its calendar icon the changes a
// guest may make (C7: reschedule, change the duration, cancel). The manage page shows one card
// opened; the conversation page one per meeting of the conversation. Everything is built with
// DOM calls and text, never HTML from data.

import { api, el, explain, fillDurations, fillZones, formatWhen, showAlert, t, zoneName } from "./common.js";
import { SlotPicker } from "./picker.js";

export class MeetingCard {
  // `meeting` as the API returns it; `token` opens it (a manage token or a guest session);
  // `profile` is its booking page's (durations, the server's clock), when known; `level` is the
  // card's heading level (shown or not), the headings inside it one and two below.
  constructor(container, { meeting, token, profile = null, zone, open = false, heading = true, level = 3, onChange = () => {} }) {
    Object.assign(this, { container, meeting, token, profile, zone, onChange, level });
    this.build(heading, open);
    this.render();
  }

  build(heading, open) {
    const id = `meeting-${this.meeting.id}`;
    this.parts = {
      when: el("dd", { class: "meeting-when" }),
      duration: el("dd", { class: "meeting-duration" }),
      status: el("dd", { class: "meeting-status" }),
      notice: el("p", { class: "notice", role: "status", "aria-live": "polite", hidden: "" }),
      durationSelect: el("select", { id: `${id}-duration` }),
      zoneSelect: el("select", { id: `${id}-zone`, translate: "no" }),
      calendar: el("div", { class: "calendar" }),
      confirmMove: el("button", { type: "button", hidden: "", text: t("card-move-here") }),
    };
    const p = this.parts;
    p.subject = el(heading ? `h${this.level}` : "span", { class: heading ? "card-subject" : "visually-hidden", translate: "no" });
    p.toggle = el("button", {
      type: "button", class: "icon", "aria-expanded": String(open), "aria-controls": `${id}-actions`,
      "aria-label": t("card-change"), title: t("card-change"),
    });
    p.toggle.append(calendarIcon());
    const durationForm = el("form", { class: "inline" },
      el("label", { for: `${id}-duration`, text: t("card-change-duration") }), p.durationSelect,
      el("button", { type: "submit", text: t("card-save-duration") }));
    // The label wraps nothing here (the select sits beside it), so tie them by id.
    p.reschedule = el("button", { type: "button", text: t("card-reschedule") });
    p.cancel = el("button", { type: "button", class: "danger", text: t("card-cancel") });
    p.close = el("button", { type: "button", class: "secondary", text: t("card-keep-time") });
    p.chooser = el("section", { class: "chooser", hidden: "" },
      el(`h${this.level + 1}`, { text: t("card-pick-new") }),
      el("div", { class: "controls" }, el("label", { for: `${id}-zone`, text: t("booking-zone") }), p.zoneSelect),
      p.calendar,
      el("div", { class: "actions" }, p.confirmMove, p.close));
    p.actions = el("section", { id: `${id}-actions`, class: "card-actions" },
      durationForm, el("div", { class: "actions" }, p.reschedule, p.cancel), p.chooser);
    p.actions.hidden = !open;
    const top = el("div", { class: "card-top" }, p.subject, p.toggle);
    const summary = el("dl", { class: "summary" },
      el("dt", { text: t("card-when") }), p.when, el("dt", { text: t("booking-duration") }), p.duration, el("dt", { text: t("card-status") }), p.status);
    this.container.replaceChildren(el("article", { class: "card" }, top, summary, p.notice, p.actions));

    p.toggle.addEventListener("click", () => {
      const opening = p.actions.hidden;
      p.actions.hidden = !opening;
      p.toggle.setAttribute("aria-expanded", String(opening));
      if (opening) p.durationSelect.focus();
    });
    durationForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.change({ duration: Number(p.durationSelect.value) }, t("card-duration-changed"));
    });
    p.reschedule.addEventListener("click", () => this.openChooser());
    p.zoneSelect.addEventListener("change", (e) => { this.zone = e.target.value; this.render(); this.openChooser(); });
    p.close.addEventListener("click", () => { p.chooser.hidden = true; p.reschedule.focus(); });
    p.confirmMove.addEventListener("click", () => this.move());
    p.cancel.addEventListener("click", () => this.cancelMeeting());
    fillZones(p.zoneSelect, this.zone);
  }

  render() {
    const { meeting: m, parts: p } = this;
    p.subject.textContent = m.subject;
    p.when.textContent = t("when-zone", { when: formatWhen(m.start, this.zone), zone: zoneName(this.zone) });
    p.duration.textContent = t("minutes", { minutes: m.duration });
    p.status.textContent = m.status === "cancelled" ? t("card-cancelled") : t("card-scheduled");
    const open = m.status !== "cancelled";
    p.toggle.hidden = !open;
    if (!open) p.actions.hidden = true;
    const durations = this.profile ? this.profile.durations : [m.duration];
    fillDurations(p.durationSelect, durations, m.duration);
  }

  notice(text) {
    this.parts.notice.textContent = text;
    this.parts.notice.hidden = !text;
  }

  async refused(reply) {
    showAlert(explain(reply.body));
    if (reply.status === 409) {
      const fresh = await api("GET", `/v1/meetings/${this.meeting.id}`, { token: this.token });
      if (fresh.status === 200) {
        this.meeting = fresh.body;
        this.render();
      }
    }
  }

  async change(body, done) {
    showAlert("");
    this.notice("");
    const reply = await api("PATCH", `/v1/meetings/${this.meeting.id}`, { token: this.token, body: { ...body, version: this.meeting.version } });
    if (reply.status !== 200) {
      await this.refused(reply);
      return false;
    }
    this.meeting = reply.body;
    this.render();
    this.notice(done);
    this.onChange(this.meeting);
    return true;
  }

  async openChooser() {
    const p = this.parts;
    this.target = null;
    p.confirmMove.hidden = true;
    p.chooser.hidden = false;
    this.picker = new SlotPicker(p.calendar, {
      slug: this.meeting.booking_slug, zone: this.zone, duration: this.meeting.duration, level: this.level + 2,
      now: this.profile ? this.profile.now : new Date().toISOString(),
      onPick: (slot) => {
        this.target = slot;
        p.confirmMove.textContent = t("card-move-to", { when: formatWhen(slot.start, this.zone) });
        p.confirmMove.hidden = false;
        p.confirmMove.focus();
      },
    });
    await this.picker.load();
  }

  async move() {
    const moved = await this.change({ start: this.target.start }, t("card-moved"));
    if (moved) this.parts.chooser.hidden = true;
    else await this.picker.load();
  }

  async cancelMeeting() {
    if (!window.confirm(t("card-cancel-ask"))) return;
    showAlert("");
    const reply = await api("DELETE", `/v1/meetings/${this.meeting.id}`, { token: this.token });
    if (reply.status !== 200) return this.refused(reply);
    this.meeting = reply.body;
    this.parts.chooser.hidden = true;
    this.render();
    this.notice(t("card-cancelled-notice"));
    this.onChange(this.meeting);
  }
}

// The calendar icon, drawn inline (the pages load nothing from elsewhere).
function calendarIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "22");
  svg.setAttribute("height", "22");
  svg.setAttribute("aria-hidden", "true");
  for (const [tag, attrs] of [
    ["rect", { x: "3", y: "5", width: "18", height: "16", rx: "2" }],
    ["line", { x1: "3", y1: "10", x2: "21", y2: "10" }],
    ["line", { x1: "8", y1: "3", x2: "8", y2: "7" }],
    ["line", { x1: "16", y1: "3", x2: "16", y2: "7" }],
  ]) {
    const shape = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) shape.setAttribute(k, v);
    shape.setAttribute("fill", "none");
    shape.setAttribute("stroke", "currentColor");
    shape.setAttribute("stroke-width", "2");
    svg.append(shape);
  }
  return svg;
}

// The guest's pages: booking (/b/{slug}) and manage (/b/manage/{id}?token=). Plain JavaScript,
// no build step; everything goes through the public API. Times are shown in the guest's zone
// (detected, changeable); the calendar starts from the server's clock, not the browser's.
"use strict";

const $ = (id) => document.getElementById(id);

async function api(method, path, { body, token, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  if (token) init.headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    return { status: 0, body: { type: "/problems/network", detail: "The service could not be reached. Check your connection and try again." } };
  }
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

// What each refusal means to a guest; `detail` from the API covers the rest.
function explain(problem, context = {}) {
  const kind = (problem && problem.type || "").replace("/problems/", "");
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
    case "invalid-field":
      return `Please check ${problem.field || "your input"}: ${problem.detail}`;
    case "not-found":
      return context.notFound || "This link does not exist or is no longer valid.";
    case "unauthorized":
      return "This link is not valid. Use the link from your confirmation email.";
    default:
      return (problem && problem.detail) || "Something went wrong. Please try again.";
  }
}

function showAlert(message) {
  const alert = $("alert");
  alert.textContent = message;
  alert.hidden = !message;
  if (message) alert.scrollIntoView({ block: "nearest" });
}

function detectedZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

function fillZones(select, chosen) {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [chosen, "UTC"];
  const all = zones.includes(chosen) ? zones : [chosen, ...zones];
  select.replaceChildren(...all.map((z) => new Option(z.replaceAll("_", " "), z, false, z === chosen)));
}

function fillDurations(select, durations, chosen) {
  select.replaceChildren(...durations.map((d) => new Option(`${d} minutes`, String(d), false, d === chosen)));
}

// "Monday 29 March 2027, 03:00" on the zone's wall clock.
function formatWhen(instant, zone) {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, weekday: "long", day: "numeric", month: "long", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(new Date(instant));
}

function monthOf(instant, zone) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit" }).formatToParts(new Date(instant));
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  return { year: get("year"), month: get("month") };
}

const pad = (n) => String(n).padStart(2, "0");
const daysIn = (year, month) => new Date(Date.UTC(year, month, 0)).getUTCDate();

// A month calendar of days with free slots, then the times of the chosen day.
class SlotPicker {
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
    const reply = await api("GET", `/v1/book/${this.slug}/slots?${query}`);
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

async function bookingPage() {
  const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
  const page = await api("GET", `/v1/book/${slug}`);
  if (page.status !== 200) {
    $("agent-name").textContent = "Booking link not found";
    $("chooser").hidden = true;
    showAlert(explain(page.body, { notFound: "This booking link does not exist. Check the address you were given." }));
    return;
  }
  const profile = page.body;
  document.title = `Book a meeting with ${profile.agent_name}`;
  $("agent-name").textContent = profile.agent_name;
  let zone = detectedZone();
  let duration = profile.default_duration;
  let chosen = null;
  fillZones($("zone"), zone);
  fillDurations($("duration"), profile.durations, duration);

  const picker = () => new SlotPicker($("calendar"), {
    slug, zone, duration, now: profile.now,
    onPick: (slot) => {
      chosen = slot;
      $("chosen").textContent = `${formatWhen(slot.start, zone)} (${zone.replaceAll("_", " ")}), ${duration} minutes`;
      $("details").hidden = false;
      $("subject").focus();
    },
  });
  let calendar = picker();
  const reload = () => { chosen = null; $("details").hidden = true; calendar = picker(); return calendar.load(); };
  $("zone").addEventListener("change", (e) => { zone = e.target.value; reload(); });
  $("duration").addEventListener("change", (e) => { duration = Number(e.target.value); reload(); });
  $("change-time").addEventListener("click", () => { $("details").hidden = true; calendar.container.querySelector(".day[aria-pressed='true']")?.focus(); });
  await calendar.load();

  let idempotencyKey = null;
  $("details").addEventListener("submit", async (event) => {
    event.preventDefault();
    showAlert("");
    for (const id of ["subject", "name", "email"]) {
      if (!$(id).value.trim()) {
        showAlert(`Please fill in ${id === "name" ? "your name" : id}.`);
        $(id).focus();
        return;
      }
    }
    const members = $("members").value.split(/[,;\s]+/).map((m) => m.trim()).filter(Boolean);
    const body = { subject: $("subject").value, duration, start: chosen.start, name: $("name").value, email: $("email").value, additional_members: members, time_zone: zone };
    // One key per attempt at this slot: a double click or a retry books once.
    idempotencyKey = idempotencyKey || crypto.randomUUID();
    $("schedule").disabled = true;
    const reply = await api("POST", `/v1/book/${slug}/meetings`, { body, headers: { "idempotency-key": idempotencyKey } });
    $("schedule").disabled = false;
    if (reply.status === 201) {
      const meeting = reply.body.meeting;
      $("chooser").hidden = true;
      $("details").hidden = true;
      $("confirmed-when").textContent = `${meeting.subject}: ${formatWhen(meeting.start, zone)} (${zone.replaceAll("_", " ")}), ${meeting.duration} minutes, with ${profile.agent_name}`;
      const link = `/b/manage/${meeting.id}?token=${encodeURIComponent(reply.body.manage_token)}`;
      $("manage-link").href = link;
      $("confirmation").hidden = false;
      $("confirmation").querySelector("h2").focus?.();
      return;
    }
    idempotencyKey = null;
    showAlert(explain(reply.body, { agent: profile.agent_name }));
    if (["/problems/slot-taken", "/problems/calendar-busy", "/problems/too-soon", "/problems/outside-working-hours"].includes(reply.body?.type)) {
      await reload();
    }
  });
}

async function managePage() {
  const id = location.pathname.split("/")[3];
  const token = new URLSearchParams(location.search).get("token") || "";
  let meeting = null;
  let profile = null;
  let zone = detectedZone();
  let target = null;

  const render = () => {
    $("subject-heading").textContent = meeting.subject;
    $("meeting-when").textContent = `${formatWhen(meeting.start, zone)} (${zone.replaceAll("_", " ")})`;
    $("meeting-duration").textContent = `${meeting.duration} minutes`;
    $("meeting-status").textContent = meeting.status === "cancelled" ? "Cancelled" : "Scheduled";
    $("actions").hidden = meeting.status === "cancelled";
    if (profile) fillDurations($("duration"), profile.durations, meeting.duration);
  };
  const notice = (text) => { $("notice").textContent = text; $("notice").hidden = !text; };
  const refused = async (reply) => {
    showAlert(explain(reply.body));
    if (reply.status === 409) await load();
  };
  const load = async () => {
    const reply = await api("GET", `/v1/meetings/${id}`, { token });
    if (reply.status !== 200) {
      $("subject-heading").textContent = "Meeting not found";
      showAlert(explain(reply.body));
      return false;
    }
    meeting = reply.body;
    zone = meeting.guest.time_zone || zone;
    render();
    return true;
  };
  if (!(await load())) return;
  const page = await api("GET", `/v1/book/${meeting.booking_slug}`);
  if (page.status === 200) {
    profile = page.body;
    render();
  }
  fillZones($("zone"), zone);

  const change = async (body, done) => {
    showAlert("");
    notice("");
    const reply = await api("PATCH", `/v1/meetings/${id}`, { token, body: { ...body, version: meeting.version } });
    if (reply.status !== 200) return refused(reply);
    meeting = reply.body;
    render();
    notice(done);
  };
  $("duration-form").addEventListener("submit", (event) => {
    event.preventDefault();
    change({ duration: Number($("duration").value) }, "The duration was changed. Everyone got an updated invitation.");
  });

  let calendar = null;
  const openChooser = async () => {
    target = null;
    $("confirm-move").hidden = true;
    $("chooser").hidden = false;
    calendar = new SlotPicker($("calendar"), {
      slug: meeting.booking_slug, zone, duration: meeting.duration, now: profile ? profile.now : new Date().toISOString(),
      onPick: (slot) => {
        target = slot;
        $("confirm-move").textContent = `Move to ${formatWhen(slot.start, zone)}`;
        $("confirm-move").hidden = false;
        $("confirm-move").focus();
      },
    });
    await calendar.load();
  };
  $("reschedule").addEventListener("click", openChooser);
  $("zone").addEventListener("change", (e) => { zone = e.target.value; render(); openChooser(); });
  $("close-chooser").addEventListener("click", () => { $("chooser").hidden = true; $("reschedule").focus(); });
  $("confirm-move").addEventListener("click", async () => {
    await change({ start: target.start }, "The meeting was moved. Everyone got an updated invitation.");
    if ($("alert").hidden) $("chooser").hidden = true;
    else await calendar.load();
  });
  $("cancel").addEventListener("click", async () => {
    if (!window.confirm("Cancel this meeting? Everyone will be told.")) return;
    showAlert("");
    const reply = await api("DELETE", `/v1/meetings/${id}`, { token });
    if (reply.status !== 200) return refused(reply);
    meeting = reply.body;
    $("chooser").hidden = true;
    render();
    notice("The meeting was cancelled. Everyone was told.");
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const page = document.body.dataset.page;
  (page === "booking" ? bookingPage() : managePage()).catch((error) => showAlert(`Something went wrong: ${error.message}`));
});

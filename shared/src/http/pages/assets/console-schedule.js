// Scheduling for an external person (`#/schedule`): the agent's own free slots in the guest
// pages' picker, then who it is for. Every booking rule applies but the guest cap (B5); the
// guest gets the invitation and a manage link by email.

import { fillZones, formatWhen, zoneName } from "./common.js";
import { get, post, words } from "./console-api.js";
import { agentZone, busy, el, field, heading, notice, select, showAlert, uid } from "./console-ui.js";
import { SlotPicker } from "./picker.js";

export async function render({ screen, me }) {
  const page = await get(`/v1/book/${encodeURIComponent(me.agent.slug)}`);
  if (page.status !== 200) {
    screen.append(...heading("Schedule a meeting"), el("p", { text: words(page.body, { notFound: "Your booking page is not available." }) }));
    return null;
  }
  const profile = page.body;
  const zone = agentZone();
  let duration = profile.default_duration;
  let chosen = null;

  const durationSelect = select(profile.durations.map((d) => [d, `${d} minutes`]), duration);
  const calendar = el("div", { class: "calendar" });
  const when = el("p", { class: "chosen", tabindex: "-1" });
  const subject = el("input", { maxlength: "200", required: true, autocomplete: "off" });
  const name = el("input", { maxlength: "100", required: true, autocomplete: "off" });
  const email = el("input", { type: "email", required: true, autocomplete: "off" });
  const members = el("input", { autocomplete: "off" });
  const guestZone = el("select");
  fillZones(guestZone, zone);
  const submit = el("button", { type: "submit", text: "Schedule" });
  const again = el("button", { type: "button", class: "secondary", text: "Pick another time" });
  const form = el("form", { hidden: true, novalidate: true },
    el("h2", { text: "Who it is for" }), when,
    field("Subject", subject), field("Their name", name), field("Their email", email),
    field("Additional members", members, "emails, separated by commas (at most five)"),
    field("Their time zone", guestZone, "their invitation shows times in it"),
    el("div", { class: "actions" }, submit, again));
  const done = notice();
  const pickId = uid("h");

  screen.append(...heading("Schedule a meeting", `Pick one of your free times (${zoneName(zone)}), then say who it is for. They get an invitation by email.`),
    done,
    el("section", { "aria-labelledby": pickId },
      el("h2", { id: pickId, text: "Pick a time" }),
      el("div", { class: "controls" }, field("Duration", durationSelect)),
      calendar),
    form);

  let picker;
  const load = () => {
    chosen = null;
    form.hidden = true;
    picker = new SlotPicker(calendar, {
      slug: me.agent.slug, zone, duration, now: profile.now,
      onPick: (slot) => {
        chosen = slot;
        when.textContent = `${formatWhen(slot.start, zone)} (${zoneName(zone)}), ${duration} minutes`;
        form.hidden = false;
        subject.focus();
      },
    });
    return picker.load();
  };
  durationSelect.addEventListener("change", () => { duration = Number(durationSelect.value); load(); });
  again.addEventListener("click", () => {
    form.hidden = true;
    (calendar.querySelector(".day[aria-pressed='true']") || calendar.querySelector(".day:not([disabled])"))?.focus();
  });

  let idempotencyKey = null;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const [input, what] of [[subject, "the subject"], [name, "their name"], [email, "their email"]]) {
      if (!input.value.trim()) {
        showAlert(`Please fill in ${what}.`);
        input.focus();
        return;
      }
    }
    const body = {
      subject: subject.value.trim(), start: chosen.start, duration, name: name.value.trim(), email: email.value.trim(),
      additional_members: members.value.split(/[,;\s]+/).map((m) => m.trim()).filter(Boolean), time_zone: guestZone.value,
    };
    // One key per attempt: a double click or a retry schedules once.
    idempotencyKey = idempotencyKey || crypto.randomUUID();
    const reply = await busy(submit, () => post("/v1/me/meetings", body, { "idempotency-key": idempotencyKey }));
    if (reply.status === 201) {
      idempotencyKey = null;
      const meeting = reply.body.meeting;
      for (const input of [subject, name, email, members]) input.value = "";
      const open = el("a", { href: `#/meetings/${meeting.id}`, text: "Open the meeting" });
      done.replaceChildren(`Scheduled: ${meeting.subject}, ${formatWhen(meeting.start, zone)} (${zoneName(zone)}). `, open);
      done.hidden = false;
      open.focus();
      await load();
      return;
    }
    if (reply.status !== 503) idempotencyKey = null;
    showAlert(words(reply.body));
    if (reply.status === 409 || reply.status === 422) await load();
  });

  await load();
  return null;
}

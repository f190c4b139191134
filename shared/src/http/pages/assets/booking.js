// The booking page (/b/{slug}): pick a day and a time in your zone, give your details, and
// schedule. A guest who has not proven the address gets the code step (the time is held for ten
// minutes meanwhile); confirming keeps a session in this browser, so later bookings go straight
// through and the page shows "Signed in as …" with the guest's meetings.

import {
  $, ROOT, api, detectedZone, explain, fillDurations, fillZones, formatWhen, apiLanguage, serverClock, sessions, showAlert, showBooked,
  t, zoneName,
} from "./common.js";
import { CodeStep } from "./code-step.js";
import { signIn } from "./sign-in.js";
import { SlotPicker } from "./picker.js";

const TAKEN = ["/problems/slot-taken", "/problems/calendar-busy", "/problems/too-soon", "/problems/outside-working-hours"];

async function bookingPage() {
  const slug = decodeURIComponent(location.pathname.split("/b/")[1] || "");
  const page = await api("GET", `/v1/book/${encodeURIComponent(slug)}`);
  if (page.status !== 200) {
    $("agent-name").textContent = t("booking-not-found-heading");
    $("chooser").hidden = true;
    showAlert(explain(page.body, { notFound: t("booking-not-found") }));
    return;
  }
  const profile = page.body;
  serverClock.heard(profile.now);
  const agent = profile.agent_name;
  document.title = t("booking-title-with", { agent });
  $("agent-name").textContent = agent;
  let zone = detectedZone();
  let duration = profile.default_duration;
  let chosen = null;
  fillZones($("zone"), zone);
  fillDurations($("duration"), profile.durations, duration);
  const codeStep = new CodeStep();
  const identity = new Identity(profile, codeStep, () => zone);

  const picker = () => new SlotPicker($("calendar"), {
    slug, zone, duration, now: profile.now,
    onPick: (slot) => {
      chosen = slot;
      $("chosen").textContent = t("chosen-slot", { when: formatWhen(slot.start, zone), zone: zoneName(zone), minutes: duration });
      $("details").hidden = false;
      if (!$("email").value) $("email").value = identity.session?.email || "";
      $("subject").focus();
    },
  });
  let calendar = picker();
  const reload = () => { chosen = null; $("details").hidden = true; calendar = picker(); return calendar.load(); };
  $("zone").addEventListener("change", (e) => { zone = e.target.value; reload(); });
  $("duration").addEventListener("change", (e) => { duration = Number(e.target.value); reload(); });
  $("change-time").addEventListener("click", () => { $("details").hidden = true; calendar.container.querySelector(".day[aria-pressed='true']")?.focus(); });
  await calendar.load();

  const booked = (reply) => {
    $("chooser").hidden = true;
    $("details").hidden = true;
    showBooked(reply.body, { zone, agent });
    identity.refresh();
  };
  const held = (hold) => {
    $("verify-what").textContent = t("verify-what", { subject: $("subject").value, chosen: $("chosen").textContent });
    $("details").hidden = true;
    $("chooser").hidden = true;
    codeStep.open({
      email: hold.email, expiresAt: hold.expires_at, zone, held: "verify-held-until",
      submit: (code) => api("POST", `/v1/holds/${hold.id}/confirm`, { body: { code } }),
      resend: () => api("POST", `/v1/holds/${hold.id}/resend`),
      done: booked,
      expired: () => {
        $("chooser").hidden = false;
        reload();
      },
    });
  };

  let idempotencyKey = null;
  $("details").addEventListener("submit", async (event) => {
    event.preventDefault();
    showAlert("");
    for (const id of ["subject", "name", "email"]) {
      if (!$(id).value.trim()) {
        showAlert(t("problem-check-field", { field: t(`field-${id}`) }));
        $(id).focus();
        return;
      }
    }
    const members = $("members").value.split(/[,;\s]+/).map((m) => m.trim()).filter(Boolean);
    const body = { subject: $("subject").value, duration, start: chosen.start, name: $("name").value, email: $("email").value, additional_members: members, time_zone: zone, language: apiLanguage };
    // One key per attempt at this slot: a double click or a retry books (or holds) once.
    idempotencyKey = idempotencyKey || crypto.randomUUID();
    $("schedule").disabled = true;
    const token = identity.session?.token;
    const reply = await api("POST", `/v1/book/${encodeURIComponent(slug)}/meetings`, { body, token, headers: { "idempotency-key": idempotencyKey } });
    $("schedule").disabled = false;
    idempotencyKey = null;
    if (reply.status === 201) return booked(reply);
    if (reply.status === 202) return held(reply.body.hold);
    if (reply.status === 401 && token) {
      // The session ended (signed out elsewhere, or expired): book as anyone would.
      identity.signedOut();
      return $("schedule").click();
    }
    showAlert(explain(reply.body, { agent }));
    if (TAKEN.includes(reply.body?.type)) await reload();
  });
}

// "Signed in as …", sign-in by code without booking, the guest's meetings, and sign-out.
class Identity {
  constructor(profile, codeStep, zone) {
    Object.assign(this, { profile, codeStep, zone });
    this.session = sessions.of(profile.tenant_id);
    $("sign-in").addEventListener("click", () => {
      $("sign-in-form").hidden = false;
      $("sign-in-email").focus();
    });
    $("sign-in-cancel").addEventListener("click", () => { $("sign-in-form").hidden = true; });
    $("sign-in-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.start();
    });
    $("sign-out").addEventListener("click", () => this.signOut());
    this.refresh();
  }

  async start() {
    showAlert("");
    const email = $("sign-in-email").value.trim();
    const sent = await signIn({
      where: { slug: this.profile.slug }, email, codeStep: this.codeStep, zone: this.zone(),
      done: () => this.refresh(),
      expired: () => { $("sign-in-form").hidden = false; },
    });
    if (sent) {
      $("verify-what").textContent = "";
      $("sign-in-form").hidden = true;
    }
  }

  async signOut() {
    const token = this.session?.token;
    this.signedOut();
    if (token) await api("DELETE", "/v1/guest/session", { token });
  }

  signedOut() {
    sessions.forget(this.profile.tenant_id);
    this.refresh();
  }

  async refresh() {
    this.session = sessions.of(this.profile.tenant_id);
    $("signed-in").hidden = !this.session;
    $("sign-in").hidden = !!this.session;
    $("mine").hidden = true;
    if (!this.session) return;
    $("signed-in-email").textContent = this.session.email;
    const reply = await api("GET", "/v1/guest/meetings", { token: this.session.token });
    if (reply.status === 401) return this.signedOut();
    if (reply.status !== 200) return;
    const upcoming = reply.body.meetings.filter((m) => m.status === "scheduled");
    $("mine-list").replaceChildren(...upcoming.map((m) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `${ROOT}/b/manage/${m.id}`;
      link.textContent = m.subject;
      link.translate = false; // the guest's own words
      item.append(link, " · ", Object.assign(document.createElement("span"), { translate: false, textContent: formatWhen(m.start, this.zone()) }));
      return item;
    }));
    $("mine").hidden = upcoming.length === 0;
  }
}

bookingPage().catch((error) => showAlert(t("page-failed", { error: error.message })));

// The manage page (/b/manage/{id}?token=): see the meeting, reschedule it, change its duration,
// cancel it. The token comes from the link in the guest's email; without one, a session kept in
// this browser (a signed-in guest's) is tried instead.

import { $, api, detectedZone, explain, fillDurations, fillZones, formatWhen, sessions, showAlert, zoneName } from "./common.js";
import { SlotPicker } from "./picker.js";

async function managePage() {
  const id = location.pathname.split("/").pop();
  let token = new URLSearchParams(location.search).get("token") || "";
  let meeting = null;
  let profile = null;
  let zone = detectedZone();
  let target = null;

  const render = () => {
    $("subject-heading").textContent = meeting.subject;
    $("meeting-when").textContent = `${formatWhen(meeting.start, zone)} (${zoneName(zone)})`;
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
  const fetchWith = (candidate) => api("GET", `/v1/meetings/${id}`, { token: candidate });
  const load = async () => {
    let reply = await fetchWith(token);
    if (reply.status !== 200 && !new URLSearchParams(location.search).has("token")) {
      for (const session of sessions.all()) {
        const tried = await fetchWith(session.token);
        if (tried.status === 200) {
          [token, reply] = [session.token, tried];
          break;
        }
      }
    }
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
  const page = await api("GET", `/v1/book/${encodeURIComponent(meeting.booking_slug)}`);
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

managePage().catch((error) => showAlert(`Something went wrong: ${error.message}`));

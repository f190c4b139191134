// The manage page (/b/manage/{id}?token=): one meeting as an opened card (see meeting-card.js).
// The token comes from the link in the guest's email; without one, a session kept in this
// browser (a signed-in guest's) is tried instead.

import { $, ROOT, api, detectedZone, explain, sessions, showAlert, t, tenantOfToken, takeToken, handToken } from "./common.js";
import { MeetingCard } from "./meeting-card.js";

async function managePage() {
  const id = location.pathname.split("/").pop();
  const fromLink = takeToken();
  const candidates = fromLink ? [fromLink] : sessions.all().map((s) => s.token);
  let found = null;
  let token = null;
  for (const candidate of candidates) {
    const reply = await api("GET", `/v1/meetings/${id}`, { token: candidate });
    found = reply;
    if (reply.status === 200) {
      token = candidate;
      break;
    }
  }
  if (!found || found.status !== 200) {
    $("subject-heading").textContent = t("manage-not-found-heading");
    showAlert(found ? explain(found.body) : t("manage-open-from-email"));
    return;
  }
  const meeting = found.body;
  $("subject-heading").textContent = meeting.subject;
  $("subject-heading").translate = false; // the guest's own words
  const page = await api("GET", `/v1/book/${encodeURIComponent(meeting.booking_slug)}`);
  const profile = page.status === 200 ? page.body : null;
  const conversation = $("conversation-link");
  conversation.href = `${ROOT}/c/${tenantOfToken(token)}${meeting.conversation_id}`;
  // The meeting's token opens its conversation too (C4), but never travels in a link (G11).
  handToken(new URL(conversation.href, location.href).pathname, fromLink);
  conversation.hidden = false;
  new MeetingCard($("meeting"), {
    meeting, token, profile, zone: meeting.guest.time_zone || detectedZone(), open: true, heading: false, level: 1,
    onChange: (m) => { $("subject-heading").textContent = m.subject; },
  });
}

managePage().catch((error) => showAlert(t("page-failed", { error: error.message })));

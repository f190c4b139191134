// One meeting (`#/meetings/{id}`): the guest pages' meeting card opened for the agent, so the
// reschedule uses the same slot picker (the agent's own free slots), the duration the booking
// page's choices, and cancelling tells everyone; the subject can change too.

import { get, patch, words } from "./console-api.js";
import { agentZone, busy, el, field, heading, notice, section, showAlert, when } from "./console-ui.js";
import { MeetingCard } from "./meeting-card.js";

export async function render({ screen, params: [id] }) {
  const reply = await get(`/v1/meetings/${id}`);
  if (reply.status !== 200) {
    screen.append(...heading("Meeting not found"),
      el("p", { text: words(reply.body, { notFound: "This meeting is not one of yours, or it no longer exists." }) }),
      el("p", {}, el("a", { href: "#/meetings", text: "Back to the meetings" })));
    return null;
  }
  let meeting = reply.body;
  const page = await get(`/v1/book/${encodeURIComponent(meeting.booking_slug)}`);
  const profile = page.status === 200 ? page.body : null;

  const [title] = heading(meeting.subject);
  const card = el("div");
  const guest = el("dl", { class: "summary" });
  const subject = el("input", { maxlength: "200", value: meeting.subject, autocomplete: "off" });
  const saved = notice();
  const subjectForm = el("form", { class: "inline", novalidate: true },
    field("Subject", subject), el("button", { type: "submit", text: "Save subject" }));

  const drawGuest = () => {
    const rows = [
      ["Guest", `${meeting.guest.name} (${meeting.guest.email})`],
      ["Others invited", meeting.additional_members.length ? meeting.additional_members.join(", ") : "Nobody"],
      ["Booked", `${when(meeting.created_at)} by ${meeting.booked_by === "agent" ? "you" : "the guest"}${meeting.verified ? "" : " (address not proven)"}`],
      ["Booking link", `/b/${meeting.booking_slug}`],
    ];
    guest.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
  };
  drawGuest();

  screen.append(title,
    el("p", {}, el("a", { href: "#/meetings", text: "Back to the meetings" }), " · ",
      el("a", { href: `#/conversations/${meeting.conversation_id}`, text: "Open the conversation" })),
    card,
    section("Details", guest, subjectForm, saved));

  const opened = new MeetingCard(card, {
    meeting, profile, zone: agentZone(), open: true, heading: false, level: 1,
    onChange: (changed) => { meeting = changed; title.textContent = changed.subject; drawGuest(); },
  });

  subjectForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = subject.value.trim();
    if (!text) {
      showAlert("Please write a subject.");
      subject.focus();
      return;
    }
    await busy(subjectForm.querySelector("button"), async () => {
      const changed = await patch(`/v1/meetings/${id}`, { subject: text, version: meeting.version });
      if (changed.status !== 200) return showAlert(words(changed.body));
      meeting = changed.body;
      opened.meeting = meeting;
      opened.render();
      drawGuest();
      title.textContent = meeting.subject;
      document.title = `${meeting.subject} · Console`;
      saved.say("The subject was changed. Everyone got an updated invitation.");
    });
  });
  return null;
}

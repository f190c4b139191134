// A guest's privacy requests (`#/admin/privacy`, admins): everything the tenant holds about an
// address (to read, or to save as JSON and as an iCalendar file), every session of it ended, and
// its erasure (future meetings cancelled with notices first, then every trace scrubbed; the
// receipt names no address).

import { del, get, post, seg, untilDone, words } from "./console-api.js";
import { busy, button, el, field, heading, notice, section, showAlert, table, when } from "./console-ui.js";

export async function render({ screen }) {
  const status = notice();
  const email = el("input", { type: "email", autocomplete: "off" });
  const exportButton = el("button", { type: "submit", text: "Show what we hold" });
  const form = el("form", { class: "inline", novalidate: true }, field("Guest's email address", email), exportButton);
  const out = el("div");
  const sessions = button("End their sessions", { class: "secondary" });
  const erase = button("Erase this guest", { class: "danger" });
  screen.append(...heading("Guest privacy", "A guest's export and erasure."), status, form,
    el("div", { class: "actions" }, sessions, erase), out);

  const address = () => {
    const value = email.value.trim();
    if (!value || !email.checkValidity()) {
      showAlert("Please enter the guest's email address.");
      email.focus();
      return null;
    }
    return value;
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = address();
    if (!value) return;
    await busy(exportButton, async () => {
      const reply = await get(`/v1/guests/${seg(value)}/export`);
      if (reply.status !== 200) return showAlert(words(reply.body));
      out.replaceChildren(exported(reply.body));
      out.querySelector("h2").focus();
    });
  });

  sessions.addEventListener("click", async () => {
    const value = address();
    if (!value) return;
    await busy(sessions, async () => {
      const reply = await del(`/v1/guests/${seg(value)}/sessions`);
      if (reply.status !== 200) return showAlert(words(reply.body));
      status.say(`${reply.body.revoked} session${reply.body.revoked === 1 ? "" : "s"} of ${value} ended.`);
    });
  });

  erase.addEventListener("click", async () => {
    const value = address();
    if (!value) return;
    if (!window.confirm(`Erase ${value}? Their future meetings are cancelled (they are told), then everything about them is scrubbed. This cannot be undone.`)) return;
    await busy(erase, async () => {
      const reply = await untilDone(() => post(`/v1/guests/${seg(value)}/erase`));
      if (reply.status !== 200 && reply.status !== 202) return showAlert(words(reply.body));
      const r = reply.body;
      out.replaceChildren(el("section", { class: "stack", "aria-labelledby": "erasure-receipt" },
        el("h2", { id: "erasure-receipt", tabindex: "-1", text: r.done ? "Erased" : "Erasure still going on" }),
        el("dl", { class: "summary" }, ...[
          ["Receipt", r.id], ["Started", when(r.started_at)], ["Finished", r.finished_at ? when(r.finished_at) : "not yet: erase again to carry on"],
          ["Meetings cancelled", r.meetings_cancelled], ["Meetings erased", r.meetings_erased],
          ["Conversations erased", r.conversations_erased], ["Messages erased", r.messages_erased], ["Items removed", r.items_removed],
        ].flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: String(v) })]))));
      out.querySelector("h2").focus();
    });
  });
  return null;
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  return el("a", { href: url, download: name, class: "button-link", text: `Save ${name}` });
}

function exported(x) {
  const file = x.email.replace(/[^a-z0-9]+/gi, "-");
  return el("section", { class: "stack", "aria-labelledby": "export-heading" },
    el("h2", { id: "export-heading", tabindex: "-1", text: `What we hold about ${x.email}` }),
    el("p", {}, download(`${file}.json`, "application/json", JSON.stringify(x, null, 2)), " ",
      download(`${file}.ics`, "text/calendar", x.calendar)),
    x.meetings.length
      ? table("Meetings", ["When", "Subject", "Status"], x.meetings.map((m) => [when(m.start), m.subject, m.status]))
      : el("p", { class: "empty", text: "No meetings." }),
    x.conversations.length
      ? table("Conversations", ["Title", "Started"], x.conversations.map((c) => [c.title, when(c.created_at)]))
      : el("p", { class: "empty", text: "No conversations." }),
    el("p", { text: `${x.messages.length} messages written, ${x.sessions.length} sessions, ${x.suppressions.length} suppressions.` }));
}

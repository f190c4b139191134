// One message of a conversation's timeline as a list item, for the guest's conversation page and
// the console alike: a system message in the reader's own zone (the API's one line, in UTC, for
// the kinds not worded here), a member's words as text, never HTML.

import { t } from "./i18n.js";

// `when(instant)` renders an instant for this reader; `line(text)` the API's own line, for the
// kinds not worded here.
export function describe(m, when, line = (text) => text) {
  const e = m.event;
  switch (e && e.type) {
    case "meeting_booked": return t("event-meeting-booked", { subject: e.subject, when: when(e.start) });
    case "meeting_rescheduled": return t("event-meeting-rescheduled", { from: when(e.from), to: when(e.start) });
    case "duration_changed": return t("event-duration-changed", { from: e.from_minutes, to: e.to_minutes });
    case "subject_changed": return t("event-subject-changed", { from: e.from, to: e.to });
    case "meeting_cancelled": return t("event-meeting-cancelled", { when: when(e.start) });
    case "renamed": return e.title ? t("event-renamed", { title: e.title }) : t("event-renamed-reset");
    case "assigned": return t("event-assigned", { agent: e.agent_name, service: e.service_name });
    case "reminder_sent": return t("event-reminder-sent", { when: when(e.start), minutes: e.lead_minutes });
    case "email_undelivered": return e.complaint ? t("event-email-complaint", { name: e.to }) : t("event-email-bounced", { name: e.to });
    case "agent_left": return t("event-agent-left", { agent: e.agent_name, service: e.service_name });
    case "service_removed": return t("event-service-removed", { service: e.service_name, agent: e.agent_name });
    case "meeting_handed_over": return t("event-meeting-handed-over", { from: e.from_name, to: e.to_name });
    case "meeting_rehosted": return t("event-meeting-rehosted", { from: e.from_name, to: e.to_name });
    case "unsubscribed": return t("event-unsubscribed", { name: e.name });
    default: return m.event ? line(m.text) : m.text;
  }
}

export function messageItem(m, when, line) {
  const item = document.createElement("li");
  item.className = m.event ? "system" : m.mine ? "said mine" : "said";
  item.dataset.id = m.id;
  const meta = document.createElement("p");
  meta.className = "meta";
  // Names and times are data, formatted by the browser in the page's language.
  meta.translate = false;
  meta.textContent = `${m.event ? "" : `${m.author} · `}${when(m.at)}`;
  const text = document.createElement("p");
  text.className = "text";
  text.textContent = describe(m, when, line);
  // A member's words are theirs, in whatever language they wrote.
  if (!m.event) text.translate = false;
  item.append(meta, text);
  return item;
}

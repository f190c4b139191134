// One message of a conversation's timeline as a list item, for the guest's conversation page and
// the console alike: a system message in the reader's own zone (the API's one line, in UTC, for
// the kinds not worded here), a member's words as text, never HTML.

// `when(instant)` renders an instant for this reader; `line(text)` the API's own line, for the
// kinds not worded here.
export function describe(m, when, line = (text) => text) {
  const e = m.event;
  switch (e && e.type) {
    case "meeting_booked": return `Meeting booked: "${e.subject}" on ${when(e.start)}`;
    case "meeting_rescheduled": return `Meeting moved from ${when(e.from)} to ${when(e.start)}`;
    case "meeting_cancelled": return `Meeting on ${when(e.start)} cancelled`;
    case "reminder_sent": return `Reminder sent: the meeting on ${when(e.start)} starts in ${e.lead_minutes} minutes`;
    default: return m.event ? line(m.text) : m.text;
  }
}

export function messageItem(m, when, line) {
  const item = document.createElement("li");
  item.className = m.event ? "system" : m.mine ? "said mine" : "said";
  item.dataset.id = m.id;
  const meta = document.createElement("p");
  meta.className = "meta";
  meta.textContent = `${m.event ? "" : `${m.author} · `}${when(m.at)}`;
  const text = document.createElement("p");
  text.className = "text";
  text.textContent = describe(m, when, line);
  item.append(meta, text);
  return item;
}

// The inbox (`#/inbox`): the agent's own conversations beside the ones waiting, unassigned, in
// the queues of the services they serve; newest activity first, with unread counts. It
// refreshes every 20 seconds while the tab is visible, one request at a time.

import { get, words } from "./console-api.js";
import { serverClock } from "./common.js";
import { clock, el, heading, localiseUtc, nameOf, showAlert, uid, when, zoneLabel } from "./console-ui.js";
import { poller } from "./console-poll.js";

const REFRESH_SECONDS = 20;

export async function render({ screen, me }) {
  const entries = new Map(); // id → entry, across the pages read
  let next = null; // the cursor after the last page read
  let older = false; // whether older pages were read (they are kept on refresh)
  const mine = el("ul", { class: "inbox-list" });
  const queue = el("ul", { class: "inbox-list" });
  const mineId = uid("h");
  const queueId = uid("h");
  const more = el("button", { type: "button", class: "secondary", hidden: true, text: "Show older conversations" });
  const updated = el("p", { class: "hint", "aria-live": "off" });
  const unreadTotal = document.getElementById("nav-unread");

  screen.append(
    ...heading("Inbox"),
    updated,
    el("div", { class: "inbox" },
      el("section", { "aria-labelledby": mineId }, el("h2", { id: mineId, text: "Yours" }), mine),
      el("section", { "aria-labelledby": queueId },
        el("h2", { id: queueId, text: "Waiting in your services' queues" }), queue)),
    more);

  const draw = () => {
    const sorted = [...entries.values()].sort((a, b) => (b.last_activity_at || "").localeCompare(a.last_activity_at || ""));
    const own = sorted.filter((e) => e.member);
    const waiting = sorted.filter((e) => !e.member);
    mine.replaceChildren(...(own.length ? own.map((e) => item(e, me)) : [el("li", { class: "empty", text: "No conversations yet." })]));
    queue.replaceChildren(...(waiting.length ? waiting.map((e) => item(e, me)) : [el("li", { class: "empty", text: "Nothing is waiting." })]));
    more.hidden = !next;
    const unread = own.reduce((n, e) => n + e.unread, 0);
    unreadTotal.textContent = unread ? `${unread} unread` : "";
    unreadTotal.hidden = !unread;
  };

  const read = async (before) => {
    const query = before ? `?before=${encodeURIComponent(before)}` : "";
    const reply = await get(`/v1/me/conversations${query}`);
    if (reply.status !== 200) {
      showAlert(words(reply.body));
      return false;
    }
    if (!before && !older) entries.clear();
    for (const entry of reply.body.conversations) entries.set(entry.id, entry);
    if (before || !older) next = reply.body.next;
    updated.textContent = `Updated at ${clock(serverClock.now())} (${zoneLabel()}); it refreshes every ${REFRESH_SECONDS} seconds.`;
    draw();
    return true;
  };

  more.addEventListener("click", async () => {
    more.disabled = true;
    older = true;
    const focusAfter = mine.children.length + queue.children.length;
    await read(next);
    more.disabled = false;
    // The first of the new entries takes the focus, so a keyboard user reads on from there.
    const links = screen.querySelectorAll(".inbox-list a");
    if (links[focusAfter - 1]) links[focusAfter - 1].focus();
  });

  await read(null);
  const refresh = poller(() => read(null), REFRESH_SECONDS);
  return { stop: refresh.stop };
}

function item(entry, me) {
  const link = el("a", { href: `#/conversations/${entry.id}`, class: "inbox-title", text: entry.title });
  const badges = [];
  if (entry.unread) badges.push(el("span", { class: "badge", text: `${entry.unread} unread` }));
  const assignee = entry.assignee
    ? entry.assignee.agent_id === me.agent.id ? "Assigned to you" : `Assigned to ${nameOf(entry.assignee.agent_id)}`
    : "Unassigned";
  const last = entry.last_message;
  return el("li", { class: entry.unread ? "inbox-item unread" : "inbox-item" },
    el("div", { class: "inbox-top" }, link, ...badges),
    // A system line (the API's, in UTC) comes with its booker's name; its times go on the agent's clock.
    last ? el("p", { class: "inbox-last", text: `${last.author}: ${localiseUtc(last.text)}` }) : null,
    el("p", { class: "meta", text: `${assignee} · ${entry.kind === "group" ? "group" : "one to one"}${entry.last_activity_at ? ` · ${when(entry.last_activity_at)}` : ""}` }));
}

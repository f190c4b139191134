// Suppressions (`#/admin/suppressions`, admins): addresses no longer mailed (bounces, complaints,
// unsubscribes), a page at a time; one lifted (every suppression of the address).

import { del, get, seg, words } from "./console-api.js";
import { busy, button, el, heading, notice, showAlert, when } from "./console-ui.js";

const REASONS = { bounce: "Bounced", complaint: "Complained", unsubscribe: "Unsubscribed" };

export async function render({ screen }) {
  const status = notice();
  const list = el("ul", { class: "cards-list" });
  const more = button("Show more", { class: "secondary", hidden: true });
  let next = null;
  screen.append(...heading("Suppressions", "Addresses the tenant no longer mails. Lifting one mails it again."), status, list, more);

  const item = (s) => el("li", { class: "split" },
    el("div", {}, el("p", { class: "inbox-title", text: s.email }),
      el("p", { class: "meta", text: `${REASONS[s.reason] || s.reason} · ${when(s.at)} · ${s.conversation_id ? "one conversation's mail" : "all mail"}` })),
    button("Lift", { class: "secondary", "aria-label": `Lift the suppression of ${s.email}` }, (event) => busy(event.target, async () => {
      const reply = await del(`/v1/suppressions/${seg(s.email)}`);
      if (reply.status !== 200) return showAlert(words(reply.body));
      status.say(`${s.email} is mailed again.`);
      await load(true);
      screen.querySelector("h1").focus();
    })));

  const load = async (fresh) => {
    if (fresh) next = null;
    const reply = await get(`/v1/suppressions${next ? `?after=${encodeURIComponent(next)}` : ""}`);
    if (reply.status !== 200) return showAlert(words(reply.body));
    const items = reply.body.suppressions.map(item);
    if (fresh) list.replaceChildren(...items);
    else list.append(...items);
    if (!list.children.length) list.append(el("li", { class: "empty", text: "No address is suppressed." }));
    next = reply.body.next;
    more.hidden = !next;
  };
  more.addEventListener("click", () => load(false));
  await load(true);
  return null;
}

// The audit trail (`#/admin/audit`, admins): who did what, newest first, a page at a time. It
// names keys and agents, never a guest's address.

import { get, words } from "./console-api.js";
import { button, el, heading, nameOf, rememberName, showAlert, table, when } from "./console-ui.js";

export async function render({ screen }) {
  const body = el("div");
  const more = button("Show older entries", { class: "secondary", hidden: true });
  let next = null;
  let rows = [];
  screen.append(...heading("Audit trail", "Every admin action, newest first."), body, more);

  const agents = await get("/v1/agents");
  if (agents.status === 200) for (const a of agents.body.agents) rememberName(a.id, a.name);
  const who = (by) => {
    const [kind, id] = by.split(":");
    if (kind === "agent") return nameOf(id, by);
    if (kind === "key") return `admin key ${id}`;
    return by;
  };

  const load = async () => {
    const reply = await get(`/v1/audit${next ? `?before=${encodeURIComponent(next)}` : ""}`);
    if (reply.status !== 200) return showAlert(words(reply.body));
    rows = rows.concat(reply.body.entries.map((e) => [when(e.at), who(e.by), e.action, e.target, e.detail]));
    next = reply.body.next;
    body.replaceChildren(rows.length
      ? table("Admin actions", ["When", "Who", "What", "On", "Detail"], rows, { wide: true })
      : el("p", { class: "empty", text: "Nothing yet." }));
    more.hidden = !next;
  };
  more.addEventListener("click", async () => {
    more.disabled = true;
    await load();
    more.disabled = false;
    // The table is drawn anew: its region takes the focus, so a keyboard user reads on from it.
    body.querySelector(".table-wrap")?.focus();
  });
  await load();
  return null;
}

// Services (`#/admin/services`, admins): call groups on a PBX and their members, static (may be
// assigned conversations) or dynamic; a new service; members added and removed; a service
// removed (its waiting conversations go back to their agents).

import { del, get, post, put, untilDone, words } from "./console-api.js";
import { busy, button, el, field, heading, notice, section, select, showAlert, uid } from "./console-ui.js";

export async function render({ screen }) {
  const status = notice();
  const list = el("ul", { class: "cards-list" });
  const name = el("input", { maxlength: "100", autocomplete: "off" });
  const pbx = el("select");
  const create = el("button", { type: "submit", text: "Add the service" });
  const form = el("form", { class: "stack", novalidate: true },
    el("div", { class: "row" }, field("Name", name), field("PBX", pbx)), el("div", { class: "actions" }, create));
  screen.append(...heading("Services", "Call groups: conversations wait in their queue for their static members."), status,
    section("The tenant's services", list), section("New service", form));

  let agents = [];
  let pbxs = [];
  const load = async () => {
    const [s, a, p] = await Promise.all([get("/v1/services"), get("/v1/agents"), get("/v1/pbxs")]);
    if (s.status !== 200) return showAlert(words(s.body));
    agents = a.status === 200 ? a.body.agents : [];
    pbxs = p.status === 200 ? p.body.pbxs : [];
    if (!pbx.options.length) pbx.replaceChildren(...pbxs.map((x) => new Option(x.name, x.id)));
    list.replaceChildren(...(s.body.services.length
      ? s.body.services.map((service) => card(service))
      : [el("li", { class: "empty", text: "No services yet." })]));
  };

  const card = (service) => {
    const headingId = uid("s");
    const site = pbxs.find((x) => x.id === service.pbx_id);
    const nameOf = (id) => agents.find((a) => a.id === id)?.name || "an agent no longer listed";
    const members = el("ul", { class: "members" }, ...(service.members.length ? service.members.map((m) => el("li", {},
      `${nameOf(m.agent_id)} (${m.kind}) `,
      button("Remove", { class: "secondary small", "aria-label": `Remove ${nameOf(m.agent_id)} from ${service.name}` }, (event) => busy(event.target, async () => {
        const reply = await del(`/v1/services/${service.id}/members/${m.agent_id}`);
        if (reply.status !== 204) return showAlert(words(reply.body));
        await load();
        status.say(`${nameOf(m.agent_id)} left ${service.name}.`);
      })))) : [el("li", { class: "empty", text: "No members." })]));
    const candidates = agents.filter((a) => a.active && a.pbx_id === service.pbx_id && !service.members.some((m) => m.agent_id === a.id));
    const who = select(candidates.map((a) => [a.id, a.name]), candidates[0]?.id);
    const kind = select([["static", "Static (can be assigned)"], ["dynamic", "Dynamic"]], "static");
    const add = el("button", { type: "submit", class: "secondary", text: "Add the member" });
    add.disabled = candidates.length === 0;
    const addForm = el("form", { class: "row", novalidate: true }, field("Agent", who), field("Membership", kind), add);
    addForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!who.value) return;
      await busy(add, async () => {
        const reply = await put(`/v1/services/${service.id}/members/${who.value}`, { kind: kind.value });
        if (reply.status !== 200) return showAlert(words(reply.body));
        const added = nameOf(who.value);
        await load();
        status.say(`${added} joined ${service.name} (${kind.value}).`);
      });
    });
    const remove = button("Remove the service", { class: "danger" }, () => busy(remove, async () => {
      if (!window.confirm(`Remove ${service.name}? Its waiting conversations go back to their agents.`)) return;
      const reply = await untilDone(() => del(`/v1/services/${service.id}`));
      if (reply.status !== 204 && reply.status !== 202) return showAlert(words(reply.body));
      await load();
      status.say(reply.status === 204 ? `${service.name} was removed.` : `${service.name} is being removed; open this screen again later.`);
    }));
    return el("li", { "data-service": service.id },
      el("h3", { id: headingId, text: service.name }),
      el("p", { class: "meta", text: `PBX ${site ? site.name : "unknown"}` }),
      members, addForm, el("div", { class: "actions" }, remove));
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!name.value.trim()) {
      showAlert("Please give the service a name.");
      name.focus();
      return;
    }
    await busy(create, async () => {
      const reply = await post("/v1/services", { name: name.value.trim(), pbx_id: pbx.value });
      if (reply.status !== 201) return showAlert(words(reply.body));
      name.value = "";
      await load();
      status.say(`${reply.body.name} was added.`);
    });
  });

  await load();
  return null;
}

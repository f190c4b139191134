// Agents (`#/admin/agents`, admins): the tenant's agents with their role and state; a new agent
// (its API token shown once); name, address, PBX, zone, address of the booking page and role
// changed; a new token (shown once); every console session ended; offboarding (future meetings
// handed over to colleagues or cancelled, the report of each meeting) and access back.

import { fillZones } from "./common.js";
import { del, get, patch, post, untilDone, words } from "./console-api.js";
import {
  agentZone, busy, button, el, field, heading, hour, notice, section, select, showAlert, shownOnce, table, uid, when,
} from "./console-ui.js";

export async function render({ screen, me }) {
  const [agents, pbxs] = await Promise.all([get("/v1/agents"), get("/v1/pbxs")]);
  if (agents.status !== 200 || pbxs.status !== 200) {
    screen.append(...heading("Agents"), el("p", { text: words((agents.status !== 200 ? agents : pbxs).body) }));
    return null;
  }
  let sites = pbxs.body.pbxs;
  const status = notice();
  const list = el("ul", { class: "cards-list" });
  const out = el("div");
  const ctx = { me, status, out, reload: null, sites: () => sites };

  const name = el("input", { maxlength: "100", autocomplete: "off" });
  const email = el("input", { type: "email", autocomplete: "off" });
  const pbx = select(sites.map((p) => [p.id, p.name]), sites[0]?.id);
  const zone = el("select");
  fillZones(zone, agentZone());
  const slug = el("input", { autocomplete: "off", spellcheck: "false" });
  const role = select([["agent", "Agent"], ["admin", "Admin (also runs the tenant)"]], "agent");
  const create = el("button", { type: "submit", text: "Add the agent" });
  const form = el("form", { class: "stack", novalidate: true },
    el("div", { class: "row" }, field("Name", name), field("Email", email)),
    el("div", { class: "row" }, field("PBX", pbx), field("Time zone", zone)),
    el("div", { class: "row" }, field("Booking page address", slug, "optional"), field("Role", role)),
    el("div", { class: "actions" }, create));

  screen.append(...heading("Agents"), status, out,
    section("The tenant's agents", list),
    section("New agent", form));

  const draw = (all) => {
    list.replaceChildren(...all.map((agent) => card(agent, ctx)));
  };
  ctx.reload = async () => {
    const [reply, sitesReply] = await Promise.all([get("/v1/agents"), get("/v1/pbxs")]);
    if (sitesReply.status === 200) sites = sitesReply.body.pbxs;
    if (reply.status === 200) draw(reply.body.agents);
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!name.value.trim() || !email.value.trim()) {
      showAlert("Please give the agent's name and email.");
      (name.value.trim() ? email : name).focus();
      return;
    }
    const body = { name: name.value.trim(), email: email.value.trim(), pbx_id: pbx.value, time_zone: zone.value, role: role.value };
    if (slug.value.trim()) body.slug = slug.value.trim();
    await busy(create, async () => {
      const reply = await post("/v1/agents", body);
      if (reply.status !== 201) return showAlert(words(reply.body));
      name.value = "";
      email.value = "";
      slug.value = "";
      await ctx.reload();
      status.say(`${reply.body.agent.name} was added. They sign in to the console with their address; the API token is below.`);
      out.replaceChildren(shownOnce(`API token of ${reply.body.agent.name}`, reply.body.token));
      out.querySelector("input").focus();
    });
  });

  draw(agents.body.agents);
  return null;
}

function card(agent, ctx) {
  const id = uid("a");
  const site = ctx.sites().find((p) => p.id === agent.pbx_id);
  const facts = [
    agent.email,
    agent.role === "admin" ? "admin" : "agent",
    site ? site.name : "unknown PBX",
    agent.time_zone.replaceAll("_", " "),
    `page /b/${agent.slug}`,
    agent.active ? "active" : "deactivated",
    agent.token_last_used ? `API token last used ${hour(agent.token_last_used)}` : "API token not used",
  ];
  const actions = el("div", { class: "actions" });
  const panel = el("div");
  const open = (builder) => () => {
    const shown = panel.dataset.open === builder.name;
    panel.replaceChildren();
    panel.dataset.open = shown ? "" : builder.name;
    for (const b of actions.querySelectorAll("[aria-expanded]")) b.setAttribute("aria-expanded", "false");
    if (shown) return;
    panel.append(builder(agent, ctx));
    panel.querySelector("input, select, button")?.focus();
  };
  const toggle = (text, builder) => {
    const b = button(text, { class: "secondary", "aria-expanded": "false" }, (event) => {
      open(builder)();
      event.target.setAttribute("aria-expanded", String(panel.dataset.open === builder.name));
    });
    return b;
  };
  if (agent.active) {
    actions.append(...[
      toggle("Edit", editForm),
      button(agent.role === "admin" ? "Make them an agent" : "Make them an admin", { class: "secondary" }, (event) => busy(event.target, async () => {
        const role = agent.role === "admin" ? "agent" : "admin";
        const reply = await patch(`/v1/agents/${agent.id}`, { role });
        if (reply.status !== 200) return showAlert(words(reply.body));
        await ctx.reload();
        ctx.status.say(`${agent.name} is now ${role === "admin" ? "an admin" : "an agent"}.`);
      })),
      button("New API token", { class: "secondary" }, (event) => busy(event.target, async () => {
        if (!window.confirm(`Make a new API token for ${agent.name}? Their current one stops working.`)) return;
        const reply = await post(`/v1/agents/${agent.id}/token`);
        if (reply.status !== 201) return showAlert(words(reply.body));
        ctx.status.say(`${agent.name} has a new API token; the old one no longer works.`);
        ctx.out.replaceChildren(shownOnce(`API token of ${agent.name}`, reply.body.token));
        ctx.out.querySelector("input").focus();
      })),
      button("End console sessions", { class: "secondary" }, (event) => busy(event.target, async () => {
        const reply = await del(`/v1/agents/${agent.id}/sessions`);
        if (reply.status !== 204) return showAlert(words(reply.body));
        ctx.status.say(`Every console session of ${agent.name} has ended.`);
      })),
      agent.id === ctx.me.agent.id ? null : toggle("Deactivate…", deactivateForm)].filter(Boolean));
  } else {
    actions.append(button("Reactivate", { class: "secondary" }, (event) => busy(event.target, async () => {
      const reply = await post(`/v1/agents/${agent.id}/reactivate`);
      if (reply.status !== 200) return showAlert(words(reply.body));
      await ctx.reload();
      ctx.status.say(`${agent.name} can sign in again. Their services and meetings stay as the offboarding left them.`);
    })));
  }
  return el("li", { "data-agent": agent.id, class: agent.active ? "" : "inactive" },
    el("h3", { id, class: "card-name", text: agent.name }),
    el("p", { class: "meta", text: facts.join(" · ") }),
    actions, panel);
}

function editForm(agent, ctx) {
  const name = el("input", { value: agent.name, maxlength: "100", autocomplete: "off" });
  const email = el("input", { type: "email", value: agent.email, autocomplete: "off" });
  const pbx = select(ctx.sites().map((p) => [p.id, p.name]), agent.pbx_id);
  const zone = el("select");
  fillZones(zone, agent.time_zone);
  const slug = el("input", { value: agent.slug, autocomplete: "off", spellcheck: "false" });
  const save = el("button", { type: "submit", text: "Save" });
  const form = el("form", { class: "stack", novalidate: true },
    el("h4", { text: `Edit ${agent.name}` }),
    el("div", { class: "row" }, field("Name", name), field("Email", email)),
    el("div", { class: "row" }, field("PBX", pbx), field("Time zone", zone)),
    field("Booking page address", slug),
    el("div", { class: "actions" }, save));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const changes = {};
    if (name.value.trim() !== agent.name) changes.name = name.value.trim();
    if (email.value.trim() !== agent.email) changes.email = email.value.trim();
    if (pbx.value !== agent.pbx_id) changes.pbx_id = pbx.value;
    if (zone.value !== agent.time_zone) changes.time_zone = zone.value;
    if (slug.value.trim() !== agent.slug) changes.slug = slug.value.trim();
    if (!Object.keys(changes).length) return ctx.status.say("Nothing has changed.");
    await busy(save, async () => {
      const reply = await patch(`/v1/agents/${agent.id}`, changes);
      if (reply.status !== 200) return showAlert(words(reply.body));
      await ctx.reload();
      ctx.status.say(`${reply.body.name} was changed.`);
    });
  });
  return form;
}

function deactivateForm(agent, ctx) {
  const group = uid("g");
  const choice = (value, text, checked) => {
    const radio = el("input", { type: "radio", name: group, value });
    radio.checked = checked;
    return el("label", { class: "check block" }, radio, ` ${text}`);
  };
  const go = el("button", { type: "submit", class: "danger", text: `Deactivate ${agent.name}` });
  const form = el("form", { class: "stack", novalidate: true },
    el("h4", { text: `Deactivate ${agent.name}` }),
    el("p", { text: "They are refused everywhere at once, leave every service, and their waiting conversations go back to a queue." }),
    el("fieldset", {}, el("legend", { text: "Their future meetings" }),
      choice("hand_over", "Hand them over to free colleagues in their services (guests are told)", true),
      choice("cancel", "Cancel them (guests are told)", false)),
    el("div", { class: "actions" }, go));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const meetings = form.querySelector("input[type=radio]:checked").value;
    if (!window.confirm(`Deactivate ${agent.name}? Their future meetings are ${meetings === "hand_over" ? "handed over" : "cancelled"}.`)) return;
    await busy(go, async () => {
      const reply = await untilDone(() => post(`/v1/agents/${agent.id}/deactivate`, { meetings }));
      if (reply.status !== 200 && reply.status !== 202) return showAlert(words(reply.body));
      await ctx.reload();
      ctx.out.replaceChildren(report(reply.body));
      ctx.out.querySelector("h2").focus();
    });
  });
  return form;
}

// The offboarding's report: what it did with each meeting.
function report(r) {
  const rows = r.outcomes.map((o) => [
    when(o.start),
    o.outcome === "handed_over" ? "Handed over" : "Cancelled",
    o.to ? `to ${o.to.name}` : o.reason || "",
  ]);
  return el("section", { class: "stack report", "aria-labelledby": "offboarding-report" },
    el("h2", { id: "offboarding-report", tabindex: "-1", text: `${r.agent_name} was deactivated` }),
    el("p", { class: "chosen", text: r.done ? "Done." : "Still going on: open this screen again later to see the rest." }),
    el("p", { text: `Services left: ${r.services_left.length ? r.services_left.join(", ") : "none"}. Conversations put back in a queue: ${r.conversations_requeued}.` }),
    rows.length
      ? table(`Their future meetings (${r.meetings === "hand_over" ? "handed over" : "cancelled"})`, ["When", "Outcome", "Who or why"], rows)
      : el("p", { class: "empty", text: "They had no future meetings." }));
}

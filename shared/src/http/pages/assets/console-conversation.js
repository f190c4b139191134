// A conversation (`#/conversations/{id}`): its timeline and a message box, who is in it and who
// it is assigned to ("Assign to me", or to an agent of a service), rename and mute. New messages
// arrive without a reload (every 10 seconds while the tab is visible).
//
// Assigning to someone else needs the services and their static members. Only admins may list
// them (`GET /v1/services`, `GET /v1/agents`); an agent is offered the agents already in the
// conversation, the service then found from the assignee by the server.

import { get, patch, post, put, words } from "./console-api.js";
import {
  busy, button, el, field, heading, localiseUtc, nameOf, notice, rememberName, select, showAlert, uid, when,
} from "./console-ui.js";
import { messageItem } from "./timeline.js";
import { poller } from "./console-poll.js";

const REFRESH_SECONDS = 10;

export async function render({ screen, me, params: [id] }) {
  const reply = await get(`/v1/conversations/${id}`);
  if (reply.status !== 200) {
    screen.append(...heading("Conversation not found"),
      el("p", { text: words(reply.body, { notFound: "This conversation is not one of yours, or it no longer exists." }) }),
      el("p", {}, el("a", { href: "#/inbox", text: "Back to the inbox" })));
    return null;
  }
  let conversation = reply.body;
  let latest = null;
  const shown = new Set();

  const title = el("h1", { tabindex: "-1" });
  const summary = el("p", { class: "hint" });
  const status = notice();
  const assignedLine = el("p", { class: "chosen" });
  const assignMe = button("Assign to me", {}, () => assign({}, "The conversation is assigned to you."));
  const timeline = el("ol", { class: "timeline", "aria-label": "Messages" });
  const olderButton = button("Show earlier messages", { class: "secondary", hidden: true });
  const message = el("textarea", { rows: "3", maxlength: "4000" });
  const send = el("button", { type: "submit", text: "Send" });
  const composer = el("form", { class: "composer", novalidate: true },
    field("Your message", message, "Ctrl+Enter sends"),
    el("div", { class: "actions" }, send));
  const readOnly = el("p", { class: "hint", hidden: true,
    text: "This conversation waits in a service you serve: you can read it. Assign it to yourself to answer." });
  const muted = el("input", { type: "checkbox" });
  const muteLabel = el("label", { class: "check" }, muted, " No emails about new messages");
  const members = el("ul", { class: "members" });

  // Rename
  const titleInput = el("input", { maxlength: "100", autocomplete: "off" });
  const renameForm = el("form", { class: "stack", hidden: true, novalidate: true },
    field("New title", titleInput, "Everyone in the conversation sees it"),
    el("div", { class: "actions" },
      el("button", { type: "submit", text: "Save title" }),
      button("Use the default title", { class: "secondary" }, () => rename(null)),
      button("Cancel", { class: "secondary" }, () => { renameForm.hidden = true; renameButton.focus(); })));
  const renameButton = button("Rename", { class: "secondary", "aria-expanded": "false" }, () => {
    renameForm.hidden = !renameForm.hidden;
    renameButton.setAttribute("aria-expanded", String(!renameForm.hidden));
    if (!renameForm.hidden) {
      titleInput.value = conversation.title;
      titleInput.focus();
    }
  });

  // Assign to another agent
  const assignForm = el("form", { class: "stack", novalidate: true });
  const meetingsList = el("ul", { class: "plain" });
  const meetingsSection = el("section", { "aria-labelledby": uid("h"), hidden: true });

  const talkId = uid("h");
  const peopleId = uid("h");
  const meetingsId = meetingsSection.getAttribute("aria-labelledby");
  meetingsSection.append(el("h2", { id: meetingsId, text: "Your meetings in it" }), meetingsList);
  screen.append(
    title, summary, status,
    el("div", { class: "assign-bar" }, assignedLine, assignMe),
    el("section", { "aria-labelledby": talkId },
      el("h2", { id: talkId, text: "Messages" }), olderButton, timeline, composer, readOnly),
    el("section", { "aria-labelledby": peopleId },
      el("h2", { id: peopleId, text: "About this conversation" }),
      members,
      el("div", { class: "actions" }, renameButton, muteLabel),
      renameForm,
      assignForm),
    meetingsSection);

  const draw = () => {
    for (const m of conversation.members) if (m.kind === "agent") rememberName(m.agent_id, m.name);
    title.textContent = conversation.title;
    document.title = `${conversation.title} · Console`;
    summary.textContent = `${conversation.kind === "group" ? "Group conversation" : "One to one"} · started ${when(conversation.created_at)}`;
    const a = conversation.assignee;
    assignedLine.textContent = a
      ? a.agent_id === me.agent.id ? "Assigned to you." : `Assigned to ${nameOf(a.agent_id)}.`
      : "Unassigned: it waits in the queue.";
    assignMe.hidden = !!a && a.agent_id === me.agent.id;
    composer.hidden = !conversation.may_write;
    readOnly.hidden = conversation.may_write;
    muted.checked = conversation.muted;
    muteLabel.hidden = !conversation.may_write;
    members.replaceChildren(...conversation.members.map((m) => el("li", {
      text: `${m.name || m.email || "Someone"}${m.kind === "agent" ? " (agent)" : m.kind === "guest" ? ` (guest${m.email ? `, ${m.email}` : ""})` : ` (member${m.email ? `, ${m.email}` : ""})`}`,
    })));
  };

  const append = (messages) => {
    const items = messages.filter((m) => !shown.has(m.id)).map((m) => { shown.add(m.id); return messageItem(m, when, localiseUtc); });
    timeline.append(...items);
    if (messages.length) latest = messages[messages.length - 1].id;
  };
  const markRead = async () => {
    if (conversation.may_write && latest && document.visibilityState === "visible") {
      await put(`/v1/conversations/${id}/read`, { up_to: latest });
    }
  };
  const fresh = async () => {
    if (!latest) return;
    const next = await get(`/v1/conversations/${id}/messages?after=${encodeURIComponent(latest)}`);
    if (next.status === 200 && next.body.messages.length) {
      append(next.body.messages);
      await markRead();
    }
  };
  const showAll = (view) => {
    conversation = view;
    timeline.replaceChildren();
    shown.clear();
    append(view.messages);
    olderButton.hidden = !view.older;
    draw();
  };

  async function assign(body, done) {
    const reply = await busy(null, () => put(`/v1/conversations/${id}/assignee`, body));
    if (reply.status !== 200) return showAlert(words(reply.body));
    showAll(reply.body);
    others.refresh();
    status.say(done);
    await markRead();
  }

  async function rename(newTitle) {
    const reply = await patch(`/v1/conversations/${id}`, { title: newTitle });
    if (reply.status !== 200) return showAlert(words(reply.body, { field: "title" }));
    conversation = { ...conversation, ...reply.body, messages: conversation.messages };
    append(reply.body.messages);
    draw();
    renameForm.hidden = true;
    renameButton.setAttribute("aria-expanded", "false");
    status.say(newTitle === null ? "The default title is back." : "The conversation was renamed.");
    title.focus();
  }

  renameForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = titleInput.value.trim();
    if (!text) {
      showAlert("Please write a title, or use the default title.");
      titleInput.focus();
      return;
    }
    rename(text);
  });

  olderButton.addEventListener("click", async () => {
    const page = await get(`/v1/conversations/${id}/messages?before=${encodeURIComponent(conversation.older)}`);
    if (page.status !== 200) return showAlert(words(page.body));
    const items = page.body.messages.filter((m) => !shown.has(m.id)).map((m) => { shown.add(m.id); return messageItem(m, when, localiseUtc); });
    timeline.prepend(...items);
    conversation.older = page.body.older;
    olderButton.hidden = !conversation.older;
  });

  composer.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = message.value;
    if (!text.trim()) {
      showAlert("Please write a message first.");
      message.focus();
      return;
    }
    await busy(send, async () => {
      await refresh.now(); // what arrived meanwhile first, so the new message lands after it
      const reply = await post(`/v1/conversations/${id}/messages`, { text });
      if (reply.status !== 201) return showAlert(words(reply.body));
      message.value = "";
      append([reply.body.message]);
      status.say("Your message was sent.");
    });
    message.focus();
  });
  message.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) composer.requestSubmit();
  });
  muted.addEventListener("change", async () => {
    const reply = await put(`/v1/conversations/${id}/mute`, { muted: muted.checked });
    if (reply.status !== 200) {
      muted.checked = !muted.checked;
      return showAlert(words(reply.body));
    }
    status.say(reply.body.muted ? "No more emails about new messages here." : "You get emails about new messages here again.");
  });

  showAll(conversation);
  await markRead();
  const refresh = poller(fresh, REFRESH_SECONDS);
  const others = await assignOthers(assignForm, { me, conversation: () => conversation, assign });
  showMeetings(id, meetingsSection, meetingsList);
  return { stop: refresh.stop };
}

// The form to assign to another agent through a service: the services and static members the
// server says this agent may choose (S5–S8, `GET /v1/conversations/{id}/assignees`).
async function assignOthers(form, { me, conversation, assign }) {
  const agentId = uid("f");
  const serviceId = uid("f");
  const reply = await get(`/v1/conversations/${conversation().id}/assignees`);
  const services = reply.status === 200 ? reply.body.services : [];
  for (const service of services) for (const m of service.members) rememberName(m.agent_id, m.name);
  const everyone = () => {
    const seen = new Map();
    for (const service of services) for (const m of service.members) seen.set(m.agent_id, m.name);
    return [...seen].map(([id, name]) => ({ id, name }));
  };
  const serviceSelect = select([["", "Found from the agent"], ...services.map((s) => [s.id, s.name])], "", { id: serviceId });
  const agentSelect = el("select", { id: agentId });
  const fillAgents = () => {
    const service = services.find((s) => s.id === serviceSelect.value);
    const choices = (service ? service.members.map((m) => ({ id: m.agent_id, name: m.name })) : everyone())
      .filter((a) => a.id !== me.agent.id);
    agentSelect.replaceChildren(...choices.map((a) => new Option(a.name, a.id)));
    submit.disabled = choices.length === 0;
    for (const part of [agentLabel, agentSelect, submit.parentElement]) part.hidden = choices.length === 0;
    none.hidden = choices.length > 0;
  };
  const agentLabel = el("label", { for: agentId, text: "Agent" });
  const none = el("p", { class: "empty", text: "Nobody else can be assigned this conversation." });
  const submit = el("button", { type: "submit", class: "secondary", text: "Assign" });
  form.replaceChildren(...[
    el("h3", { text: "Assign to an agent" }),
    el("label", { for: serviceId }, "Service ", el("span", { class: "hint", text: "(its static members can be assignees)" })),
    serviceSelect,
    agentLabel,
    agentSelect,
    none,
    el("div", { class: "actions" }, submit)]);
  serviceSelect.addEventListener("change", fillAgents);
  fillAgents();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!agentSelect.value) return;
    const body = { agent_id: agentSelect.value };
    if (serviceSelect.value) body.service_id = serviceSelect.value;
    const name = agentSelect.selectedOptions[0].textContent;
    assign(body, `The conversation is assigned to ${name}.`);
  });
  return { refresh: fillAgents };
}

// The signed-in agent's meetings in this conversation (their agenda's next two months).
async function showMeetings(id, section, list) {
  const reply = await get("/v1/me/meetings");
  if (reply.status !== 200) return;
  const mine = reply.body.meetings.filter((m) => m.conversation_id === id);
  list.replaceChildren(...mine.map((m) => el("li", {},
    el("a", { href: `#/meetings/${m.id}`, text: m.subject }), ` · ${when(m.start)}, ${m.duration} minutes${m.status === "cancelled" ? " (cancelled)" : ""}`)));
  section.hidden = mine.length === 0;
}

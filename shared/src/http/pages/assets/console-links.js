// Booking links (`#/links`): the agent's own page and extra links limited to some dates and
// durations (the server enforces the limits), each with its address to copy; limits changed
// (an empty date lifts that limit) or the link removed.

import { ROOT } from "./common.js";
import { del, get, patch, post, seg, words } from "./console-api.js";
import {
  busy, button, copyable, el, field, heading, longDate, notice, section, showAlert, today,
} from "./console-ui.js";

const address = (page) => new URL(`${ROOT}${page}`, location.href).href;

export async function render({ screen, me }) {
  const [links, availability] = await Promise.all([get("/v1/me/booking-links"), get("/v1/me/availability")]);
  if (links.status !== 200) {
    screen.append(...heading("Booking links"), el("p", { text: words(links.body) }));
    return null;
  }
  const durations = availability.status === 200 ? availability.body.durations : [15, 30, 45, 60];
  const status = notice();
  const list = el("div");

  const slug = el("input", { autocomplete: "off", pattern: "[a-z0-9][a-z0-9-]{1,62}[a-z0-9]", spellcheck: "false" });
  const first = el("input", { type: "date", min: today() });
  const last = el("input", { type: "date", min: today() });
  const create = el("button", { type: "submit", text: "Create the link" });
  const form = el("form", { class: "stack", novalidate: true },
    field("Address", slug, "optional: lowercase letters, digits and dashes; one is made up when empty"),
    el("div", { class: "row" }, field("First date", first, "optional"), field("Last date", last, "optional")),
    durationChecks(durations, durations),
    el("div", { class: "actions" }, create));

  screen.append(...heading("Booking links", "Send guests a link; extra links can offer only some dates or durations."),
    status,
    section("Your booking page", copyable(`Your page (all your durations, ${me.agent.time_zone.replaceAll("_", " ")})`, address(`/b/${me.agent.slug}`))),
    section("Extra links", list),
    section("New link", form));

  const draw = (all) => {
    list.replaceChildren(all.length
      ? el("ul", { class: "cards-list" }, ...all.map((link) => item(link, durations, { status, reload })))
      : el("p", { class: "empty", text: "No extra links yet." }));
  };
  const reload = async () => {
    const reply = await get("/v1/me/booking-links");
    if (reply.status === 200) draw(reply.body.links);
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {};
    if (slug.value.trim()) body.slug = slug.value.trim();
    if (first.value) body.first_date = first.value;
    if (last.value) body.last_date = last.value;
    const chosen = checked(form);
    if (!chosen.length) {
      showAlert("Please choose at least one duration.");
      form.querySelector("input[type=checkbox]").focus();
      return;
    }
    if (chosen.length !== durations.length) body.durations = chosen;
    await busy(create, async () => {
      const reply = await post("/v1/me/booking-links", body);
      if (reply.status !== 201) return showAlert(words(reply.body));
      slug.value = "";
      first.value = "";
      last.value = "";
      await reload();
      status.say(`The link ${address(reply.body.page)} was created.`);
      list.querySelector(`[data-slug="${reply.body.slug}"] button`)?.focus();
    });
  });

  draw(links.body.links);
  return null;
}

function durationChecks(all, chosen) {
  return el("fieldset", {}, el("legend", { text: "Durations" }),
    el("div", { class: "checks" }, ...all.map((d) => {
      const box = el("input", { type: "checkbox", value: String(d) });
      box.checked = chosen.includes(d);
      return el("label", { class: "check" }, box, ` ${d} minutes`);
    })));
}

const checked = (form) => [...form.querySelectorAll("input[type=checkbox]:checked")].map((b) => Number(b.value));

function limits(link) {
  const f = link.first_date && longDate(link.first_date);
  const l = link.last_date && longDate(link.last_date);
  const dates = f && l ? `${f} to ${l}` : f ? `from ${f}` : l ? `until ${l}` : "any date";
  return `${dates} · ${link.durations ? `${link.durations.join(", ")} minutes` : "every duration"}`;
}

function item(link, durations, { status, reload }) {
  const summary = el("p", { class: "meta", text: limits(link) });
  const first = el("input", { type: "date", value: link.first_date || "" });
  const last = el("input", { type: "date", value: link.last_date || "" });
  const save = el("button", { type: "submit", text: "Save limits" });
  const edit = el("form", { class: "stack", hidden: true, novalidate: true },
    el("div", { class: "row" }, field("First date", first, "empty: no limit"), field("Last date", last, "empty: no limit")),
    durationChecks(durations, link.durations || durations),
    el("div", { class: "actions" }, save));
  const toggle = button("Change limits", { class: "secondary", "aria-expanded": "false" }, () => {
    edit.hidden = !edit.hidden;
    toggle.setAttribute("aria-expanded", String(!edit.hidden));
    if (!edit.hidden) first.focus();
  });
  const remove = button("Remove", { class: "danger" }, () => busy(remove, async () => {
    if (!window.confirm(`Remove the link ${link.slug}? Its page stops working; meetings booked through it stay.`)) return;
    const reply = await del(`/v1/me/booking-links/${seg(link.slug)}`);
    if (reply.status !== 204) return showAlert(words(reply.body));
    await reload();
    status.say(`The link ${link.slug} was removed.`);
  }));
  edit.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = checked(edit);
    if (!chosen.length) return showAlert("Please choose at least one duration.");
    const body = { first_date: first.value || null, last_date: last.value || null, durations: chosen.length === durations.length ? null : chosen };
    await busy(save, async () => {
      const reply = await patch(`/v1/me/booking-links/${seg(link.slug)}`, body);
      if (reply.status !== 200) return showAlert(words(reply.body));
      await reload();
      status.say(`The limits of ${link.slug} were changed.`);
    });
  });
  return el("li", { "data-slug": link.slug },
    copyable(`Link ${link.slug}`, address(link.page)),
    summary,
    el("div", { class: "actions" }, toggle, remove),
    edit);
}

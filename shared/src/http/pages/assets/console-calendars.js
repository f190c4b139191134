// Connected calendars (`#/calendars`): the iCalendar feeds whose busy time hides slots, how each
// last read went, and changing them; and the agent's own meetings as a feed for their calendar
// app (its address shown once when made: the API keeps only its digest, so it cannot show it
// again, and making a new one stops the old).

import { del, get, post, put, words } from "./console-api.js";
import { busy, button, el, field, heading, notice, section, showAlert, shownOnce, uid, when } from "./console-ui.js";

const MAX = 5;
const STATUS = {
  fresh: ["Read", "status-ok"],
  ok: ["Read", "status-ok"],
  pending: ["Not read yet", ""],
  stale: ["Showing the last good copy", "status-bad"],
  failed: ["Could not be read", "status-bad"],
};

export async function render({ screen }) {
  const list = el("div");
  const status = notice();
  const inputs = el("div");
  const save = el("button", { type: "submit", text: "Save calendars" });
  const form = el("form", { class: "stack", novalidate: true },
    el("h3", { text: "Change them" }),
    el("p", { class: "hint", text: `Paste each calendar's secret iCal address (up to ${MAX}). Leave a box empty to disconnect it.` }),
    inputs, el("div", { class: "actions" }, save));
  const feedStatus = notice();
  const feedOut = el("div");
  const make = button("Make a new feed address");
  const stop = button("Turn the feed off", { class: "danger" });

  screen.append(...heading("Calendars", "Busy time in your other calendars hides those times from guests."),
    status,
    section("Connected calendars", list, form),
    section("Your meetings in your calendar app",
      el("p", { text: "Subscribe to this address in your calendar app to see your meetings there (a month back to two months ahead). It is shown once; making a new one stops the old one." }),
      el("div", { class: "actions" }, make, stop), feedStatus, feedOut));

  const load = async () => {
    const reply = await get("/v1/me/calendars");
    if (reply.status !== 200) {
      showAlert(words(reply.body));
      return;
    }
    const calendars = reply.body.calendars;
    list.replaceChildren(calendars.length
      ? el("ul", { class: "cards-list" }, ...calendars.map(item))
      : el("p", { class: "empty", text: "No calendars are connected." }));
    inputs.replaceChildren(...Array.from({ length: MAX }, (_, i) => field(`Calendar ${i + 1}`,
      el("input", { type: "url", value: calendars[i]?.url || "", autocomplete: "off", inputmode: "url", spellcheck: "false" }))));
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const feeds = [...inputs.querySelectorAll("input")].map((i) => i.value.trim()).filter(Boolean);
    await busy(save, async () => {
      const reply = await put("/v1/me/calendars", { feeds });
      if (reply.status !== 200) return showAlert(words(reply.body));
      await load();
      status.say(feeds.length ? "Saved. They are read at the next look-up of your free times." : "Every calendar is disconnected.");
    });
  });

  make.addEventListener("click", () => busy(make, async () => {
    const reply = await post("/v1/me/calendar-feed");
    if (reply.status !== 201) return showAlert(words(reply.body));
    feedStatus.say("A new feed address was made; any earlier one stopped working.");
    feedOut.replaceChildren(shownOnce("Feed address", new URL(reply.body.url, location.href).href));
    feedOut.querySelector("input").focus();
  }));
  stop.addEventListener("click", () => busy(stop, async () => {
    const reply = await del("/v1/me/calendar-feed");
    if (reply.status !== 204) return showAlert(words(reply.body));
    feedOut.replaceChildren();
    feedStatus.say("The feed is off: subscriptions stop updating.");
  }));

  await load();
  return null;
}

function item(calendar) {
  const kind = calendar.status || (calendar.stale ? "stale" : "fresh");
  const [label, tone] = STATUS[kind] || [kind, ""];
  const id = uid("c");
  return el("li", {},
    el("p", { class: "inbox-title", id, text: calendar.url }),
    el("p", {}, el("span", { class: tone, text: label }),
      calendar.updated_at ? ` · last read ${when(calendar.updated_at)}` : ""),
    calendar.error ? el("p", { class: "status-bad", text: `Error: ${calendar.error}` }) : null);
}

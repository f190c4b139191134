// Admin keys (`#/admin/keys`, admins): the tenant's named keys for the API with when each was
// last used; a new one (shown once; at most five); one revoked (never the last).

import { del, get, post, words } from "./console-api.js";
import { busy, button, el, field, heading, hour, notice, section, showAlert, shownOnce, when } from "./console-ui.js";

export async function render({ screen }) {
  const status = notice();
  const out = el("div");
  const list = el("div");
  const name = el("input", { maxlength: "60", autocomplete: "off" });
  const create = el("button", { type: "submit", text: "Make the key" });
  const form = el("form", { class: "inline", novalidate: true }, field("Name", name, "what it is for"), create);
  screen.append(...heading("Admin keys", "Keys for scripts that run the tenant through the API (at most five)."), status, out,
    section("The tenant's keys", list), section("New key", form));

  const load = async () => {
    const reply = await get("/v1/admin-keys");
    if (reply.status !== 200) return showAlert(words(reply.body));
    list.replaceChildren(el("ul", { class: "cards-list" }, ...reply.body.keys.map((key) => el("li", { class: "split" },
      el("div", {}, el("p", { class: "inbox-title", text: key.name }),
        el("p", { class: "meta", text: `Made ${when(key.created_at)} · ${key.last_used ? `last used ${hour(key.last_used)}` : "never used"}` })),
      button("Revoke", { class: "danger", "aria-label": `Revoke ${key.name}` }, (event) => busy(event.target, async () => {
        if (!window.confirm(`Revoke the key ${key.name}? Scripts using it are refused from now on.`)) return;
        const revoked = await del(`/v1/admin-keys/${key.id}`);
        if (revoked.status !== 204) return showAlert(words(revoked.body));
        await load();
        status.say(`${key.name} was revoked.`);
        name.focus();
      }))))));
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!name.value.trim()) {
      showAlert("Please name the key.");
      name.focus();
      return;
    }
    await busy(create, async () => {
      const reply = await post("/v1/admin-keys", { name: name.value.trim() });
      if (reply.status !== 201) return showAlert(words(reply.body));
      name.value = "";
      await load();
      status.say(`The key ${reply.body.key.name} was made.`);
      out.replaceChildren(shownOnce(`Admin key ${reply.body.key.name}`, reply.body.admin_key));
      out.querySelector("input").focus();
    });
  });

  await load();
  return null;
}

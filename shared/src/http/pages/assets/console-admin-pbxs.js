// PBXs (`#/admin/pbxs`, admins): the tenant's sites; a new one; one removed once nothing (no
// agent, no service) belongs to it.

import { del, get, post, words } from "./console-api.js";
import { busy, button, el, field, heading, notice, section, showAlert, when } from "./console-ui.js";

export async function render({ screen }) {
  const status = notice();
  const list = el("div");
  const name = el("input", { maxlength: "100", autocomplete: "off" });
  const create = el("button", { type: "submit", text: "Add the PBX" });
  const form = el("form", { class: "inline", novalidate: true }, field("Name", name), create);
  screen.append(...heading("PBXs", "Sites: each agent and each service belongs to one."), status,
    section("The tenant's PBXs", list), section("New PBX", form));

  const load = async () => {
    const reply = await get("/v1/pbxs");
    if (reply.status !== 200) return showAlert(words(reply.body));
    list.replaceChildren(reply.body.pbxs.length
      ? el("ul", { class: "cards-list" }, ...reply.body.pbxs.map((pbx) => el("li", { class: "split" },
        el("div", {}, el("p", { class: "inbox-title", text: pbx.name }), el("p", { class: "meta", text: `Added ${when(pbx.created_at)}` })),
        button("Remove", { class: "danger", "aria-label": `Remove ${pbx.name}` }, (event) => busy(event.target, async () => {
          if (!window.confirm(`Remove the PBX ${pbx.name}?`)) return;
          const removed = await del(`/v1/pbxs/${pbx.id}`);
          if (removed.status !== 204) {
            return showAlert(words(removed.body, { notEmpty: `${pbx.name} still has agents or services, so it cannot be removed. Move or remove them first.` }));
          }
          await load();
          status.say(`${pbx.name} was removed.`);
          name.focus();
        })))))
      : el("p", { class: "empty", text: "No PBXs yet." }));
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!name.value.trim()) {
      showAlert("Please give the PBX a name.");
      name.focus();
      return;
    }
    await busy(create, async () => {
      const reply = await post("/v1/pbxs", { name: name.value.trim() });
      if (reply.status !== 201) return showAlert(words(reply.body));
      name.value = "";
      await load();
      status.say(`${reply.body.name} was added.`);
    });
  });

  await load();
  return null;
}

// One-click unsubscribe (G7, RFC 8058): /v1/unsubscribe/{token}. Mail clients POST to the same
// address by themselves; a person who opens it presses the button (a scanner that follows the
// link stops nothing).

import { $, api, explain, showAlert, t } from "./common.js";

function unsubscribePage() {
  const token = location.pathname.split("/").pop();
  $("unsubscribe").addEventListener("click", async () => {
    showAlert("");
    $("unsubscribe").disabled = true;
    const reply = await api("POST", `/v1/unsubscribe/${encodeURIComponent(token)}`);
    $("unsubscribe").disabled = false;
    if (reply.status !== 200) {
      showAlert(explain(reply.body));
      return;
    }
    $("ask").hidden = true;
    $("done-text").textContent = t("unsubscribe-done", { email: reply.body.email, conversation: reply.body.conversation });
    $("done").hidden = false;
    $("done").querySelector("h2").focus();
  });
}

unsubscribePage();

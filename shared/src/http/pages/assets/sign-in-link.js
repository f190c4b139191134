// The one-click sign-in (/b/sign-in/{id}?token=sgn_…), reached from a sign-in code email (G8):
// whoever asked for the code, the email's recipient gets in. It asks for a press of the button
// rather than signing in on load, so a mail scanner that follows links signs nobody in.

import { $, api, explain, sessions, showAlert, takeToken } from "./common.js";

function signInPage() {
  const id = location.pathname.split("/").pop();
  const token = takeToken();
  $("sign-in-now").addEventListener("click", async () => {
    showAlert("");
    $("sign-in-now").disabled = true;
    const reply = await api("POST", "/v1/guest/sign-in/confirm", { body: { id, token } });
    $("sign-in-now").disabled = false;
    if (reply.status !== 201) {
      showAlert(explain(reply.body));
      return;
    }
    sessions.keep(reply.body.session);
    $("ask").hidden = true;
    $("signed-email").textContent = reply.body.session.email;
    $("back").href = document.referrer && new URL(document.referrer).origin === location.origin ? document.referrer : "#";
    $("back").hidden = $("back").href.endsWith("#");
    $("signed").hidden = false;
    $("signed").querySelector("h2").focus();
  });
}

signInPage();

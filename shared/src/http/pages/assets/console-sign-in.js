// Signing in to the console (AC1): a work address, then the six-digit code emailed to it (the
// guest pages' code step, with its countdown on the server's clock). The answer to the address is
// the same whether or not it is an agent's; the confirmation sets the session cookie.

import { $, detectedZone, showAlert } from "./common.js";
import { CodeStep } from "./code-step.js";
import { get, post, words } from "./console-api.js";

let codeStep = null;
let finish = () => {};

// Shows the sign-in; `done(who)` gets `GET /v1/console/me`'s answer once signed in.
export function showSignIn({ done, message = "" }) {
  finish = done;
  codeStep = codeStep || new CodeStep();
  codeStep.close();
  $("sign-in-screen").hidden = false;
  $("console-sign-in").hidden = false;
  $("sign-in-note").textContent = message;
  $("sign-in-note").hidden = !message;
  $("sign-in-heading").focus();
  performance.mark("console:sign-in");
}

async function ask(email) {
  return post("/v1/console/sign-in", { email });
}

$("console-sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  showAlert("");
  $("sign-in-note").hidden = true;
  const email = $("console-email").value.trim();
  if (!email || !$("console-email").checkValidity()) {
    showAlert("Please enter your work email address.");
    $("console-email").focus();
    return;
  }
  const submit = event.target.querySelector("button[type=submit]");
  submit.disabled = true;
  const reply = await ask(email);
  submit.disabled = false;
  if (reply.status !== 202) {
    showAlert(words(reply.body));
    return;
  }
  let id = reply.body.sign_in.id;
  $("console-sign-in").hidden = true;
  codeStep.open({
    email,
    expiresAt: reply.body.sign_in.expires_at,
    zone: detectedZone(),
    held: "verify-code-works-until",
    showZone: true,
    sent: `If ${email} is an agent's address, we sent it a six-digit code. Enter it here.`,
    words,
    submit: (code) => post("/v1/console/sign-in/confirm", { id, code }),
    resend: async () => {
      const again = await ask(email);
      if (again.status === 202) {
        id = again.body.sign_in.id;
        again.expiresAt = again.body.sign_in.expires_at;
      }
      return again;
    },
    done: async () => {
      const who = await get("/v1/console/me");
      if (who.status !== 200) {
        showAlert(words(who.body));
        $("console-sign-in").hidden = false;
        return;
      }
      finish(who.body);
    },
    expired: () => {
      $("console-sign-in").hidden = false;
      $("console-email").focus();
    },
  });
});

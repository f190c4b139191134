// Signing in by email code without booking (G3), from the booking page or a conversation's page:
// a code to the address, the code step, and the session kept in this browser.

import { api, explain, sessions, showAlert } from "./common.js";

// `where` names the tenant: `{ slug }` or `{ conversation }`. Returns whether a code was sent;
// `done(session)` runs once the guest is signed in.
export async function signIn({ where, email, codeStep, zone, done, expired }) {
  const ask = () => api("POST", "/v1/guest/sign-in", { body: { ...where, email } });
  const reply = await ask();
  if (reply.status !== 202) {
    showAlert(explain(reply.body));
    return false;
  }
  let id = reply.body.sign_in.id;
  codeStep.open({
    email, expiresAt: reply.body.sign_in.expires_at, zone, held: "verify-code-works-until",
    submit: (code) => api("POST", "/v1/guest/sign-in/confirm", { body: { id, code } }),
    resend: async () => {
      const again = await ask();
      if (again.status === 202) {
        id = again.body.sign_in.id;
        again.expiresAt = again.body.sign_in.expires_at;
      }
      return again;
    },
    done: (confirmed) => {
      sessions.keep(confirmed.body.session);
      done(confirmed.body.session);
    },
    expired,
  });
  return true;
}

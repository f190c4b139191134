// The console's fetch layer. The session is the `__Host-console` cookie, which the browser sends
// by itself (same origin) and no script can read; every write carries `X-Requested-With:
// console`, the server's CSRF defence. Calls go through common.js's `api`, so the guest pages'
// modules the console reuses (the slot picker, the meeting card) send the same header.

import { ROOT, api, configureApi, explain } from "./common.js";

let sessionEnded = () => {};

configureApi({
  writeHeaders: { "x-requested-with": "console" },
  // A 401 from anything but the sign-in itself: the session has ended (expired, signed out
  // elsewhere, or ended by an admin).
  unauthorized: (path) => {
    if (!path.startsWith("/v1/console/sign-in")) sessionEnded();
  },
});

export function onSessionEnded(handler) {
  sessionEnded = handler;
}

export { ROOT };

export const get = (path) => api("GET", path);
export const post = (path, body, headers = {}) => api("POST", path, { body, headers });
export const put = (path, body) => api("PUT", path, { body });
export const patch = (path, body) => api("PATCH", path, { body });
export const del = (path) => api("DELETE", path);

// A path segment from user data (an email address, a slug).
export const seg = (value) => encodeURIComponent(value);

// What a refusal means to an agent or an admin; the guest pages' words cover the shared ones.
export function words(problem, context = {}) {
  const kind = ((problem && problem.type) || "").replace("/problems/", "");
  switch (kind) {
    case "code-incorrect":
      return (problem && problem.detail) || "That code is not right.";
    case "code-expired":
    case "hold-expired":
      return "This code has expired. Ask for a new one.";
    case "too-many-codes":
      return "Several codes were sent to this address in the last hour. Use the newest one, or try again later.";
    case "forbidden":
      return context.forbidden || "You are not allowed to do that.";
    case "unauthorized":
      return "Your session has ended. Please sign in again.";
    case "not-found":
      return context.notFound || "It was not found: it may have been removed.";
    case "not-empty":
      return context.notEmpty || "It still has something that belongs to it, so it cannot be removed.";
    case "last-admin-key":
      return "This is the tenant's last admin key, so it cannot be revoked. Create another first.";
    case "too-many-admin-keys":
      return "The tenant already has five admin keys. Revoke one first.";
    case "slug-taken":
      return "That address is already taken. Please choose another.";
    case "not-a-member":
      return "That agent is not a member of that service.";
    case "dynamic-member":
      return "That agent is only a dynamic member of the service, so conversations cannot be assigned to them.";
    case "other-pbx":
      return "Conversations can only be assigned to agents of the conversation's PBX.";
    case "no-service":
      return "That agent is not a static member of any service of their PBX.";
    case "unknown-agent":
      return "No such agent.";
    case "unknown-service":
      return "No such service.";
    case "unknown-pbx":
      return "No such PBX.";
    case "agent-inactive":
      return "That agent has been deactivated.";
    case "duration-not-allowed":
      return (problem && problem.detail) || "That duration is not allowed.";
    case "too-many-messages":
      return "You have written many messages here in the last ten minutes. Please wait a little.";
    case "guest-cap-reached":
      return "This guest already has the most meetings allowed.";
    default:
      return explain(problem, context);
  }
}

// Keeps calling `call()` while it answers 202 (work that goes on in steps), at most `limit`
// times; returns the last reply.
export async function untilDone(call, limit = 25) {
  let reply = await call();
  for (let i = 1; i < limit && reply.status === 202; i++) reply = await call();
  return reply;
}

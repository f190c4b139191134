// The conversation page (/c/{tenant}{id}, C7): the timeline, a message box, and each of the
// guest's meetings in it as a card whose calendar icon reschedules, changes the duration or
// cancels. Opened with a manage token (from the booking email), the public link's token (read
// only), or a session kept in this browser; anyone else is asked to sign in by email code.

import { $, api, detectedZone, explain, formatWhen, serverClock, sessions, showAlert, t, takeToken } from "./common.js";
import { CodeStep } from "./code-step.js";
import { signIn } from "./sign-in.js";
import { MeetingCard } from "./meeting-card.js";
import { messageItem } from "./timeline.js";

// How often an open page asks for new messages (three small reads each time).
const POLL_SECONDS = 5;

async function conversationPage() {
  const ref = location.pathname.split("/").pop();
  const tenant = ref.slice(0, 20);
  const id = ref.slice(20);
  const fromLink = takeToken();
  const zone = detectedZone();
  const codeStep = new CodeStep();
  // A session for this tenant opens the most (the meetings' cards can change them); the link the
  // email carried opens the conversation as its member when there is none, or it is another's.
  let token = sessions.of(tenant)?.token || fromLink || null;
  let view = null;
  let latest = null;
  const shown = new Set();

  const when = (at) => formatWhen(at, zone);
  const renderMessage = (m) => {
    if (shown.has(m.id)) return null;
    shown.add(m.id);
    return messageItem(m, when);
  };
  const append = (messages) => {
    const items = messages.map(renderMessage).filter(Boolean);
    $("timeline").append(...items);
    if (messages.length) latest = messages[messages.length - 1].id;
  };
  const prepend = (messages) => {
    const items = messages.map(renderMessage).filter(Boolean);
    $("timeline").prepend(...items);
  };
  const markRead = async () => {
    if (view && view.may_write && latest && document.visibilityState === "visible") {
      await api("PUT", `/v1/conversations/${id}/read`, { token, body: { up_to: latest } });
    }
  };

  const identity = () => {
    const session = sessions.of(tenant);
    const signedIn = !!session && token === session.token;
    $("signed-in").hidden = !signedIn;
    if (signedIn) $("signed-in-email").textContent = session.email;
    $("sign-in").hidden = signedIn || (view && view.may_write);
  };

  const load = async () => {
    let reply = token ? await api("GET", `/v1/conversations/${id}`, { token }) : { status: 401, body: null };
    if (reply.status !== 200 && fromLink && token !== fromLink) {
      token = fromLink;
      reply = await api("GET", `/v1/conversations/${id}`, { token });
    }
    if (reply.status !== 200) {
      if (token && token === sessions.of(tenant)?.token && reply.status === 401) sessions.forget(tenant);
      $("title").textContent = t("conversation-sign-in-to-open");
      $("title").translate = true;
      $("talk").hidden = true;
      $("sign-in").hidden = true;
      $("sign-in-form").hidden = false;
      if (token) showAlert(explain(reply.body, { notFound: t("conversation-not-yours") }));
      return false;
    }
    view = reply.body;
    document.title = t("conversation-title-with", { title: view.title });
    // The title is the members' names: data, not a text to translate.
    $("title").textContent = view.title;
    $("title").translate = false;
    $("with").textContent = t("conversation-members", { count: view.members.length });
    $("talk").hidden = false;
    $("timeline").replaceChildren();
    shown.clear();
    append(view.messages);
    $("older").hidden = !view.older;
    $("write").hidden = !view.may_write;
    $("read-only").hidden = view.may_write;
    $("muted").checked = view.muted;
    identity();
    await markRead();
    await loadMeetings();
    return true;
  };

  const loadMeetings = async () => {
    let meetings = [];
    if (token.startsWith("gss_")) {
      const mine = await api("GET", "/v1/guest/meetings", { token });
      if (mine.status === 200) meetings = mine.body.meetings.filter((m) => m.conversation_id === id);
    } else if (token.startsWith("mng_")) {
      const own = await api("GET", `/v1/meetings/${token.split("_")[2]}`, { token });
      if (own.status === 200) meetings = [own.body];
    }
    // The durations and the server's clock come from the meetings' booking page.
    let profile = null;
    if (meetings.length) {
      const page = await api("GET", `/v1/book/${encodeURIComponent(meetings[0].booking_slug)}`);
      if (page.status === 200) {
        profile = page.body;
        serverClock.heard(profile.now);
      }
    }
    const cards = meetings.map((meeting) => {
      const holder = document.createElement("div");
      new MeetingCard(holder, { meeting, token, profile, zone: meeting.guest.time_zone || zone, onChange: () => poll() });
      return holder;
    });
    $("meetings").replaceChildren(...cards);
    $("meetings-section").hidden = cards.length === 0;
  };

  const poll = async () => {
    if (!view || !latest) return;
    const reply = await api("GET", `/v1/conversations/${id}/messages?after=${encodeURIComponent(latest)}`, { token });
    if (reply.status === 200 && reply.body.messages.length) {
      append(reply.body.messages);
      await markRead();
    }
  };

  $("older").addEventListener("click", async () => {
    const reply = await api("GET", `/v1/conversations/${id}/messages?before=${encodeURIComponent(view.older)}`, { token });
    if (reply.status !== 200) return showAlert(explain(reply.body));
    prepend(reply.body.messages);
    view.older = reply.body.older;
    $("older").hidden = !view.older;
  });

  $("write").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("message").value;
    if (!text.trim()) {
      showAlert(t("conversation-write-first"));
      $("message").focus();
      return;
    }
    showAlert("");
    $("send").disabled = true;
    // Anything that arrived meanwhile first, so the new message lands after it.
    await poll();
    const reply = await api("POST", `/v1/conversations/${id}/messages`, { token, body: { text } });
    $("send").disabled = false;
    if (reply.status !== 201) return showAlert(explain(reply.body));
    $("message").value = "";
    append([reply.body.message]);
    $("message").focus();
  });
  $("message").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("write").requestSubmit();
  });
  $("muted").addEventListener("change", async (event) => {
    const reply = await api("PUT", `/v1/conversations/${id}/mute`, { token, body: { muted: event.target.checked } });
    if (reply.status !== 200) showAlert(explain(reply.body));
  });

  // Signing in here: the address gets a code; with it, a session for this tenant.
  $("sign-in").addEventListener("click", () => { $("sign-in-form").hidden = false; $("sign-in-email").focus(); });
  $("sign-in-cancel").addEventListener("click", () => { $("sign-in-form").hidden = true; });
  $("sign-in-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    showAlert("");
    const email = $("sign-in-email").value.trim();
    const sent = await signIn({
      where: { conversation: ref }, email, codeStep, zone,
      done: async (session) => {
        token = session.token;
        await load();
      },
      expired: () => { $("sign-in-form").hidden = false; },
    });
    if (sent) $("sign-in-form").hidden = true;
  });
  $("sign-out").addEventListener("click", async () => {
    const session = sessions.of(tenant);
    sessions.forget(tenant);
    if (session) await api("DELETE", "/v1/guest/session", { token: session.token });
    token = fromLink;
    view = null;
    $("meetings-section").hidden = true;
    await load();
  });

  await load();
  setInterval(poll, POLL_SECONDS * 1000);
  document.addEventListener("visibilitychange", markRead);
}

conversationPage().catch((error) => showAlert(t("page-failed", { error: error.message })));

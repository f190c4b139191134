// The one-click confirmation (/b/confirm/{hold}?token=hld_…), reached from the code email. It
// asks for a press of the button rather than confirming on load, so a mail scanner that follows
// links confirms nothing.

import { $, api, detectedZone, explain, showAlert, showBooked, takeToken } from "./common.js";

function confirmPage() {
  const hold = location.pathname.split("/").pop();
  const token = takeToken();
  $("confirm").addEventListener("click", async () => {
    showAlert("");
    $("confirm").disabled = true;
    const reply = await api("POST", `/v1/holds/${encodeURIComponent(hold)}/confirm`, { body: { token } });
    $("confirm").disabled = false;
    if (reply.status !== 201) {
      showAlert(explain(reply.body));
      return;
    }
    $("ask").hidden = true;
    showBooked(reply.body, { zone: reply.body.meeting.guest.time_zone || detectedZone() });
  });
}

confirmPage();

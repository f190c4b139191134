// The step after "Schedule" when the guest must prove the address (G2), and the sign-in by code
// (G3): one email carries a six-digit code; what it unlocks is held until `expiresAt`, shown as a
// countdown so the guest knows how long they have. One instance drives the page's #verify section.

import { $, explain, formatTime, serverClock, showAlert, t, zoneName } from "./common.js";
import { clockText, secondsLeft } from "./countdown.js";

export class CodeStep {
  // `submit(code)` and `resend()` return API replies; `done(reply)` takes the success;
  // `expired()` is told when the time is up; `words(problem)` puts a refusal into words (the
  // guest's by default); `sent` says where the code went; `held` is the message that says what
  // the code keeps until when; `showZone` names the zone of the time.
  constructor() {
    this.form = $("verify-form");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.confirm();
    });
    $("resend").addEventListener("click", () => this.again());
  }

  open({ email, expiresAt, zone, held, submit, resend, done, expired, words = explain, sent = null, showZone = false }) {
    Object.assign(this, { email, zone, held, submit, resend, done, expired, words, showZone });
    $("verify-sent").textContent = sent || t("verify-sent", { email });
    $("code").value = "";
    $("verify-submit").disabled = false;
    $("resend").disabled = false;
    $("verify").hidden = false;
    this.until(expiresAt);
    $("code").focus();
  }

  close() {
    clearInterval(this.timer);
    $("verify").hidden = true;
  }

  until(expiresAt) {
    clearInterval(this.timer);
    this.expiresAt = Date.parse(expiresAt);
    const tick = () => {
      const left = secondsLeft(this.expiresAt, serverClock.now());
      const clock = clockText(left);
      const time = formatTime(this.expiresAt, this.zone);
      $("verify-expiry").textContent = left > 0
        ? t(this.held, { time: this.showZone ? t("time-in-zone", { time, zone: zoneName(this.zone) }) : time, left: clock })
        : t("verify-expired");
      if (left === 0) {
        clearInterval(this.timer);
        $("verify-submit").disabled = true;
        $("resend").disabled = true;
        this.expired();
      }
    };
    tick();
    this.timer = setInterval(tick, 1000);
  }

  async confirm() {
    const code = $("code").value.replace(/\s+/g, "");
    if (!/^\d{6}$/.test(code)) {
      showAlert(t("verify-six-digits"));
      $("code").focus();
      return;
    }
    showAlert("");
    $("verify-submit").disabled = true;
    const reply = await this.submit(code);
    $("verify-submit").disabled = false;
    if (reply.status === 201) {
      this.close();
      this.done(reply);
      return;
    }
    showAlert(this.words(reply.body));
    if (reply.status === 410 || reply.status === 409 || reply.status === 404) {
      this.close();
      this.expired();
    } else {
      $("code").select();
    }
  }

  async again() {
    showAlert("");
    $("resend").disabled = true;
    const reply = await this.resend();
    $("resend").disabled = false;
    if (reply.status >= 400 || reply.status === 0) {
      showAlert(this.words(reply.body));
      return;
    }
    if (reply.expiresAt) this.until(reply.expiresAt);
    $("verify-sent").textContent = t("verify-sent-again", { email: this.email });
    $("code").value = "";
    $("code").focus();
  }
}

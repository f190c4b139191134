// Usage (`#/admin/usage`, admins): bookings counted for billing in each of the last six months
// (UTC months, as billed), as a bar chart drawn in inline SVG (one image with its own summary)
// and the same figures as a table.

import { serverClock } from "./common.js";
import { get, words } from "./console-api.js";
import { el, heading, section, showAlert, table } from "./console-ui.js";

const MONTHS = 6;
const SVG = "http://www.w3.org/2000/svg";

export function lastMonths(now, count = MONTHS) {
  const d = new Date(now);
  const months = [];
  for (let i = count - 1; i >= 0; i--) {
    const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1));
    months.push(m.toISOString().slice(0, 7));
  }
  return months;
}

const monthName = (month) => new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" })
  .format(new Date(`${month}-15T00:00:00Z`));

export async function render({ screen }) {
  const months = lastMonths(serverClock.now());
  const replies = await Promise.all(months.map((month) => get(`/v1/usage?month=${month}`)));
  const failed = replies.find((r) => r.status !== 200);
  screen.append(...heading("Usage", "Bookings counted for billing, by month (UTC)."));
  if (failed) {
    showAlert(words(failed.body));
    return null;
  }
  const usage = replies.map((r) => r.body);
  const summary = usage.map((u) => `${monthName(u.month)}: ${u.bookings}`).join(", ");
  screen.append(
    section("The last six months",
      el("figure", { class: "chart" }, chart(usage, `Bookings per month, ${summary}.`),
        el("figcaption", { class: "hint", text: "Bookings per month; the table below has the same figures." }))),
    section("In figures", table("Bookings counted for billing", ["Month", "Bookings", "Booked by guests", "Booked by agents"],
      usage.map((u) => [monthName(u.month), String(u.bookings), String(u.booked_by_guests), String(u.booked_by_agents)]))));
  return null;
}

function node(tag, attributes, text) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) n.setAttribute(k, String(v));
  if (text !== undefined) n.textContent = text;
  return n;
}

function chart(usage, label) {
  const width = 360;
  const height = 200;
  const top = 22;
  const bottom = 36;
  const plot = height - top - bottom;
  const max = Math.max(1, ...usage.map((u) => u.bookings));
  const slot = width / usage.length;
  const svg = node("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label, focusable: "false" });
  svg.append(node("line", { x1: 0, y1: top + plot, x2: width, y2: top + plot, stroke: "#5d6677" }));
  usage.forEach((u, i) => {
    const h = Math.round((u.bookings / max) * plot);
    const x = i * slot + slot * 0.2;
    const w = slot * 0.6;
    const y = top + plot - h;
    svg.append(
      node("rect", { class: "bar", x, y, width: w, height: Math.max(h, u.bookings ? 2 : 0), rx: 3 }),
      node("text", { x: x + w / 2, y: y - 6, "text-anchor": "middle" }, String(u.bookings)),
      node("text", { x: x + w / 2, y: height - 20, "text-anchor": "middle" }, monthName(u.month).split(" ")[0]),
      node("text", { x: x + w / 2, y: height - 6, "text-anchor": "middle", class: "year" }, monthName(u.month).split(" ")[1]));
  });
  return svg;
}

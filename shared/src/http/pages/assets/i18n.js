// The page's language (L1–L3). The server built this page in it and put the page's messages
// (from `shared/messages/<language>/pages.ftl`) in it as data; scripts take every word a person
// reads from here and write none of their own. Dates come from the browser's own CLDR data
// (Intl) in the same language.

const messages = JSON.parse(document.getElementById("messages")?.textContent || "{}");

// "en", "it", "de", "fr", "es", or "qps": the pseudo-language the tests run pages in, which
// writes dates as English does.
export const lang = document.documentElement.lang || "en";
export const locale = lang === "en" || lang === "qps" ? "en-GB" : lang;
// The language the API is told, for what it sends by email: the pseudo-language is English there.
export const apiLanguage = lang === "qps" ? "en" : lang;

// A message with its `{ $name }` variables filled in; the key itself when there is no such
// message, so a mistake shows (and the pseudo-language test catches it).
export function t(key, args = {}) {
  const text = messages[key] ?? key;
  return text.replace(/\{ *\$(\w+) *\}/g, (all, name) => (name in args ? String(args[name]) : all));
}

// The language picker at the foot of every guest page: the choice, once applied with its
// button (choosing alone never reloads a page under the reader's keys), is kept in a cookie the
// server reads for every page after (and the booking sends it, so the emails follow), and the
// page is loaded again in it.
function picker() {
  const form = document.getElementById("language-form");
  const select = document.getElementById("language");
  if (!form || !select) return;
  select.value = lang;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const secure = location.protocol === "https:" ? "; secure" : "";
    document.cookie = `lang=${encodeURIComponent(select.value)}; path=/; max-age=31536000; samesite=lax${secure}`;
    const url = new URL(location.href);
    url.searchParams.delete("lang");
    location.replace(url);
  });
}
picker();

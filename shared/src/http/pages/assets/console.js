// The agents' console (AC1-AC4): one page; the hash names the screen (`#/inbox`,
// `#/conversations/{id}`, ...). Its session is the console's cookie, which no script reads.
const view = document.getElementById("view");
view.textContent = "Loading…";

// Tutorial pages: « Essayer » opens the real page with its tour; without a session, in
// discovery mode (the demo member's data, nothing sent), with one, on the member's own space.

import { getSession, roleOf } from "../../lib/session.js";

const session = getSession();
const member = session && roleOf(session) === "member";
for (const link of document.querySelectorAll("[data-essayer], [data-discover]")) {
  const url = new URL(link.href, location.href);
  if (member) url.searchParams.delete("demo");
  else url.searchParams.set("demo", "1");
  link.href = url.pathname + url.search;
}

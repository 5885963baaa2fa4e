// When her cover has ended (GET /members/me → access.closed), the member space says so on
// every page: the date, what she can still do (her documents, statements, data export) and
// until when. Pages she can no longer use show that notice instead of their content, rather
// than errors (the API refuses them with 403, domain/access.py).

import { pagePath, sitePath } from "../lib/config.js";
import { h } from "../lib/dom.js";
import { dateLongFr } from "../lib/formats.js";

// The pages that still work after the end (their routes stay open, domain/access.py).
const OPEN_PAGES = ["espace/documents/", "espace/releves/", "espace/infos/donnees/"];

export function pageStaysOpen(pathname = location.pathname) {
  return OPEN_PAGES.some((page) => pathname === sitePath(page));
}

/** access: {closed, ended_on, readable_until, message} (or {message} once even reading has
 * expired, from the API's 403). */
export function showEndedAccess(access) {
  const page = document.querySelector(".ea-page");
  if (!page || page.querySelector("[data-ended-access]")) return;
  const open = Boolean(access.readable_until) && pageStaysOpen();
  const links = access.readable_until
    ? h("ul", { class: "ea-plain-list" },
        h("li", {}, h("a", { href: pagePath("espace/documents/"), text: "Mes documents" })),
        h("li", {}, h("a", { href: pagePath("espace/releves/"), text: "Mes relevés de prestations" })),
        h("li", {}, h("a", { href: pagePath("espace/infos/donnees/"), text: "Télécharger mes données" })))
    : null;
  const notice = h("section", { class: "ea-notice ea-ended", "aria-labelledby": "ended-title", "data-ended-access": "", "data-testid": "ended-access" },
    h("h2", { id: "ended-title", text: access.ended_on ? `Votre contrat a pris fin le ${dateLongFr(access.ended_on)}` : "Votre contrat a pris fin" }),
    h("p", { text: access.message }),
    links);
  page.querySelector(".ea-page__title")?.after(notice);
  if (open) return;
  // This page needs the cover that ended: the notice stands instead of its content.
  for (const child of page.children) {
    if (child !== notice && !child.classList.contains("ea-page__title")) child.hidden = true;
  }
}

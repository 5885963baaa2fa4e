// « Qui a consulté mon dossier »: every opening of her file by an advisor, newest first (date
// and time in Paris, the advisor's first name and initial, why), « Voir plus ».

import { memberPage } from "../../../../components/layout.js";
import { pagedList } from "../../../../components/paged-list.js";
import { h } from "../../../../lib/dom.js";
import { dateTimeFr } from "../../../../lib/formats.js";

function opening(item) {
  return h("li", { class: "ea-card ea-signin", "data-testid": "opening-row" },
    h("p", { class: "ea-card__title" }, dateTimeFr(item.at), " · ", h("span", { "data-testid": "opening-advisor", text: item.advisor })),
    h("p", { class: "ea-signin__meta", "data-testid": "opening-why", text: item.why }));
}

const openings = pagedList({
  list: "openings-list",
  status: "openings-status",
  error: "openings-error",
  more: "openings-more",
  path: "/members/me/accesses",
  pageSize: 20,
  item: '[data-testid="opening-row"]',
  render: (items) => h("ul", { class: "ea-cards", "aria-label": "Les consultations de mon dossier" }, items.map(opening)),
  noun: ["consultation", "consultations"],
  shown: ["affichée", "affichées"],
  empty: () => ({ message: "Aucun conseiller n'a encore ouvert votre dossier.", hint: "" }),
  loading: "Chargement des consultations de votre dossier…",
});

await memberPage();
openings.reload();

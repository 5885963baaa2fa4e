// « Mes estimations »: a page at a time, newest first; each links to its detail, says whether
// the care has been paid yet, and can be deleted.

import { memberPage } from "../../../components/layout.js";
import { pagedList } from "../../../components/paged-list.js";
import { showNotice } from "../../../components/states.js";
import { pagePath } from "../../../lib/config.js";
import { h } from "../../../lib/dom.js";
import { takeFlash } from "../../../lib/flash.js";
import { dateFr, dateTimeFr, euros } from "../../../lib/formats.js";
import { confirmDelete, deletedMessage, titleOf } from "../../../components/estimate-delete.js";

const notice = document.getElementById("estimates-notice");

function card(estimate) {
  const totals = estimate.totals ?? {};
  const title = titleOf(estimate);
  return h(
    "li",
    { class: "ea-card ea-card--link", "data-testid": "estimate-row", "data-id": estimate.id },
    h("p", { class: "ea-card__title" },
      h("a", { class: "ea-row-link ea-card__link", href: pagePath("espace/estimations/detail/", { id: estimate.id }), text: title })),
    estimate.actual
      ? h("p", {}, h("span", { class: "ea-badge ea-badge--paid", text: "Soin remboursé : comparez" }))
      : h("p", {}, h("span", { class: "ea-badge ea-badge--processing", text: "Remboursement pas encore connu" })),
    h("dl", { class: "ea-card__facts" },
      estimate.label ? h("div", {}, h("dt", { text: "Soin" }), h("dd", { text: estimate.act_label })) : null,
      h("div", {}, h("dt", { text: "Bénéficiaire" }), h("dd", { text: estimate.beneficiary_name })),
      h("div", {}, h("dt", { text: "Date des soins" }), h("dd", { text: dateFr(estimate.care_date) })),
      h("div", {}, h("dt", { text: "Prix" }), h("dd", { text: euros(estimate.price_cents) })),
      h("div", {}, h("dt", { text: "Part de la mutuelle estimée" }), h("dd", { class: "ea-amount", text: euros(totals.mutual_cents) })),
      h("div", {}, h("dt", { text: "Reste à charge estimé" }), h("dd", { text: euros(totals.out_of_pocket_cents) }))),
    estimate.created_at ? h("p", { class: "ea-card__meta", text: `Estimation faite le ${dateTimeFr(estimate.created_at)}` }) : null,
    h("p", { class: "ea-card__actions" },
      h("button", { type: "button", class: "ea-link-button ea-card__action", onclick: () => remove(estimate) },
        "Supprimer", h("span", { class: "ea-visually-hidden", text: ` l'estimation ${title}` }))),
  );
}

const estimates = pagedList({
  list: "estimates-list",
  status: "estimates-status",
  error: "estimates-error",
  more: "estimates-more",
  path: "/claims/estimates",
  pageSize: 20,
  item: '[data-testid="estimate-row"]',
  render: (items) => h("ul", { class: "ea-cards ea-cards--grid", "aria-label": "Mes estimations" }, items.map(card)),
  noun: ["estimation", "estimations"],
  shown: ["affichée", "affichées"],
  empty: () => ({
    message: "Vous n'avez pas encore d'estimation.",
    hint: h("a", { href: pagePath("espace/estimation/"), text: "Estimer un remboursement avant votre prochain soin" }),
  }),
  loading: "Chargement de vos estimations…",
});

async function remove(estimate) {
  if (!(await confirmDelete(estimate))) return;
  const index = estimates.remove((item) => item.id === estimate.id);
  showNotice(notice, deletedMessage(estimate));
  // The focus goes to the card that took its place, else the one before, else the notice.
  const count = estimates.items.length;
  if (count) estimates.focusItem(Math.min(index, count - 1));
  else showNotice(notice, deletedMessage(estimate), { focus: true });
}

await memberPage();
const flash = takeFlash();
if (flash) showNotice(notice, flash, { focus: true });
estimates.reload();

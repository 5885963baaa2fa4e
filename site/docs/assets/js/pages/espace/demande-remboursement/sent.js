// « Mes demandes envoyées »: the reimbursement requests already sent, a page at a time, with
// their status, each leading to its page in « Mes demandes ».

import { facts } from "../../../components/facts.js";
import { pagedList } from "../../../components/paged-list.js";
import { statusBadge } from "../../../components/status-badge.js";
import { pagePath } from "../../../lib/config.js";
import { h } from "../../../lib/dom.js";
import { dateTimeFr } from "../../../lib/formats.js";

function card(item) {
  return h("li", { class: "ea-card ea-card--link", "data-testid": "request-row" },
    h("p", { class: "ea-card__title" },
      h("a", { class: "ea-row-link ea-card__link", href: pagePath("espace/demandes/detail/", { id: item.id }) },
        item.reference, h("span", { class: "ea-visually-hidden", text: ` : voir le suivi de la demande${item.unread ? ", mise à jour non lue" : ""}` })),
      " ", statusBadge(item.status, item.status_label),
      item.unread ? h("span", { class: "ea-tag ea-tag--new", text: "Nouveau" }) : null),
    facts([
      ["Soin", item.subject],
      ["Bénéficiaire", item.beneficiary_name ?? ""],
      ["Envoyée le", dateTimeFr(item.created_at)],
    ], { class: "ea-card__facts" }));
}

export const requests = pagedList({
  list: "requests-list",
  status: "requests-status",
  error: "requests-error",
  more: "requests-more",
  path: "/support/requests",
  query: () => ({ kind: "reimbursement" }),
  pageSize: 10,
  item: '[data-testid="request-row"]',
  render: (items) => h("ul", { class: "ea-cards ea-cards--grid", "aria-label": "Mes demandes envoyées" }, items.map(card)),
  noun: ["demande", "demandes"],
  shown: ["affichée", "affichées"],
  empty: () => ({ message: "Vous n'avez pas encore envoyé de demande de remboursement en ligne.", hint: "" }),
  loading: "Chargement de vos demandes…",
});

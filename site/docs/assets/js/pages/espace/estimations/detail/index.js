// One estimate; once the care has been paid, the actual payment beside it with the gap
// explained. The estimate can be deleted from here.

import { detailPage } from "../../../../components/detail-page.js";
import { explanationList } from "../../../../components/explanation-list.js";
import { facts } from "../../../../components/facts.js";
import { memberPage } from "../../../../components/layout.js";
import { splitFigure } from "../../../../components/split-figure.js";
import { brand, pagePath, siteUrl } from "../../../../lib/config.js";
import { h } from "../../../../lib/dom.js";
import { setFlash } from "../../../../lib/flash.js";
import { dateFr, dateLongFr, dateTimeFr, euros } from "../../../../lib/formats.js";
import { confirmDelete, deletedMessage, titleOf } from "../../../../components/estimate-delete.js";

function comparison(estimated, actual) {
  const rows = [
    ["Frais réels", "real_cost_cents"],
    ["Sécurité sociale", "social_security_cents"],
    [brand.name || "Mutuelle", "mutual_cents"],
    ["Reste à votre charge", "out_of_pocket_cents"],
  ];
  const gap = (key) => (Number(actual[key]) || 0) - (Number(estimated[key]) || 0);
  const signed = (cents) => (cents === 0 ? "aucun" : `${cents > 0 ? "+" : "−"} ${euros(Math.abs(cents))}`);
  return h(
    "div",
    // Focusable so that keyboard users can scroll it on a narrow screen.
    { class: "ea-table-wrap", tabindex: "0", role: "region", "aria-label": "Comparaison de l'estimation et du remboursement réel" },
    h("table", { class: "ea-table ea-table--compare", "data-testid": "estimate-comparison" },
      h("caption", { text: "Montants estimés et montants réellement versés" }),
      h("thead", {}, h("tr", {},
        h("th", { scope: "col", text: "Montant" }),
        h("th", { scope: "col", class: "ea-num", text: "Estimé" }),
        h("th", { scope: "col", class: "ea-num", text: "Versé" }),
        h("th", { scope: "col", class: "ea-num", text: "Écart" }))),
      h("tbody", {}, rows.map(([label, key]) => h("tr", {},
        h("th", { scope: "row", text: label }),
        h("td", { class: "ea-num", text: euros(estimated[key]) }),
        h("td", { class: "ea-num", text: euros(actual[key]) }),
        h("td", { class: "ea-num", text: signed(gap(key)) }))))),
  );
}

/** The estimate beside the payment, only when the API matched one to it. */
function actualSection(estimate) {
  const actual = estimate.actual;
  if (!actual) {
    return h("p", {
      class: "ea-notice ea-notice--info",
      text: "Le remboursement de ce soin n'est pas encore connu. Dès qu'il sera payé, le montant réellement versé s'affichera ici, à côté de l'estimation, avec l'explication d'un éventuel écart.",
    });
  }
  const reasons = [actual.gap_explanation ?? []].flat().filter(Boolean);
  return h("section", { class: "ea-card ea-compare", "aria-labelledby": "estimate-actual", "data-testid": "estimate-actual" },
    h("h2", { id: "estimate-actual", text: "Estimation et remboursement réel" }),
    comparison(estimate.totals ?? {}, actual.totals ?? {}),
    reasons.length
      ? h("div", { class: "ea-notice ea-notice--info" },
          h("h3", { text: "Pourquoi un écart ?" }),
          reasons.length === 1
            ? h("p", { text: reasons[0] })
            : h("ul", { class: "ea-plain-list" }, reasons.map((text) => h("li", { text }))))
      : null,
    actual.claim_id
      ? h("p", {}, h("a", { href: pagePath("espace/remboursements/decompte/", { id: actual.claim_id }), text: "Voir le décompte du remboursement réel" }))
      : null);
}

async function remove(estimate) {
  if (!(await confirmDelete(estimate))) return;
  setFlash(deletedMessage(estimate));
  location.assign(siteUrl("espace/estimations/"));
}

function render(estimate) {
  const totals = estimate.totals ?? {};
  return [
    h("section", { class: "ea-card", "aria-labelledby": "estimate-care" },
      h("h2", { id: "estimate-care", text: titleOf(estimate) }),
      facts([
        ["Soin", estimate.label ? estimate.act_label : ""],
        ["Bénéficiaire", estimate.beneficiary_name],
        ["Date des soins", dateLongFr(estimate.care_date)],
        ["Prix indiqué", euros(estimate.price_cents)],
        ["Estimation faite le", dateTimeFr(estimate.created_at)],
      ])),
    actualSection(estimate),
    h("section", { class: "ea-card", "aria-labelledby": "estimate-split" },
      h("h2", { id: "estimate-split", text: "Ce que nous avions estimé" }),
      splitFigure(totals, `Répartition estimée des ${euros(totals.real_cost_cents ?? estimate.price_cents)} de frais`),
      h("h3", { text: "Le calcul, ligne par ligne" }),
      explanationList(estimate.lines)),
    h("p", { class: "ea-detail__actions" },
      h("button", { type: "button", class: "ea-button ea-button--secondary", text: "Supprimer cette estimation", onclick: () => remove(estimate) })),
  ];
}

const page = detailPage({
  mount: "estimate",
  status: "estimate-status",
  error: "estimate-error",
  path: (id) => `/claims/estimates/${encodeURIComponent(id)}`,
  render,
  title: (estimate) => `${titleOf(estimate)} du ${dateFr(estimate.care_date)}`,
  loading: "Chargement de l'estimation…",
  loaded: "Estimation affichée.",
  notFound: {
    missingId: "Cette estimation est introuvable : le lien est incomplet. Retournez à vos estimations pour l'ouvrir.",
    message: "Cette estimation est introuvable. Elle a peut-être été supprimée, ou ne fait pas partie de vos estimations.",
  },
});

await memberPage();
page.load();

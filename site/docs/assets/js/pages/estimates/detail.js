// One estimate; once the care has been reimbursed, the actual payment beside it with the gap
// explained.

import { api } from "./api.js";
import { brand, siteUrl } from "./config.js";
import { dateFr, dateLongFr, dateTimeFr, euros } from "./format.js";
import { memberPage } from "./layout.js";
import { explanationList, h, setLoaded, setLoading, showError, splitFigure } from "./ui.js";

const mount = document.getElementById("estimate");
const status = document.getElementById("estimate-status");
const errorBox = document.getElementById("estimate-error");

function facts(rows) {
  return h("dl", { class: "ea-facts" },
    rows.filter(([, value]) => value).map(([label, value]) => h("div", {}, h("dt", { text: label }), h("dd", { text: value }))));
}

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
    h(
      "table",
      { class: "ea-table ea-table--compare", "data-testid": "estimate-comparison" },
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
        h("td", { class: "ea-num", text: signed(gap(key)) })))),
    ),
  );
}

function render(estimate) {
  const totals = estimate.totals ?? {};
  const actual = estimate.actual;
  const claimUrl = actual?.claim_id ? siteUrl("espace/remboursements/decompte/") : null;
  claimUrl?.searchParams.set("id", actual.claim_id);
  mount.replaceChildren(
    h("section", { class: "ea-card", "aria-labelledby": "estimate-care" },
      h("h2", { id: "estimate-care", text: estimate.label || estimate.act_label }),
      facts([
        ["Soin", estimate.label ? estimate.act_label : ""],
        ["Bénéficiaire", estimate.beneficiary_name],
        ["Date des soins", dateLongFr(estimate.care_date)],
        ["Prix indiqué", euros(estimate.price_cents)],
        ["Estimation faite le", dateTimeFr(estimate.created_at)],
      ])),
    actual
      ? h("section", { class: "ea-card ea-compare", "aria-labelledby": "estimate-actual", "data-testid": "estimate-actual" },
          h("h2", { id: "estimate-actual", text: "Estimation et remboursement réel" }),
          comparison(totals, actual.totals ?? {}),
          actual.gap_explanation
            ? h("div", { class: "ea-notice ea-notice--info" }, h("h3", { text: "Pourquoi un écart ?" }), h("p", { text: actual.gap_explanation }))
            : null,
          claimUrl ? h("p", {}, h("a", { href: claimUrl.pathname + claimUrl.search, text: "Voir le décompte du remboursement réel" })) : null)
      : h("p", { class: "ea-notice ea-notice--info", text: "Une fois ce soin remboursé, le montant réellement versé s'affichera ici, à côté de l'estimation, avec l'explication d'un éventuel écart." }),
    h("section", { class: "ea-card", "aria-labelledby": "estimate-split" },
      h("h2", { id: "estimate-split", text: "Ce que nous avions estimé" }),
      splitFigure(totals, `Répartition estimée des ${euros(totals.real_cost_cents ?? estimate.price_cents)} de frais`),
      h("h3", { text: "Le calcul, ligne par ligne" }),
      explanationList(estimate.lines)),
  );
  document.title = `${estimate.label || estimate.act_label} du ${dateFr(estimate.care_date)} – ${document.title}`;
}

async function load() {
  errorBox.replaceChildren();
  const id = new URLSearchParams(location.search).get("id");
  if (!id) {
    showError(errorBox, { notFound: true, message: "Cette estimation est introuvable : le lien est incomplet. Retournez à vos estimations pour l'ouvrir." });
    return;
  }
  setLoading(mount, status, "Chargement de l'estimation…");
  try {
    render(await api(`/claims/estimates/${encodeURIComponent(id)}`));
    setLoaded(mount, status, "Estimation affichée.", { visible: false });
  } catch (error) {
    setLoaded(mount, status, "");
    if (error.notFound) {
      showError(errorBox, { notFound: true, message: "Cette estimation est introuvable. Elle ne fait peut-être pas partie de vos estimations, ou le lien est ancien." });
    } else showError(errorBox, error, { onRetry: load });
  }
}

await memberPage();
load();

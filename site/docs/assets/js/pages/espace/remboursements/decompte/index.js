// Décompte: one reimbursement, who paid what (bar + text) and every figure explained.

import { sectorLabel } from "../../../../components/care-fields.js";
import { detailPage } from "../../../../components/detail-page.js";
import { explanationList } from "../../../../components/explanation-list.js";
import { facts } from "../../../../components/facts.js";
import { memberPage } from "../../../../components/layout.js";
import { splitFigure } from "../../../../components/split-figure.js";
import { statusBadge } from "../../../../components/status-badge.js";
import { siteUrl } from "../../../../lib/config.js";
import { h } from "../../../../lib/dom.js";
import { dateFr, dateLongFr, euros } from "../../../../lib/formats.js";

// Back to the list with the filters the member had (when they came from it).
try {
  const previous = new URL(document.referrer);
  if (previous.origin === location.origin && previous.pathname === siteUrl("espace/remboursements/").pathname) {
    document.getElementById("claim-back").href = previous.pathname + previous.search;
  }
} catch {
  // No referrer: keep the plain link.
}

function card(id, title, ...content) {
  return h("section", { class: "ea-card", "aria-labelledby": id }, h("h2", { id, text: title }), ...content);
}

function payment(claim) {
  if (claim.status === "paid" && !Number(claim.mutual_cents)) {
    // No transfer of 0,00 € to an account: say who paid instead.
    return h("p", { "data-testid": "claim-no-payment", text: `${claim.payer_note ?? "Remboursé par l'Assurance Maladie seule"}. La mutuelle n'avait rien à vous verser pour ce soin\u00a0: aucun versement n'a été fait sur votre compte.` });
  }
  if (claim.status === "paid" || claim.payment_date) {
    return facts([
      ["Montant versé par la mutuelle", euros(claim.mutual_cents)],
      ["Date du versement", claim.payment_date ? dateLongFr(claim.payment_date) : ""],
      ["Sur le compte", claim.bank_account_masked],
    ]);
  }
  return h("p", {
    text:
      claim.status === "rejected"
        ? "Ce soin n'a pas donné lieu à un versement de la mutuelle. Le calcul ci-dessus en donne la raison."
        : "Le versement est en préparation : sa date et le compte crédité s'afficheront ici dès qu'il sera effectué.",
  });
}

function render(claim) {
  const practitioner = claim.practitioner;
  return [
    h("section", { class: "ea-card ea-detail__summary", "aria-labelledby": "claim-care" },
      h("h2", { id: "claim-care", text: claim.act_label }),
      h("p", { class: "ea-detail__status" }, statusBadge(claim.status, claim.status_label)),
      facts([
        ["Date des soins", dateLongFr(claim.care_date)],
        ["Bénéficiaire", claim.beneficiary_name],
        ["Catégorie", claim.category_label],
        ["Quantité", claim.quantity > 1 ? String(claim.quantity) : ""],
        ["Frais réels", euros(claim.real_cost_cents)],
      ])),
    card("claim-split", "Qui a payé quoi",
      splitFigure(claim, `Répartition des ${euros(claim.real_cost_cents)} de frais réels`),
      Number(claim.deductibles_cents) > 0
        ? h("p", {
            class: "ea-note",
            text: `Votre reste à charge comprend ${euros(claim.deductibles_cents)} de participation forfaitaire et de franchises médicales : la loi ne permet pas à une mutuelle responsable de les rembourser.`,
          })
        : null),
    card("claim-lines", "Le calcul, ligne par ligne", explanationList(claim.lines)),
    practitioner
      ? card("claim-practitioner", "Le professionnel de santé", facts([
          ["Nom", practitioner.name],
          ["Spécialité", practitioner.specialty],
          ["Conventionnement", sectorLabel(practitioner)],
        ]))
      : null,
    card("claim-payment", "Le versement", payment(claim)),
  ];
}

const page = detailPage({
  mount: "claim",
  status: "claim-status",
  error: "claim-error",
  path: (id) => `/claims/${encodeURIComponent(id)}`,
  render,
  title: (claim) => `${claim.act_label} du ${dateFr(claim.care_date)}`,
  loading: "Chargement du décompte…",
  loaded: "Décompte affiché.",
  notFound: {
    missingId: "Ce décompte est introuvable : le lien est incomplet. Retournez à la liste de vos remboursements pour l'ouvrir.",
    message: "Ce décompte est introuvable. Il ne fait peut-être pas partie de vos remboursements, ou le lien est ancien.",
  },
});

await memberPage();
page.load();

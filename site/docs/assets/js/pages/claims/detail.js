// Décompte: one reimbursement, who paid what (bar + text) and every figure explained.

import { api } from "./api.js";
import { siteUrl } from "./config.js";
import { dateFr, dateLongFr, euros } from "./format.js";
import { memberPage } from "./layout.js";
import { explanationList, h, sectorLabel, setLoaded, setLoading, showError, splitFigure, statusBadge } from "./ui.js";

const mount = document.getElementById("claim");
const status = document.getElementById("claim-status");
const errorBox = document.getElementById("claim-error");
const back = document.getElementById("claim-back");

// Back to the list with the filters the member had (when they came from it).
try {
  const previous = new URL(document.referrer);
  if (previous.origin === location.origin && previous.pathname === siteUrl("espace/remboursements/").pathname) {
    back.href = previous.pathname + previous.search;
  }
} catch {
  // No referrer: keep the plain link.
}

function facts(rows) {
  return h(
    "dl",
    { class: "ea-facts" },
    rows.filter(([, value]) => value !== "" && value !== null && value !== undefined)
      .map(([label, value]) => h("div", {}, h("dt", { text: label }), h("dd", {}, value))),
  );
}

function render(claim) {
  const totals = {
    real_cost_cents: claim.real_cost_cents,
    social_security_cents: claim.social_security_cents,
    mutual_cents: claim.mutual_cents,
    out_of_pocket_cents: claim.out_of_pocket_cents,
  };
  const practitioner = claim.practitioner;
  const paid = claim.status === "paid";
  mount.replaceChildren(
    h(
      "section",
      { class: "ea-card ea-detail__summary", "aria-labelledby": "claim-care" },
      h("h2", { id: "claim-care", text: claim.act_label }),
      h("p", { class: "ea-detail__status" }, statusBadge(claim.status, claim.status_label)),
      facts([
        ["Date des soins", dateLongFr(claim.care_date)],
        ["Bénéficiaire", claim.beneficiary_name],
        ["Catégorie", claim.category_label],
        ["Quantité", claim.quantity > 1 ? String(claim.quantity) : ""],
        ["Frais réels", euros(claim.real_cost_cents)],
      ]),
    ),
    h(
      "section",
      { class: "ea-card", "aria-labelledby": "claim-split" },
      h("h2", { id: "claim-split", text: "Qui a payé quoi" }),
      splitFigure(totals, `Répartition des ${euros(claim.real_cost_cents)} de frais réels`),
      Number(claim.deductibles_cents) > 0
        ? h("p", {
            class: "ea-note",
            text: `Votre reste à charge comprend ${euros(claim.deductibles_cents)} de participation forfaitaire et de franchises médicales : la loi ne permet pas à une mutuelle responsable de les rembourser.`,
          })
        : null,
    ),
    h(
      "section",
      { class: "ea-card", "aria-labelledby": "claim-lines" },
      h("h2", { id: "claim-lines", text: "Le calcul, ligne par ligne" }),
      explanationList(claim.lines),
    ),
    practitioner
      ? h(
          "section",
          { class: "ea-card", "aria-labelledby": "claim-practitioner" },
          h("h2", { id: "claim-practitioner", text: "Le professionnel de santé" }),
          facts([
            ["Nom", practitioner.name],
            ["Spécialité", practitioner.specialty],
            ["Conventionnement", sectorLabel(practitioner)],
          ]),
        )
      : null,
    h(
      "section",
      { class: "ea-card", "aria-labelledby": "claim-payment" },
      h("h2", { id: "claim-payment", text: "Le versement" }),
      paid || claim.payment_date
        ? facts([
            ["Montant versé par la mutuelle", euros(claim.mutual_cents)],
            ["Date du versement", claim.payment_date ? dateLongFr(claim.payment_date) : ""],
            ["Sur le compte", claim.bank_account_masked],
          ])
        : h("p", {
            text:
              claim.status === "rejected"
                ? "Ce soin n'a pas donné lieu à un versement de la mutuelle. Le calcul ci-dessus en donne la raison."
                : "Le versement est en préparation : sa date et le compte crédité s'afficheront ici dès qu'il sera effectué.",
          }),
    ),
  );
  document.title = `${claim.act_label} du ${dateFr(claim.care_date)} – ${document.title}`;
}

async function load() {
  errorBox.replaceChildren();
  const id = new URLSearchParams(location.search).get("id");
  if (!id) {
    showError(errorBox, { notFound: true, message: "Ce décompte est introuvable : le lien est incomplet. Retournez à la liste de vos remboursements pour l'ouvrir." });
    return;
  }
  setLoading(mount, status, "Chargement du décompte…");
  try {
    const claim = await api(`/claims/${encodeURIComponent(id)}`);
    render(claim);
    setLoaded(mount, status, "Décompte affiché.", { visible: false });
  } catch (error) {
    setLoaded(mount, status, "");
    if (error.notFound) {
      showError(errorBox, { notFound: true, message: "Ce décompte est introuvable. Il ne fait peut-être pas partie de vos remboursements, ou le lien est ancien." });
    } else {
      showError(errorBox, error, { onRetry: load });
    }
  }
}

await memberPage();
load();

// Décompte: one reimbursement, who paid what (bar + text) and every figure explained.

import { sectorLabel } from "../../../../components/care-fields.js";
import { detailPage } from "../../../../components/detail-page.js";
import { explanationList } from "../../../../components/explanation-list.js";
import { facts } from "../../../../components/facts.js";
import { memberPage } from "../../../../components/layout.js";
import { splitFigure } from "../../../../components/split-figure.js";
import { statusBadge } from "../../../../components/status-badge.js";
import { getActing } from "../../../../lib/acting.js";
import { api } from "../../../../lib/api.js";
import { pagePath, siteUrl } from "../../../../lib/config.js";
import { h } from "../../../../lib/dom.js";
import { dateFr, dateLongFr, dateTimeFr, euros } from "../../../../lib/formats.js";
import { newIdempotencyKey } from "../../../../lib/idempotency.js";

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

const signed = (cents) => (cents === 0 ? "aucun" : `${cents > 0 ? "+" : "−"} ${euros(Math.abs(cents))}`);

/** Her estimate of this care beside the payment: each figure, its gap and why, in words. */
function estimateSection(claim) {
  const compared = claim.estimate;
  if (!compared) return null;
  const title = compared.estimate_label ? `« ${compared.estimate_label} »` : `du ${dateLongFr(compared.estimated_on)}`;
  return h("section", { class: "ea-card ea-compare", "aria-labelledby": "claim-estimate", "data-testid": "claim-estimate" },
    h("h2", { id: "claim-estimate", text: "Votre estimation et ce qui a été payé" }),
    h("p", {}, `Vous aviez estimé ce soin (estimation ${title}). Voici, ligne par ligne, ce qui a changé entre l'estimation et le paiement.`),
    h("div", { class: "ea-table-wrap", tabindex: "0", role: "region", "aria-label": "Comparaison de l'estimation et du paiement" },
      h("table", { class: "ea-table ea-table--compare", "data-testid": "claim-estimate-lines" },
        h("caption", { text: "Montants estimés, montants payés, et l'explication de chaque écart" }),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col", text: "Ligne" }),
          h("th", { scope: "col", class: "ea-num", text: "Estimé" }),
          h("th", { scope: "col", class: "ea-num", text: "Payé" }),
          h("th", { scope: "col", class: "ea-num", text: "Écart" }),
          h("th", { scope: "col", text: "Explication" }))),
        h("tbody", {}, compared.lines.map((line) => h("tr", { "data-key": line.key },
          h("th", { scope: "row", text: line.label }),
          h("td", { class: "ea-num", text: euros(line.estimated_cents) }),
          h("td", { class: "ea-num", text: euros(line.paid_cents) }),
          h("td", { class: "ea-num", text: signed(line.difference_cents) }),
          h("td", { text: line.explanation })))))),
    compared.reasons?.length
      ? h("div", { class: "ea-notice ea-notice--info" },
          h("h3", { text: "En résumé" }),
          h("ul", { class: "ea-plain-list" }, compared.reasons.map((text) => h("li", { text }))))
      : null,
    h("p", {}, h("a", { href: pagePath("espace/estimations/detail/", { id: compared.estimate_id }), text: "Voir l'estimation" })));
}

function disputeDone(dispute) {
  return h("div", { class: "ea-notice", role: "status", "data-testid": "claim-disputed" },
    h("p", { text: `Vous avez signalé ce paiement le ${dateTimeFr(dispute.created_at)} (demande n° ${dispute.reference}). Un conseiller l'examine et vous répond dans « Mes demandes ».` }),
    h("p", {}, h("a", { href: pagePath("espace/demandes/detail/", { id: dispute.id }), text: "Suivre ma demande" })));
}

/** « Je ne reconnais pas ce paiement »: a short form, then the request it became. */
function disputeSection(claim) {
  if (claim.dispute) return card("claim-dispute", "Un doute sur ce paiement ?", disputeDone(claim.dispute));
  // Not within a procuration's reach: the member signals a payment herself.
  if (!claim.can_dispute || getActing()) return null;
  const key = newIdempotencyKey();
  const message = h("textarea", { id: "dispute-message", name: "message", rows: "3", maxlength: "2000", "aria-describedby": "dispute-hint" });
  const error = h("div", { role: "alert" });
  const submit = h("button", { type: "submit", class: "ea-button ea-button--primary", text: "Envoyer le signalement" });
  const form = h("form", { class: "ea-form", hidden: true, novalidate: true, "data-testid": "dispute-form" },
    h("div", { class: "ea-field" },
      h("label", { for: "dispute-message", text: "Ce qui vous fait douter (facultatif)" }),
      h("p", { class: "ea-hint", id: "dispute-hint", text: "Par exemple : je n'ai pas eu de soin ce jour-là, ou ce compte n'est pas le mien." }),
      message),
    error,
    h("div", { class: "ea-actions" }, submit));
  const open = h("button", { type: "button", class: "ea-button ea-button--secondary", "aria-expanded": "false", "data-testid": "dispute-open", text: "Je ne reconnais pas ce paiement" });
  const section = card("claim-dispute", "Un doute sur ce paiement ?",
    h("p", { text: "Si vous ne reconnaissez pas ce versement (soin que vous n'avez pas eu, montant ou compte inattendu), signalez-le : un conseiller de la mutuelle le vérifie et vous répond." }),
    open, form);
  open.addEventListener("click", () => {
    form.hidden = false;
    open.setAttribute("aria-expanded", "true");
    open.hidden = true;
    message.focus();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    error.replaceChildren();
    try {
      const dispute = await api(`/claims/${encodeURIComponent(claim.id)}/dispute`, {
        method: "POST", body: message.value.trim() ? { message: message.value.trim() } : {}, idempotencyKey: key,
      });
      const done = disputeDone(dispute);
      section.replaceChildren(section.firstChild, done);
      done.setAttribute("tabindex", "-1");
      done.focus();
    } catch (failure) {
      error.replaceChildren(h("p", { class: "ea-notice ea-notice--error", text: failure.message ?? "Le signalement n'a pas pu être envoyé. Réessayez dans un instant." }));
      submit.disabled = false;
    }
  });
  return section;
}

/** Opening the décompte is seeing the payment: « Nouveau » goes (once, whatever retries). */
async function markSeen(claim) {
  // Someone acting for her does not make her news read: she has not seen them.
  if (!claim.new || getActing()) return;
  try {
    await api("/claims/notices/seen", { method: "POST", body: { claim_ids: [claim.id] }, idempotencyKey: newIdempotencyKey() });
  } catch {
    // Still « Nouveau » in the list: she can mark it there.
  }
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
    estimateSection(claim),
    disputeSection(claim),
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
const shown = await page.load();
if (shown) markSeen(shown);

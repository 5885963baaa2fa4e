// A trop-perçu: which payment it corrects, why, how much, by when; and what she can do — pay
// it back by card (the provider's hosted page, as for contributions), ask for instalments, or
// contest it (both are requests to the advisors, followed in « Mes demandes »).

import { detailPage } from "../../../../components/detail-page.js";
import { facts } from "../../../../components/facts.js";
import { clearErrorsOnInput, clearFieldError, clearFormErrors, setFieldError, showApiError, showFormErrors } from "../../../../components/form.js";
import { memberPage } from "../../../../components/layout.js";
import { showError } from "../../../../components/states.js";
import { overpaymentBadge } from "../../../../components/overpayment-badge.js";
import { followPayment } from "../../../../components/payment-follow.js";
import { setupUploadField } from "../../../../components/upload-field.js";
import { getActing } from "../../../../lib/acting.js";
import { api } from "../../../../lib/api.js";
import { pagePath } from "../../../../lib/config.js";
import { byId, h } from "../../../../lib/dom.js";
import { dateLongFr, dateTimeFr, euros } from "../../../../lib/formats.js";
import { newIdempotencyKey } from "../../../../lib/idempotency.js";

const actions = byId("overpayment-actions");
const payButton = byId("overpayment-pay");
const payStatus = byId("overpayment-pay-status");
const payError = byId("overpayment-pay-error");
const instalmentsOpen = byId("instalments-open");
const instalmentsForm = byId("instalments-form");
const months = byId("instalments-months");
const estimate = byId("instalments-estimate");
const contestOpen = byId("contest-open");
const contestForm = byId("contest-form");
const contestMessage = byId("contest-message");
const contestFiles = byId("contest-files");
// One key per form for the page's life: a double click or a retry files one request.
const keys = { pay: newIdempotencyKey(), instalments: newIdempotencyKey(), contest: newIdempotencyKey() };

const NEXT = {
  due: "",
  paying: "Un paiement par carte est en cours pour ce trop-perçu. S'il n'a pas abouti, vous pourrez réessayer dans quelques minutes.",
  paid: "Ce trop-perçu est remboursé : vous ne devez plus rien à ce titre. Votre reçu est dans « Mes documents ».",
  settled: "La mutuelle a enregistré le remboursement de ce trop-perçu (par exemple retenu sur un remboursement suivant) : vous ne devez plus rien à ce titre.",
  instalments_requested: "Vous avez demandé un échéancier : un conseiller vous répond dans « Mes demandes ». Vous pouvez aussi rembourser par carte en une fois.",
  contested: "Vous avez contesté ce trop-perçu : un conseiller l'examine et vous répond dans « Mes demandes ». Rien ne vous est réclamé d'ici là.",
  cancelled: "La mutuelle a annulé ce trop-perçu : vous n'avez rien à rembourser.",
};

function card(id, title, ...content) {
  return h("section", { class: "ea-card", "aria-labelledby": id }, h("h2", { id, text: title }), ...content);
}

function render(op) {
  const claimLink = op.claim_id
    ? h("p", {}, h("a", { href: pagePath("espace/remboursements/decompte/", { id: op.claim_id }), "data-testid": "overpayment-claim-link", text: "Voir le décompte de ce remboursement" }))
    : null;
  const next = NEXT[op.status === "paid" && !op.paid_by_card ? "settled" : op.status];
  return [
    h("section", { class: "ea-card ea-detail__summary", "aria-labelledby": "overpayment-title" },
      h("h2", { id: "overpayment-title", text: `Trop-perçu de ${euros(op.amount_cents)}` }),
      h("p", { class: "ea-detail__status" }, overpaymentBadge(op)),
      facts([
        ["Reste à rembourser", euros(op.remaining_cents)],
        ["À rembourser avant le", op.status === "paid" || op.status === "cancelled" ? "" : dateLongFr(op.due_date)],
        ["Remboursé le", op.paid_on ? dateLongFr(op.paid_on) : ""],
        ["Référence", op.reference],
      ]),
      next ? h("p", { class: "ea-notice ea-notice--info", "data-testid": "overpayment-next", text: next }) : null,
      op.request_id ? h("p", {}, h("a", { href: pagePath("espace/demandes/detail/", { id: op.request_id }), text: "Suivre ma demande" })) : null),
    card("overpayment-which", "Le remboursement concerné",
      facts([
        ["Soin", op.care_label],
        ["Date des soins", op.care_date ? dateLongFr(op.care_date) : ""],
        ["Bénéficiaire", op.beneficiary_name],
        ["Versé par la mutuelle le", op.claim_payment_date ? dateLongFr(op.claim_payment_date) : ""],
        ["Montant versé alors", op.claim_paid_cents != null ? euros(op.claim_paid_cents) : ""],
        ["Sur le compte", op.bank_account_masked ?? ""],
      ]),
      claimLink),
    card("overpayment-why", "Pourquoi cette somme vous est demandée",
      h("p", { "data-testid": "overpayment-reason", text: op.reason }),
      h("p", { class: "ea-note", text: `Sur ce remboursement, la mutuelle vous a versé ${euros(op.amount_cents)} de plus que ce qui vous revenait.` + (op.can_contest ? " Cette somme doit lui être rendue ; si vous pensez qu'il y a une erreur, contestez-la ci-dessous." : "") })),
  ];
}

function showActions(op) {
  actions.hidden = !(op.can_pay || op.can_request_instalments || op.can_contest);
  // Someone acting for her never pays for her (as for contributions).
  payButton.closest(".ea-overpay-choice").hidden = !op.can_pay || Boolean(getActing());
  payButton.textContent = `Rembourser ${euros(op.remaining_cents)} par carte`;
  instalmentsOpen.closest(".ea-overpay-choice").hidden = !op.can_request_instalments;
  contestOpen.closest(".ea-overpay-choice").hidden = !op.can_contest;
  if (!months.options.length) {
    for (let n = 2; n <= 12; n += 1) months.append(h("option", { value: String(n), text: `${n} mois` }));
    months.value = "3";
  }
  updateEstimate(op);
}

function updateEstimate(op) {
  const count = Number(months.value) || 3;
  estimate.textContent = `Soit environ ${euros(Math.ceil(op.amount_cents / count))} par mois, à confirmer par le conseiller.`;
}

const page = detailPage({
  mount: "overpayment",
  status: "overpayment-status",
  error: "overpayment-error",
  path: (id) => `/claims/overpayments/${encodeURIComponent(id)}`,
  render: (op) => {
    showActions(op);
    return render(op);
  },
  title: (op) => `Trop-perçu ${op.reference}`,
  loading: "Chargement du trop-perçu…",
  loaded: "Trop-perçu affiché.",
  notFound: {
    missingId: "Ce trop-perçu est introuvable : le lien est incomplet. Retournez à vos remboursements pour l'ouvrir.",
    message: "Ce trop-perçu est introuvable. Il ne vous concerne peut-être pas, ou le lien est ancien.",
  },
});

function toggle(button, form, focus) {
  button.addEventListener("click", () => {
    const open = form.hidden;
    form.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) focus.focus();
  });
}

function filed(form, request, text) {
  const done = h("div", { class: "ea-notice ea-notice--success", tabindex: "-1", "data-testid": "overpayment-filed" },
    h("p", { text: `${text} (demande n° ${request.reference}, le ${dateTimeFr(request.created_at)}). Un conseiller vous répond dans « Mes demandes ».` }),
    h("p", {}, h("a", { href: pagePath("espace/demandes/detail/", { id: request.id }), text: "Suivre ma demande" })));
  form.replaceWith(done);
  done.focus();
  page.load();
}

// ---------------------------------------------------------------------------- card payment
payButton.addEventListener("click", async () => {
  const op = page.object;
  if (!op) return;
  payButton.disabled = true;
  payError.replaceChildren();
  payStatus.textContent = "Ouverture de la page de paiement sécurisée…";
  try {
    const payment = await api("/contract/payments", {
      method: "POST", body: { overpayment_id: op.id, amount_cents: op.remaining_cents }, idempotencyKey: keys.pay,
    });
    const target = new URL(payment?.checkout_url ?? "", location.href);
    if (!/^https?:$/.test(target.protocol)) throw new Error("checkout");
    location.assign(target.href);
  } catch (error) {
    payStatus.textContent = "";
    payButton.disabled = false;
    keys.pay = newIdempotencyKey();
    showError(payError, error.message ? error : { message: "La page de paiement n'a pas pu être ouverte. Réessayez dans un instant." });
    if (error?.status === 409) page.load();
  }
});

// ---------------------------------------------------------------------------- instalments
toggle(instalmentsOpen, instalmentsForm, months);
months.addEventListener("change", () => page.object && updateEstimate(page.object));
instalmentsForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const summary = byId("instalments-summary");
  const errorBox = byId("instalments-error");
  clearFormErrors(instalmentsForm, summary);
  errorBox.replaceChildren();
  const send = byId("instalments-send");
  send.disabled = true;
  try {
    const body = { months: Number(months.value) };
    const message = byId("instalments-message").value.trim();
    if (message) body.message = message;
    const request = await api(`/claims/overpayments/${encodeURIComponent(page.id)}/instalments`, { method: "POST", body, idempotencyKey: keys.instalments });
    instalmentsOpen.hidden = true;
    filed(instalmentsForm, request, `Votre demande d'échéancier en ${body.months} mois est envoyée`);
  } catch (error) {
    send.disabled = false;
    if (error.status !== 422) keys.instalments = newIdempotencyKey();
    showApiError({ error, summary, errorBox, fieldFor: (name) => (name === "months" ? months : null) });
  }
});

// ---------------------------------------------------------------------------- contest
toggle(contestOpen, contestForm, contestMessage);
clearErrorsOnInput(contestForm);
const uploads = setupUploadField({
  input: contestFiles, list: byId("contest-file-list"), hint: byId("contest-files-hint"),
  announce: (text) => { byId("contest-files-status").textContent = text; },
});
contestFiles.addEventListener("change", () => clearFieldError(contestFiles));
contestForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const summary = byId("contest-summary");
  const errorBox = byId("contest-error");
  clearFormErrors(contestForm, summary);
  errorBox.replaceChildren();
  const message = contestMessage.value.trim();
  const errors = [];
  if (!message) errors.push({ field: contestMessage, message: "Dites-nous pourquoi vous contestez ce trop-perçu." });
  for (const { message: why, focus } of uploads.errors()) errors.push({ field: contestFiles, message: why, focus });
  if (errors.length) {
    showFormErrors(summary, errors);
    return;
  }
  const send = byId("contest-send");
  send.disabled = true;
  try {
    if (uploads.busy()) await uploads.whenIdle();
    const request = await api(`/claims/overpayments/${encodeURIComponent(page.id)}/contest`, {
      method: "POST", body: { message, upload_ids: uploads.readyIds() }, idempotencyKey: keys.contest,
    });
    contestOpen.hidden = true;
    filed(contestForm, request, "Votre contestation est envoyée");
  } catch (error) {
    send.disabled = false;
    if (error.status !== 422) keys.contest = newIdempotencyKey();
    const marked = showApiError({ error, summary, errorBox: null, fieldFor: (name) => (name === "message" ? contestMessage : null) });
    if (!marked) showError(errorBox, error);
    else setFieldError(contestMessage, error.message);
  }
});

// Back from the provider's page, the browser may show this page from its cache: read again.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) {
    payButton.disabled = false;
    payStatus.textContent = "";
    page.load();
  }
});

await memberPage();
await page.load();
const paymentId = new URLSearchParams(location.search).get("paiement");
if (paymentId) {
  followPayment(paymentId, byId("overpayment-payment"), {
    onSettled: () => page.load(), notFound: "Nous ne trouvons pas ce paiement : la page ci-dessous dit ce qu'il reste à rembourser.",
  });
}

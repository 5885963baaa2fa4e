// « Demander un remboursement »: care details + supporting documents, a review step, then the
// request (one Idempotency-Key per content: a double click creates one request).

import { sectorLabel, setupCareFields } from "../../../components/care-fields.js";
import { facts } from "../../../components/facts.js";
import {
  clearErrorsOnInput,
  clearFieldError,
  clearFormErrors,
  showApiError,
  showFormErrors,
} from "../../../components/form.js";
import { memberPage } from "../../../components/layout.js";
import { showError } from "../../../components/states.js";
import { setupUploadField } from "../../../components/upload-field.js";
import { api } from "../../../lib/api.js";
import { pagePath } from "../../../lib/config.js";
import { focusAtTop, h } from "../../../lib/dom.js";
import { dateLongFr, euros } from "../../../lib/formats.js";
import { idempotencyKeeper } from "../../../lib/idempotency.js";
import { beneficiaryName, getMe } from "../../../lib/me.js";
import { requests } from "./sent.js";

const panel = document.getElementById("request-panel");
const form = document.getElementById("request-form");
const summary = document.getElementById("request-errors");
const review = document.getElementById("request-review");
const reviewBody = document.getElementById("request-summary");
const reviewError = document.getElementById("request-error");
const sendButton = document.getElementById("request-send");
const editButton = document.getElementById("request-edit");
const sendStatus = document.getElementById("request-send-status");
const success = document.getElementById("request-success");
const comment = document.getElementById("dem-comment");
const filesInput = document.getElementById("dem-files");
const filesStatus = document.getElementById("dem-files-status");
const nextButton = document.getElementById("request-next");
const formStatus = document.getElementById("request-status");

const care = setupCareFields("dem", { amountLabel: "le montant payé", allowFuture: false });
const uploads = setupUploadField({
  input: filesInput,
  list: document.getElementById("dem-file-list"),
  hint: document.getElementById("dem-files-hint"),
  announce: (text) => {
    filesStatus.textContent = text;
  },
});
const keys = idempotencyKeeper();
clearErrorsOnInput(form);
let me = null;
let pending = null; // {body, act, earlier} waiting for confirmation

/** Her requests already sent for the same care (person, care, date, amount). Only a warning:
 * when the check cannot be made, the review shows without it. */
async function sentBefore(body) {
  const { beneficiary_id, act_code, care_date, amount_cents } = body;
  try {
    return await api("/support/requests/reimbursement/duplicates", { method: "POST", body: { beneficiary_id, act_code, care_date, amount_cents } });
  } catch {
    return [];
  }
}

function duplicateWarning(earlier) {
  if (!earlier?.length) return null;
  return h("div", { class: "ea-notice ea-notice--info", "data-testid": "request-duplicate" },
    h("h3", { text: earlier.length > 1 ? "Vous avez déjà envoyé ce soin plusieurs fois" : "Vous avez déjà envoyé ce soin" }),
    h("p", { text: "Même bénéficiaire, même soin, même date et même montant\u00a0:" }),
    h("ul", {}, earlier.map((request) => h("li", {},
      h("a", { href: pagePath("espace/demandes/detail/", { id: request.id }), text: `demande n° ${request.reference}` }),
      ` du ${dateLongFr(request.created_at)}, statut «\u00a0${request.status_label}\u00a0»`))),
    h("p", { text: "Inutile de l'envoyer à nouveau\u00a0: une demande est traitée une seule fois. S'il s'agit d'un autre soin (par exemple une seconde séance le même jour), vous pouvez l'envoyer quand même." }));
}

function showReview({ body, act, earlier }) {
  sendButton.textContent = earlier?.length ? "Envoyer quand même" : "Envoyer ma demande";
  reviewBody.replaceChildren(
    duplicateWarning(earlier),
    facts([
      ["Bénéficiaire", beneficiaryName(me?.beneficiaries?.find((item) => item.id === body.beneficiary_id))],
      ["Soin", act.label],
      ["Date des soins", dateLongFr(body.care_date)],
      ["Montant payé", euros(body.amount_cents)],
      ["Professionnel de santé", body.practitioner ? sectorLabel(body.practitioner) : ""],
      ["Parcours de soins coordonnés", body.care_pathway === undefined ? "" : body.care_pathway ? "Oui" : "Non"],
      ["Affection de longue durée", body.ald_related ? "Soin lié à l'ALD" : ""],
      ["Accident du travail ou maladie professionnelle", body.work_accident ? "Oui" : ""],
      ["Renouvellement anticipé", body.sight_change ? "La vue a changé" : body.frame_misfit ? "La monture ne va plus à l'enfant" : ""],
      ["Message", body.comment ?? ""],
    ]),
    h("h3", { text: `Justificatifs (${uploads.entries.length})` }),
    h("ul", { class: "ea-plain-list" }, uploads.entries.map((entry) => h("li", { text: entry.file.name }))),
  );
  reviewError.replaceChildren();
  sendStatus.textContent = "";
  form.hidden = true;
  review.hidden = false;
  focusAtTop(review.querySelector("h2"));
}

function backToForm(focusTarget) {
  review.hidden = true;
  form.hidden = false;
  (focusTarget ?? document.getElementById("dem-beneficiary")).focus();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (nextButton.disabled) return;
  clearFormErrors(form, summary);
  if (uploads.busy()) {
    // Wait for the files still on their way rather than asking the member to click again.
    nextButton.disabled = true;
    formStatus.textContent = "Envoi de vos fichiers en cours : la vérification s'affichera dès qu'ils seront prêts…";
    await uploads.whenIdle();
    formStatus.textContent = "";
    nextButton.disabled = false;
  }
  const { values, errors, act } = care.read();
  const fileErrors = uploads.errors();
  if (!uploads.entries.length) {
    errors.push({ field: filesInput, message: "Joignez au moins un justificatif : facture, feuille de soins ou prescription." });
  }
  // Each file that cannot be sent is named, with its reason; its link leads to « Retirer ».
  for (const { message, focus } of fileErrors) errors.push({ field: filesInput, message, focus });
  if (errors.length) {
    showFormErrors(summary, errors);
    return;
  }
  const body = {
    beneficiary_id: values.beneficiary_id,
    act_code: values.act_code,
    care_date: values.care_date,
    amount_cents: values.amount_cents,
    upload_ids: uploads.readyIds(),
  };
  if (values.practitioner) body.practitioner = values.practitioner;
  if (values.care_pathway !== undefined) body.care_pathway = values.care_pathway;
  for (const flag of ["ald_related", "work_accident", "sight_change", "frame_misfit"]) {
    if (values[flag]) body[flag] = true;
  }
  if (comment.value.trim()) body.comment = comment.value.trim();
  nextButton.disabled = true;
  const earlier = await sentBefore(body);
  nextButton.disabled = false;
  pending = { body, act, earlier };
  showReview(pending);
});

filesInput.addEventListener("change", () => clearFieldError(filesInput));
editButton.addEventListener("click", () => backToForm());

sendButton.addEventListener("click", async () => {
  if (!pending || sendButton.disabled) return;
  sendButton.disabled = true;
  editButton.disabled = true;
  review.setAttribute("aria-busy", "true");
  reviewError.replaceChildren();
  sendStatus.textContent = "Envoi de votre demande…";
  try {
    const created = await api("/support/requests/reimbursement", {
      method: "POST",
      body: pending.body,
      idempotencyKey: keys.keyFor(pending.body),
    });
    showSuccess(created);
    requests.reload();
  } catch (error) {
    sendStatus.textContent = "";
    const fieldFor = (name) => (name.startsWith("upload") ? filesInput : name === "comment" ? comment : care.fieldFor(name));
    const onField = Object.keys(error.fields ?? {}).some((name) => fieldFor(name));
    if (onField) {
      backToForm(summary);
      showApiError({ error, summary, fieldFor });
      showError(summary.appendChild(h("div")), error);
    } else {
      showError(reviewError, error, error.retryable ? { onRetry: () => sendButton.click() } : {});
    }
  } finally {
    sendButton.disabled = false;
    editButton.disabled = false;
    review.removeAttribute("aria-busy");
  }
});

function showSuccess(created) {
  panel.hidden = true;
  success.replaceChildren(
    h("h2", { id: "request-success-title", text: "Votre demande est envoyée" }),
    h("p", { class: "ea-success__reference" }, "Numéro de votre demande : ",
      h("strong", { "data-testid": "request-reference", text: created.reference })),
    h("p", { text: `Notez ce numéro : il vous sera demandé si vous contactez votre conseiller. ${created.status_label ? `Statut : ${created.status_label.toLowerCase()}.` : ""} Son avancement s'affiche ci-dessous, dans « Mes demandes envoyées ».` }),
    h("p", { class: "ea-result__actions" },
      h("a", { class: "ea-button ea-button--primary", href: pagePath("espace/demandes/detail/", { id: created.id }), text: "Suivre ma demande" }),
      h("button", { type: "button", class: "ea-button ea-button--secondary", text: "Demander un autre remboursement", onclick: startOver }),
      h("a", { class: "ea-button ea-button--secondary", href: pagePath("espace/remboursements/"), text: "Retour à mes remboursements" })),
  );
  success.hidden = false;
  focusAtTop(success.querySelector("h2"));
}

function startOver() {
  pending = null;
  keys.reset();
  form.reset();
  care.reset();
  care.fill(me);
  uploads.reset();
  clearFormErrors(form, summary);
  success.hidden = true;
  success.replaceChildren();
  review.hidden = true;
  form.hidden = false;
  panel.hidden = false;
  document.getElementById("dem-beneficiary").focus();
}

await memberPage();
requests.reload();
try {
  me = await getMe();
  care.fill(me);
} catch (error) {
  showError(summary.parentElement.insertBefore(h("div", { role: "alert" }), summary), error, {
    onRetry: () => location.reload(),
    retryLabel: "Recharger la page",
  });
}

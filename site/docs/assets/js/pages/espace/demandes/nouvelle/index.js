// « Faire une autre demande »: a category, a subject, a message, optionally the person it is
// about, documents; then the acknowledgement number and what happens next. One
// Idempotency-Key per content: a double click sends one request.

import { fillBeneficiarySelect } from "../../../../components/beneficiary-select.js";
import { clearErrorsOnInput, clearFieldError, clearFormErrors, showApiError, showFormErrors } from "../../../../components/form.js";
import { memberPage } from "../../../../components/layout.js";
import { showError } from "../../../../components/states.js";
import { setupUploadField } from "../../../../components/upload-field.js";
import { api } from "../../../../lib/api.js";
import { pagePath } from "../../../../lib/config.js";
import { focusAtTop, h } from "../../../../lib/dom.js";
import { dateLongFr, plural } from "../../../../lib/formats.js";
import { idempotencyKeeper } from "../../../../lib/idempotency.js";
import { getMe } from "../../../../lib/me.js";
import { requestKinds } from "../../../../lib/request-kinds.js";

const KIND = "other";
const panel = document.getElementById("other-panel");
const form = document.getElementById("other-form");
const summary = document.getElementById("other-errors");
const loadError = document.getElementById("other-load-error");
const categoryField = document.getElementById("other-category");
const choices = document.getElementById("other-category-choices");
const complaintHint = document.getElementById("other-complaint-hint");
const subject = document.getElementById("other-subject");
const message = document.getElementById("other-message");
const counter = document.getElementById("other-message-count");
const beneficiary = document.getElementById("other-beneficiary");
const filesInput = document.getElementById("other-files");
const filesStatus = document.getElementById("other-files-status");
const errorBox = document.getElementById("other-error");
const sendButton = document.getElementById("other-send");
const status = document.getElementById("other-status");
const success = document.getElementById("other-success");

const uploads = setupUploadField({
  input: filesInput,
  list: document.getElementById("other-file-list"),
  hint: document.getElementById("other-files-hint"),
  announce: (text) => {
    filesStatus.textContent = text;
  },
});
const keys = idempotencyKeeper();
const wanted = new URLSearchParams(location.search).get("categorie") ?? "";

const chosenCategory = () => form.querySelector('input[name="category"]:checked')?.value ?? "";

function showCategories(kind) {
  choices.replaceChildren(
    ...kind.categories.map((category, index) =>
      h("div", { class: "ea-choice" },
        h("input", { type: "radio", name: "category", id: `other-category-${index}`, value: category.value, checked: category.value === wanted }),
        h("label", { for: `other-category-${index}`, text: category.label }))),
  );
  updateComplaintHint();
}

function updateComplaintHint() {
  complaintHint.hidden = chosenCategory() !== "complaint";
}

function updateCounter() {
  const left = Number(message.maxLength) - message.value.length;
  // Said only near the limit, so that screen readers are not told at every key press.
  counter.textContent = left <= 200 ? `Il vous reste ${plural(left, "caractère", "caractères")}.` : "";
}

function read() {
  const errors = [];
  const category = chosenCategory();
  const body = {
    category,
    subject: subject.value.trim(),
    message: message.value.trim(),
    upload_ids: uploads.readyIds(),
  };
  if (beneficiary.value) body.beneficiary_id = beneficiary.value;
  if (!category) errors.push({ field: categoryField, message: "Choisissez ce que concerne votre demande." });
  if (!body.subject) errors.push({ field: subject, message: "Indiquez l'objet de votre demande." });
  else if (body.subject.length < 3) errors.push({ field: subject, message: "L'objet doit faire au moins 3 caractères." });
  if (!body.message) errors.push({ field: message, message: "Écrivez votre message." });
  for (const { message: why, focus } of uploads.errors()) errors.push({ field: filesInput, message: why, focus });
  return { body, errors };
}

function fieldFor(name) {
  const key = String(name).split(/[.[]/)[0];
  return { category: categoryField, subject, message, beneficiary_id: beneficiary, upload_ids: filesInput }[key] ?? null;
}

function showSuccess(created) {
  panel.hidden = true;
  const link = pagePath("espace/demandes/detail/", { id: created.id });
  const complaint = created.deadlines;
  success.replaceChildren(
    h("h2", { id: "other-success-title", text: "Votre demande est envoyée" }),
    h("p", { class: "ea-success__reference" }, "Numéro de votre demande : ",
      h("strong", { "data-testid": "request-reference", text: created.reference })),
    h("p", { text: "Notez ce numéro : rappelez-le si vous contactez votre mutuelle à propos de cette demande." }),
    h("h3", { text: "Et maintenant ?" }),
    h("ol", { class: "ea-plain-list ea-next-steps" },
      h("li", { text: "Vous recevez un e-mail qui confirme l'envoi, avec ce numéro." }),
      h("li", {
        text: complaint
          ? `Un conseiller accuse réception de votre réclamation au plus tard le ${dateLongFr(complaint.acknowledge_by)}, et vous répond au plus tard le ${dateLongFr(complaint.answer_by)}.`
          : "Un conseiller prend en charge votre demande. S'il lui manque une information, il vous la demande : vous pourrez lui répondre depuis la page de la demande.",
      }),
      h("li", { text: "Chaque étape vous est signalée par e-mail, et la réponse s'affiche dans « Mes demandes »." })),
    h("p", { class: "ea-result__actions" },
      h("a", { class: "ea-button ea-button--primary", href: link, text: "Suivre ma demande" }),
      h("a", { class: "ea-button ea-button--secondary", href: pagePath("espace/demandes/"), text: "Toutes mes demandes" }),
      h("a", { class: "ea-button ea-button--secondary", href: pagePath("espace/remboursements/"), text: "Retour à mes remboursements" })),
  );
  success.hidden = false;
  focusAtTop(success.querySelector("h2"));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (sendButton.disabled) return;
  clearFormErrors(form, summary);
  errorBox.replaceChildren();
  sendButton.disabled = true;
  try {
    if (uploads.busy()) {
      // Wait for the files still on their way rather than asking the member to click again.
      status.textContent = "Envoi de vos fichiers en cours : votre demande partira dès qu'ils seront prêts…";
      await uploads.whenIdle();
    }
    const { body, errors } = read();
    if (errors.length) {
      status.textContent = "";
      showFormErrors(summary, errors);
      return;
    }
    form.setAttribute("aria-busy", "true");
    status.textContent = "Envoi de votre demande…";
    const created = await api(`/support/requests/${KIND}`, { method: "POST", body, idempotencyKey: keys.keyFor(body) });
    status.textContent = "";
    showSuccess(created);
  } catch (error) {
    status.textContent = "";
    showApiError({ error, summary, errorBox, fieldFor, onRetry: () => form.requestSubmit() });
  } finally {
    sendButton.disabled = false;
    form.removeAttribute("aria-busy");
  }
});

clearErrorsOnInput(form);
form.addEventListener("change", (event) => {
  if (event.target.name === "category") updateComplaintHint();
});
filesInput.addEventListener("change", () => clearFieldError(filesInput));
message.addEventListener("input", updateCounter);

await memberPage();
const [kinds, me] = await Promise.allSettled([requestKinds(), getMe()]);
if (kinds.status === "fulfilled" && kinds.value.find((kind) => kind.kind === KIND)) {
  showCategories(kinds.value.find((kind) => kind.kind === KIND));
} else {
  choices.replaceChildren();
  showError(loadError, kinds.reason ?? { message: "Les types de demande ne sont pas disponibles pour le moment. Rechargez la page dans quelques minutes." }, {
    onRetry: () => location.reload(),
    retryLabel: "Recharger la page",
  });
}
if (me.status === "fulfilled") fillBeneficiarySelect(beneficiary, me.value);

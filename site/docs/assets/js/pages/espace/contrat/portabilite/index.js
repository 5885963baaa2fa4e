// « Déclarer une portabilité »: first her end of employment, and the API says whether the
// cover continues and until when; only then the documents and the declaration, filed for an
// advisor. Changing an answer after the check asks for a new check.

import { clearErrorsOnInput, clearFieldError, clearFormErrors, showFormErrors } from "../../../../components/form.js";
import { memberPage } from "../../../../components/layout.js";
import { showError } from "../../../../components/states.js";
import { setupUploadField } from "../../../../components/upload-field.js";
import { api } from "../../../../lib/api.js";
import { pagePath } from "../../../../lib/config.js";
import { focusAtTop, h } from "../../../../lib/dom.js";
import { dateLongFr, isIsoDate, plural } from "../../../../lib/formats.js";
import { idempotencyKeeper } from "../../../../lib/idempotency.js";
import { showDocumentsAsked, showFiled, showRefusal } from "../../../../components/filed-request.js";

const $ = (id) => document.getElementById(id);
const checkForm = $("eligibility-form");
const checkSummary = $("eligibility-errors");
const checkError = $("eligibility-error");
const checkButton = $("eligibility-check");
const checkStatus = $("eligibility-status");
const verdictBox = $("eligibility-verdict");
const sendForm = $("portability-form");
const sendSummary = $("portability-errors");
const sendError = $("portability-error");
const sendButton = $("portability-send");
const sendStatus = $("portability-status");
const filesInput = $("port-files");
const message = $("port-message");
const fields = {
  employment_start: $("port-start"),
  employment_end: $("port-end"),
  reason: $("port-reason"),
  unemployment_benefit: $("port-benefit"),
};
const uploads = setupUploadField({
  input: filesInput,
  list: $("port-file-list"),
  hint: $("port-files-hint"),
  announce: (text) => {
    $("port-files-status").textContent = text;
  },
});
const keys = idempotencyKeeper();
clearErrorsOnInput(checkForm);
clearErrorsOnInput(sendForm);
filesInput.addEventListener("change", () => clearFieldError(filesInput));
let checked = null; // {situation, verdict} of the last check that said yes

function readSituation() {
  const errors = [];
  const benefit = checkForm.querySelector('input[name="unemployment_benefit"]:checked')?.value;
  const situation = {
    employment_start: fields.employment_start.value,
    employment_end: fields.employment_end.value,
    reason: fields.reason.value,
    unemployment_benefit: benefit === "yes",
  };
  for (const [name, label] of [["employment_start", "le début"], ["employment_end", "la fin"]]) {
    if (!situation[name]) errors.push({ field: fields[name], message: `Indiquez ${label} de votre contrat de travail.` });
    else if (!isIsoDate(situation[name])) errors.push({ field: fields[name], message: "Cette date n'existe pas : vérifiez le jour et le mois." });
  }
  if (isIsoDate(situation.employment_start) && isIsoDate(situation.employment_end) && situation.employment_end < situation.employment_start) {
    errors.push({ field: fields.employment_end, message: "La fin du contrat de travail ne peut pas précéder son début." });
  }
  if (!situation.reason) errors.push({ field: fields.reason, message: "Choisissez le motif de la fin de votre contrat." });
  if (!benefit) errors.push({ field: fields.unemployment_benefit, message: "Dites si vous avez droit à l'allocation chômage." });
  return { situation, errors };
}

function renderVerdict(verdict) {
  const reasons = verdict.reasons ?? [];
  const title = verdict.eligible
    ? `Vous avez droit à la portabilité jusqu'au ${dateLongFr(verdict.until)}`
    : "Vous n'avez pas droit à la portabilité";
  const heading = h("h2", { id: "eligibility-title", tabindex: "-1", text: title });
  verdictBox.className = `ea-verdict ea-notice ea-notice--${verdict.eligible ? "success" : "info"}`;
  verdictBox.setAttribute("aria-labelledby", heading.id);
  verdictBox.replaceChildren(
    heading,
    verdict.eligible && verdict.months
      ? h("p", { text: `Soit ${plural(verdict.months, "mois", "mois")} de couverture sans cotisation à partir de la fin de votre contrat de travail, si vous gardez l'allocation chômage.` })
      : null,
    reasons.length ? h("ul", { class: "ea-plain-list" }, reasons.map((text) => h("li", { text }))) : null,
    verdict.eligible
      ? h("p", { text: "Envoyez maintenant votre déclaration avec vos justificatifs : un conseiller l'enregistre." })
      : h("p", {}, "Une question sur votre situation ? ", h("a", { href: pagePath("espace/contact/"), text: "Écrivez à un conseiller" }), "."),
  );
  verdictBox.hidden = false;
  sendForm.hidden = !verdict.eligible;
  focusAtTop(heading);
}

/** A changed answer makes the verdict stale: hide it and the declaration until checked again. */
function forgetVerdict() {
  if (verdictBox.hidden) return;
  checked = null;
  verdictBox.hidden = true;
  verdictBox.replaceChildren();
  sendForm.hidden = true;
  checkStatus.textContent = "Vos réponses ont changé : vérifiez à nouveau vos droits.";
}
checkForm.addEventListener("input", forgetVerdict);
checkForm.addEventListener("change", forgetVerdict);

const checkFieldFor = (name) => fields[name] ?? null;

checkForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (checkButton.disabled) return;
  clearFormErrors(checkForm, checkSummary);
  checkError.replaceChildren();
  const { situation, errors } = readSituation();
  if (errors.length) {
    checkStatus.textContent = "";
    showFormErrors(checkSummary, errors);
    return;
  }
  checkButton.disabled = true;
  checkForm.setAttribute("aria-busy", "true");
  checkStatus.textContent = "Vérification de vos droits…";
  try {
    const verdict = await api("/contract/portability/eligibility", { method: "POST", body: situation });
    checkStatus.textContent = "";
    checked = verdict.eligible ? { situation, verdict } : null;
    renderVerdict(verdict);
  } catch (error) {
    checkStatus.textContent = "";
    showRefusal({ error, summary: checkSummary, errorBox: checkError, fieldFor: checkFieldFor, onRetry: () => checkForm.requestSubmit() });
  } finally {
    checkButton.disabled = false;
    checkForm.removeAttribute("aria-busy");
  }
});

sendForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (sendButton.disabled || !checked) return;
  clearFormErrors(sendForm, sendSummary);
  sendError.replaceChildren();
  sendButton.disabled = true;
  try {
    if (uploads.busy()) {
      sendStatus.textContent = "Envoi de vos fichiers en cours : votre déclaration partira dès qu'ils seront prêts…";
      await uploads.whenIdle();
    }
    const errors = [];
    if (!uploads.entries.length) errors.push({ field: filesInput, message: "Joignez votre attestation de fin de contrat de travail et celle de France Travail." });
    for (const { message: text, focus } of uploads.errors()) errors.push({ field: filesInput, message: text, focus });
    if (errors.length) {
      sendStatus.textContent = "";
      showFormErrors(sendSummary, errors);
      return;
    }
    const body = { ...checked.situation, upload_ids: uploads.readyIds() };
    if (message.value.trim()) body.message = message.value.trim();
    sendForm.setAttribute("aria-busy", "true");
    sendStatus.textContent = "Envoi de votre déclaration…";
    const created = await api("/contract/portability", { method: "POST", body, idempotencyKey: keys.keyFor(body) });
    sendStatus.textContent = "";
    showFiled({
      panel: $("portability-panel"),
      success: $("portability-success"),
      created,
      title: "Votre déclaration de portabilité est envoyée",
      next: [
        `Un conseiller l'enregistre : votre couverture continue, sans cotisation, jusqu'au ${dateLongFr(checked.verdict.until)} au plus tard. Prévenez-nous si vous retrouvez un emploi ou si votre allocation chômage s'arrête.`,
      ],
    });
  } catch (error) {
    sendStatus.textContent = "";
    const fieldFor = (name) => (name.startsWith("upload") ? filesInput : name === "message" ? message : null);
    showRefusal({ error, summary: sendSummary, errorBox: sendError, fieldFor, onRetry: () => sendForm.requestSubmit() });
  } finally {
    sendButton.disabled = false;
    sendForm.removeAttribute("aria-busy");
  }
});

await memberPage();
showDocumentsAsked("portability", sendForm.querySelector("[data-kind-documents]"));
try {
  const contract = await api("/contract");
  if (!contract.collective) {
    $("portability-individual").replaceChildren(h("div", { class: "ea-notice ea-notice--info" },
      h("p", { text: "Votre contrat est individuel : la portabilité concerne les contrats souscrits par un employeur. Votre couverture ne dépend pas de votre emploi et continue comme avant." }),
      h("p", {}, h("a", { href: pagePath("espace/contrat/"), text: "Retour à mon contrat" }))));
    checkForm.hidden = true;
  }
} catch (error) {
  showError(checkError, error, { onRetry: () => location.reload(), retryLabel: "Recharger la page" });
}

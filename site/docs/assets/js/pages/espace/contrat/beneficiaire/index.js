// « Ajouter un bénéficiaire »: who to cover, with the documents the request kind asks for; the
// request is filed for an advisor (one Idempotency-Key per content: a double click files one).

import { clearErrorsOnInput, clearFieldError, clearFormErrors, showFormErrors } from "../../../../components/form.js";
import { memberPage } from "../../../../components/layout.js";
import { setupUploadField } from "../../../../components/upload-field.js";
import { api } from "../../../../lib/api.js";
import { de, isIsoDate, todayIso } from "../../../../lib/formats.js";
import { idempotencyKeeper } from "../../../../lib/idempotency.js";
import { showDocumentsAsked, showFiled, showRefusal } from "../../../../components/filed-request.js";

const $ = (id) => document.getElementById(id);
const form = $("beneficiary-form");
const summary = $("beneficiary-errors");
const errorBox = $("beneficiary-error");
const sendButton = $("beneficiary-send");
const status = $("beneficiary-status");
const filesInput = $("ben-files");
const fields = {
  first_name: $("ben-first-name"),
  last_name: $("ben-last-name"),
  birth_date: $("ben-birth-date"),
  relationship: $("ben-relationship"),
  nir: $("ben-nir"),
  regime: $("ben-regime"),
  message: $("ben-message"),
};
const uploads = setupUploadField({
  input: filesInput,
  list: $("ben-file-list"),
  hint: $("ben-files-hint"),
  announce: (text) => {
    $("ben-files-status").textContent = text;
  },
});
const keys = idempotencyKeeper();
let minDocuments = 1;
clearErrorsOnInput(form);
filesInput.addEventListener("change", () => clearFieldError(filesInput));
fields.birth_date.max = todayIso();

const checked = (name) => form.querySelector(`input[name="${name}"]:checked`)?.value ?? "";

/** The body to send and the errors to show, from what she typed. */
function read() {
  const errors = [];
  const value = (name) => fields[name].value.trim();
  const body = {
    first_name: value("first_name"),
    last_name: value("last_name"),
    birth_date: fields.birth_date.value,
    relationship: checked("relationship"),
    regime: checked("regime") || "general",
    upload_ids: uploads.readyIds(),
  };
  const nir = value("nir").replace(/[\s.-]/g, "").toUpperCase();
  if (nir) body.nir = nir;
  if (value("message")) body.message = value("message");

  if (!body.first_name) errors.push({ field: fields.first_name, message: "Indiquez le prénom de la personne." });
  if (!body.last_name) errors.push({ field: fields.last_name, message: "Indiquez le nom de la personne." });
  if (!body.birth_date) errors.push({ field: fields.birth_date, message: "Indiquez sa date de naissance." });
  else if (!isIsoDate(body.birth_date)) errors.push({ field: fields.birth_date, message: "Cette date de naissance n'existe pas : vérifiez le jour et le mois." });
  else if (body.birth_date > todayIso()) errors.push({ field: fields.birth_date, message: "La date de naissance ne peut pas être dans le futur." });
  if (!body.relationship) errors.push({ field: fields.relationship, message: "Choisissez son lien avec vous." });
  if (nir && !/^\d{5}(\d{2}|2A|2B)\d{8}$/.test(nir)) {
    errors.push({ field: fields.nir, message: "Le numéro de sécurité sociale compte 15 caractères, clé comprise (par exemple 2 87 04 75 123 456 78). Vérifiez-le, ou laissez ce champ vide." });
  }
  if (uploads.entries.length < minDocuments) {
    errors.push({ field: filesInput, message: "Joignez au moins un justificatif : l'attestation de droits de la personne, et pour un enfant son acte de naissance ou le livret de famille." });
  }
  for (const { message, focus } of uploads.errors()) errors.push({ field: filesInput, message, focus });
  return { body, errors };
}

function fieldFor(name) {
  if (name.startsWith("upload")) return filesInput;
  return fields[name] ?? null;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (sendButton.disabled) return;
  clearFormErrors(form, summary);
  errorBox.replaceChildren();
  if (uploads.busy()) {
    sendButton.disabled = true;
    status.textContent = "Envoi de vos fichiers en cours : votre demande partira dès qu'ils seront prêts…";
    await uploads.whenIdle();
    sendButton.disabled = false;
  }
  const { body, errors } = read();
  if (errors.length) {
    status.textContent = "";
    showFormErrors(summary, errors);
    return;
  }
  sendButton.disabled = true;
  form.setAttribute("aria-busy", "true");
  status.textContent = "Envoi de votre demande…";
  try {
    const created = await api("/contract/beneficiaries", { method: "POST", body, idempotencyKey: keys.keyFor(body) });
    status.textContent = "";
    showFiled({
      panel: $("beneficiary-panel"),
      success: $("beneficiary-success"),
      created,
      next: [
        `Un conseiller vérifie votre demande d'ajout ${de(body.first_name)} ${body.last_name}. Vous suivez son avancement dans « Mes demandes » ; une fois la demande acceptée, ${body.first_name} figurera sur votre carte mutualiste.`,
      ],
    });
  } catch (error) {
    status.textContent = "";
    showRefusal({ error, summary, errorBox, fieldFor, onRetry: () => form.requestSubmit() });
  } finally {
    sendButton.disabled = false;
    form.removeAttribute("aria-busy");
  }
});

await memberPage();
const kind = await showDocumentsAsked("beneficiary_add", form.querySelector("[data-kind-documents]"));
if (kind?.min_documents !== undefined) minDocuments = Math.max(kind.min_documents, 1);

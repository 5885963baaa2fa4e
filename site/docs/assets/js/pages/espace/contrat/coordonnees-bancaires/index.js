// « Changer de coordonnées bancaires »: the account for the contributions or for one
// beneficiary's reimbursements. The IBAN is checked as she types (bank's name, masked form),
// the RIB is attached, her password is asked again; the request waits for an advisor and an
// email goes at once to her address on file.

import { clearErrorsOnInput, clearFieldError, clearFormErrors, showFormErrors } from "../../../../components/form.js";
import { memberPage } from "../../../../components/layout.js";
import { showError } from "../../../../components/states.js";
import { setupUploadField } from "../../../../components/upload-field.js";
import { api } from "../../../../lib/api.js";
import { h } from "../../../../lib/dom.js";
import { idempotencyKeeper } from "../../../../lib/idempotency.js";
import { getMe } from "../../../../lib/me.js";
import { showDocumentsAsked, showFiled, showRefusal } from "../../../../components/filed-request.js";
import { de } from "../../../../lib/formats.js";

const $ = (id) => document.getElementById(id);
const form = $("bank-form");
const summary = $("bank-errors");
const errorBox = $("bank-error");
const sendButton = $("bank-send");
const status = $("bank-status");
const targetField = $("bank-target");
const targets = $("bank-targets");
const current = $("bank-current");
const ibanInput = $("bank-iban");
const ibanCheck = $("bank-iban-check");
const holderInput = $("bank-holder");
const passwordInput = $("bank-password");
const toggle = $("bank-password-toggle");
const filesInput = $("bank-files");
const MAX_RIB_FILES = 3; // what POST /contract/bank-details takes
const uploads = setupUploadField({
  input: filesInput,
  list: $("bank-file-list"),
  hint: $("bank-files-hint"),
  maxFiles: MAX_RIB_FILES,
  announce: (text) => {
    $("bank-files-status").textContent = text;
  },
});
const keys = idempotencyKeeper();
clearErrorsOnInput(form);
filesInput.addEventListener("change", () => clearFieldError(filesInput));
let contract = null;

// ---- Who the account is for ------------------------------------------------------------

/** Each choice: {value, label, current (masked account), what (for sentences)}. */
function choicesOf(data) {
  return [
    { value: "contribution", label: "Prélever mes cotisations", current: data.contribution_account, what: "vos cotisations" },
    ...(data.beneficiaries ?? []).map((person) => ({
      value: `benefit:${person.id}`,
      label: `Recevoir les remboursements ${de(person.name)}`,
      current: person.benefit_account,
      what: `les remboursements ${de(person.name)}`,
    })),
  ];
}

function selected() {
  const value = form.querySelector('input[name="bank-target"]:checked')?.value ?? "";
  return choicesOf(contract ?? {}).find((choice) => choice.value === value) ?? null;
}

function showCurrent() {
  const choice = selected();
  current.textContent = choice
    ? choice.current ? `Compte actuel pour ${choice.what} : ${choice.current}.` : `Aucun compte enregistré aujourd'hui pour ${choice.what}.`
    : "";
}

function fillTargets(data) {
  const params = new URLSearchParams(location.search);
  const wanted = params.get("pour") === "cotisations" ? "contribution" : params.get("beneficiaire") ? `benefit:${params.get("beneficiaire")}` : "";
  targets.replaceChildren(...choicesOf(data).map((choice, index) => {
    const id = `bank-target-${index}`;
    return h("div", { class: "ea-choice" },
      h("input", { type: "radio", name: "bank-target", id, value: choice.value, checked: choice.value === wanted }),
      h("label", { for: id, text: choice.label }));
  }));
  showCurrent();
}

targets.addEventListener("change", showCurrent);

// ---- The IBAN, checked as she types -------------------------------------------------------

const normalise = (text) => String(text).replace(/[\s-]/g, "").toUpperCase();
let lastCheck = { iban: "", result: null, promise: null };
let timer = null;
let controller = null;

function showCheck(result) {
  ibanCheck.className = "ea-iban-check";
  if (!result) {
    ibanCheck.replaceChildren();
    return;
  }
  ibanCheck.classList.add(result.valid ? "ea-iban-check--valid" : "ea-iban-check--invalid");
  ibanCheck.replaceChildren(result.valid
    ? h("p", {}, `IBAN valide${result.bank_name ? ` : ${result.bank_name}` : ""} — `,
        h("span", { class: "ea-account-number", text: result.masked ?? "" }))
    : h("p", { text: result.message }));
}

/** The API's verdict on `iban` (the last one asked is reused). */
function checkIban(iban) {
  if (lastCheck.iban === iban && lastCheck.promise) return lastCheck.promise;
  controller?.abort();
  controller = new AbortController();
  const promise = api("/contract/iban-checks", { method: "POST", body: { iban }, signal: controller.signal }).then((result) => {
    if (lastCheck.promise === promise) lastCheck.result = result;
    return result;
  });
  lastCheck = { iban, result: null, promise };
  promise.catch(() => {
    if (lastCheck.promise === promise) lastCheck = { iban: "", result: null, promise: null };
  });
  return promise;
}

ibanInput.addEventListener("input", () => {
  clearTimeout(timer);
  const iban = normalise(ibanInput.value);
  if (iban.length < 15) {
    controller?.abort();
    showCheck(null);
    return;
  }
  timer = setTimeout(async () => {
    ibanCheck.className = "ea-iban-check";
    ibanCheck.textContent = "Vérification de l'IBAN…";
    try {
      const result = await checkIban(iban);
      if (normalise(ibanInput.value) === iban) showCheck(result);
    } catch (error) {
      if (error?.name !== "AbortError") ibanCheck.textContent = "";
    }
  }, 450);
});

// Groups of four, as on a RIB, once she leaves the field.
ibanInput.addEventListener("blur", () => {
  const iban = normalise(ibanInput.value);
  if (iban) ibanInput.value = iban.replace(/(.{4})(?=.)/g, "$1 ");
});

toggle.addEventListener("click", () => {
  const show = passwordInput.type === "password";
  passwordInput.type = show ? "text" : "password";
  toggle.querySelector("[data-label]").textContent = show ? "Masquer" : "Afficher";
});

// ---- Sending ------------------------------------------------------------------------------

async function read() {
  const errors = [];
  const choice = selected();
  const iban = normalise(ibanInput.value);
  const holder = holderInput.value.trim().replace(/\s+/g, " ");
  if (!choice) errors.push({ field: targetField, message: "Choisissez à quoi servira ce compte : vos cotisations ou les remboursements d'un bénéficiaire." });
  let check = null;
  if (!iban) errors.push({ field: ibanInput, message: "Saisissez l'IBAN du nouveau compte, tel qu'il figure sur le RIB." });
  else {
    try {
      check = await checkIban(iban);
      // A wrong IBAN is said once, as the field's error; a right one keeps its bank's name.
      showCheck(check.valid ? check : null);
      if (!check.valid) errors.push({ field: ibanInput, message: check.message });
    } catch {
      // The server checks the IBAN again when the request is sent.
    }
  }
  if (!holder) errors.push({ field: holderInput, message: "Indiquez le titulaire du compte, comme sur le RIB." });
  if (!uploads.entries.length) errors.push({ field: filesInput, message: "Joignez le RIB du nouveau compte (photo ou PDF)." });
  for (const { message, focus } of uploads.errors()) errors.push({ field: filesInput, message, focus });
  if (!passwordInput.value) errors.push({ field: passwordInput, message: "Saisissez votre mot de passe pour confirmer ce changement." });
  const [target, beneficiaryId] = (choice?.value ?? "").split(":");
  const body = { target, iban, holder, password: passwordInput.value, upload_ids: uploads.readyIds() };
  if (beneficiaryId) body.beneficiary_id = beneficiaryId;
  return { body, errors, choice, check };
}

function fieldFor(name) {
  return { target: targetField, beneficiary_id: targetField, iban: ibanInput, holder: holderInput, password: passwordInput }[name]
    ?? (name.startsWith("upload") ? filesInput : null);
}

async function success(created, { body, choice, check }) {
  let email = "";
  try {
    email = (await getMe())?.email ?? "";
  } catch {
    // The sentence below names no address then.
  }
  showFiled({
    panel: $("bank-panel"),
    success: $("bank-success"),
    created,
    next: [
      h("p", { "data-testid": "bank-new-account" }, "Nouveau compte pour ", choice.what, " : ",
        h("span", { class: "ea-account-number", text: check?.masked ?? "" }),
        check?.bank_name ? ` (${check.bank_name})` : "", `, au nom de ${body.holder}.`),
      `Un e-mail de confirmation vient d'être envoyé à ${email ? `votre adresse ${email}` : "votre adresse e-mail"}. Un conseiller vérifie le RIB avant d'appliquer le changement ; d'ici là, ${choice.what} restent sur le compte actuel.`,
      "Si vous n'êtes pas à l'origine de cette demande, appelez-nous sans attendre et changez votre mot de passe.",
    ],
  });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (sendButton.disabled) return;
  clearFormErrors(form, summary);
  errorBox.replaceChildren();
  sendButton.disabled = true;
  try {
    if (uploads.busy()) {
      status.textContent = "Envoi de votre RIB en cours : votre demande partira dès qu'il sera prêt…";
      await uploads.whenIdle();
    }
    const filled = await read();
    if (filled.errors.length) {
      status.textContent = "";
      showFormErrors(summary, filled.errors);
      return;
    }
    form.setAttribute("aria-busy", "true");
    status.textContent = "Envoi de votre demande…";
    const created = await api("/contract/bank-details", { method: "POST", body: filled.body, idempotencyKey: keys.keyFor(filled.body) });
    status.textContent = "";
    passwordInput.value = "";
    await success(created, filled);
  } catch (error) {
    status.textContent = "";
    if (error.fields?.password) passwordInput.value = "";
    if (error.fields?.iban) showCheck(null);
    showRefusal({ error, summary, errorBox, fieldFor, onRetry: () => form.requestSubmit() });
  } finally {
    sendButton.disabled = false;
    form.removeAttribute("aria-busy");
  }
});

await memberPage();
showDocumentsAsked("bank_details", form.querySelector("[data-kind-documents]"));
try {
  contract = await api("/contract");
  fillTargets(contract);
} catch (error) {
  targets.replaceChildren();
  showError(errorBox, error, { onRetry: () => location.reload(), retryLabel: "Recharger la page" });
}

// Her email address: a new one gets a code by email; typing the code confirms it (then she
// signs in with it, and the old address is told). A change left waiting shows its code step.

import { facts } from "../../../components/facts.js";
import { codeErrors, codeOf, formStep } from "../../../components/code-steps.js";
import { clearFormErrors } from "../../../components/form.js";
import { showNotice } from "../../../components/states.js";
import { api } from "../../../lib/api.js";
import { h } from "../../../lib/dom.js";
import { dateTimeFr } from "../../../lib/formats.js";
import { idempotencyKeeper } from "../../../lib/idempotency.js";
import { onProfile, setProfile } from "./profile.js";

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const view = document.getElementById("email-view");
const edit = document.getElementById("email-edit");
const notice = document.getElementById("email-notice");
const form = document.getElementById("email-form");
const summary = document.getElementById("email-errors");
const input = document.getElementById("email-new");
const password = document.getElementById("email-password");
const formError = document.getElementById("email-error");
const formStatus = document.getElementById("email-status");
const send = document.getElementById("email-send");
const codeForm = document.getElementById("email-code-form");
const codeSummary = document.getElementById("email-code-errors");
const intro = document.getElementById("email-code-intro");
const code = document.getElementById("email-code");
const codeError = document.getElementById("email-code-error");
const codeStatus = document.getElementById("email-code-status");
const confirm = document.getElementById("email-confirm");
const keys = idempotencyKeeper();
let pending = null;

function render(profile) {
  view.replaceChildren(facts([["Adresse de connexion", profile.email]]));
  pending = profile.pending_email;
  if (pending && codeForm.hidden && form.hidden) showCodeStep(false);
  edit.hidden = !form.hidden || !codeForm.hidden;
}

function showCodeStep(focus = true) {
  intro.replaceChildren(
    "Nous avons envoyé un code à ",
    h("strong", { text: pending.email }),
    `. Saisissez-le pour confirmer cette adresse (il est valable jusqu'au ${dateTimeFr(pending.expires_at)}).`,
  );
  code.value = "";
  clearFormErrors(codeForm, codeSummary);
  codeError.replaceChildren();
  form.hidden = true;
  codeForm.hidden = false;
  edit.hidden = true;
  if (focus) code.focus();
}

function openForm(prefill = "") {
  input.value = prefill;
  password.value = "";
  clearFormErrors(form, summary);
  formError.replaceChildren();
  notice.replaceChildren();
  codeForm.hidden = true;
  form.hidden = false;
  edit.hidden = true;
  input.focus();
}

export function setupEmail() {
  onProfile(render);
  edit.addEventListener("click", () => openForm());
  document.getElementById("email-cancel").addEventListener("click", () => {
    form.hidden = true;
    edit.hidden = false;
    edit.focus();
  });
  document.getElementById("email-restart").addEventListener("click", () => openForm(pending?.email ?? ""));

  formStep({
    form,
    summary,
    errorBox: formError,
    button: send,
    status: formStatus,
    busy: "Envoi du code…",
    validate: () => {
      const errors = [];
      if (!EMAIL_PATTERN.test(input.value.trim())) {
        errors.push({ field: input, message: "Saisissez une adresse e-mail complète, par exemple nom@exemple.fr." });
      }
      if (!password.value) errors.push({ field: password, message: "Saisissez votre mot de passe pour confirmer ce changement." });
      return errors;
    },
    send: () => {
      const body = { email: input.value.trim(), password: password.value };
      return api("/members/email-changes", { method: "POST", body, idempotencyKey: keys.keyFor(body) });
    },
    done: (answer) => {
      pending = answer;
      keys.reset();
      password.value = "";
      showCodeStep();
    },
    failed: (error) => {
      if (error.fields?.password) password.value = "";
    },
    fieldFor: (name) => ({ email: input, password })[name] ?? null,
  });

  formStep({
    form: codeForm,
    summary: codeSummary,
    errorBox: codeError,
    button: confirm,
    status: codeStatus,
    busy: "Vérification du code…",
    validate: () => codeErrors(code),
    send: () => api("/members/email-changes/confirm", { method: "POST", body: { code: codeOf(code.value) } }),
    done: (profile) => {
      codeForm.hidden = true;
      pending = null;
      setProfile(profile);
      showNotice(
        notice,
        `Votre adresse e-mail est changée : connectez-vous désormais avec ${profile.email}. Nous avons prévenu votre ancienne adresse.`,
        { focus: true },
      );
    },
    fieldFor: (name) => (name === "code" ? code : null),
    boxFor: () => true,
  });
}

// « Mot de passe oublié »: her sign-in address, then the code we sent there and a new
// password. The first answer is the same whether the address has an account or not.

import { clearErrorsOnInput, clearFormErrors, showApiError, showFormErrors } from "../../../components/form.js";
import { showError } from "../../../components/states.js";
import { h } from "../../../lib/dom.js";
import { idempotencyKeeper } from "../../../lib/idempotency.js";
import { publicApi } from "../../../lib/http.js";

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const MIN_LENGTH = 12;
const requestForm = document.getElementById("reset-request-form");
const requestSummary = document.getElementById("reset-request-errors");
const email = document.getElementById("reset-email");
const requestError = document.getElementById("reset-request-error");
const requestSend = document.getElementById("reset-request-send");
const form = document.getElementById("reset-form");
const summary = document.getElementById("reset-errors");
const sent = document.getElementById("reset-sent");
const code = document.getElementById("reset-code");
const fresh = document.getElementById("reset-password");
const again = document.getElementById("reset-password-confirm");
const errorBox = document.getElementById("reset-error");
const save = document.getElementById("reset-save");
const status = document.getElementById("reset-status");
const done = document.getElementById("reset-done");
const keys = idempotencyKeeper();

function busy(button, on, text = "") {
  button.disabled = on;
  status.textContent = text;
}

requestForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (requestSend.disabled) return;
  clearFormErrors(requestForm, requestSummary);
  requestError.replaceChildren();
  const address = email.value.trim();
  if (!EMAIL_PATTERN.test(address)) {
    showFormErrors(requestSummary, [{ field: email, message: "Saisissez une adresse e-mail complète, par exemple nom@exemple.fr." }]);
    return;
  }
  busy(requestSend, true, "Envoi du code…");
  try {
    const body = { email: address };
    const answer = await publicApi("/public/password-resets", { method: "POST", body, idempotencyKey: keys.keyFor(body) });
    keys.reset();
    sent.replaceChildren(h("p", { text: answer.message }));
    requestForm.hidden = true;
    form.hidden = false;
    code.focus();
  } catch (error) {
    const marked = showApiError({ error, summary: requestSummary, fieldFor: (name) => (name === "email" ? email : null) });
    if (!marked) showError(requestError, error);
  } finally {
    busy(requestSend, false);
  }
});

document.getElementById("reset-again").addEventListener("click", () => {
  form.hidden = true;
  requestForm.hidden = false;
  email.focus();
});

function validate() {
  const errors = [];
  if (!/^\d{6}$/.test(code.value.replace(/[\s-]/g, ""))) errors.push({ field: code, message: "Le code reçu par e-mail compte 6 chiffres." });
  if (fresh.value.length < MIN_LENGTH) errors.push({ field: fresh, message: `Le mot de passe doit compter ${MIN_LENGTH} caractères au moins.` });
  if (again.value !== fresh.value) errors.push({ field: again, message: "Les deux saisies du mot de passe sont différentes." });
  return errors;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (save.disabled) return;
  clearFormErrors(form, summary);
  errorBox.replaceChildren();
  const errors = validate();
  if (errors.length) {
    showFormErrors(summary, errors);
    return;
  }
  busy(save, true, "Enregistrement du nouveau mot de passe…");
  try {
    const answer = await publicApi("/public/password-resets/confirm", {
      method: "POST",
      body: {
        email: email.value.trim(),
        code: code.value.replace(/[\s-]/g, ""),
        new_password: fresh.value,
      },
    });
    form.hidden = true;
    done.hidden = false;
    done.querySelector("[data-message]").textContent = answer.message;
    done.querySelector("h2").focus();
  } catch (error) {
    const fieldFor = (name) => ({ code, new_password: fresh })[name] ?? null;
    const marked = showApiError({ error, summary, fieldFor });
    if (!marked || error.status !== 400) showError(errorBox, error);
  } finally {
    busy(save, false);
  }
});

clearErrorsOnInput(requestForm);
clearErrorsOnInput(form);
requestSend.disabled = false;

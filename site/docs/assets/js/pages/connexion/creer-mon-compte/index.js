// « Je n'ai pas encore de compte »: her member number, birth date and the email on file, then
// the code we sent there and her password; the account made, she is signed in. The first
// answer never says which part did not match.

import { clearErrorsOnInput, clearFormErrors, showApiError, showFormErrors } from "../../../components/form.js";
import { showError } from "../../../components/states.js";
import { h } from "../../../lib/dom.js";
import { idempotencyKeeper } from "../../../lib/idempotency.js";
import { publicApi } from "../../../lib/http.js";
import { afterLoginPath, login, roleOf } from "../../../lib/session.js";

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const MIN_LENGTH = 12;
const startForm = document.getElementById("signup-form");
const startSummary = document.getElementById("signup-errors");
const number = document.getElementById("signup-number");
const birth = document.getElementById("signup-birth");
const email = document.getElementById("signup-email");
const startError = document.getElementById("signup-error");
const startSend = document.getElementById("signup-send");
const form = document.getElementById("signup-code-form");
const summary = document.getElementById("signup-code-errors");
const sent = document.getElementById("signup-sent");
const code = document.getElementById("signup-code");
const password = document.getElementById("signup-password");
const again = document.getElementById("signup-password-confirm");
const errorBox = document.getElementById("signup-code-error");
const save = document.getElementById("signup-save");
const status = document.getElementById("signup-status");
const done = document.getElementById("signup-done");
const keys = idempotencyKeeper();

const digits = (value) => value.replace(/[\s.-]/g, "");

function validateStart() {
  const errors = [];
  if (!/^\d{6,12}$/.test(digits(number.value))) {
    errors.push({ field: number, message: "Le numéro d'adhérent compte de 6 à 12 chiffres ; il figure sur votre carte de tiers payant." });
  }
  if (!birth.value) errors.push({ field: birth, message: "Indiquez votre date de naissance." });
  if (!EMAIL_PATTERN.test(email.value.trim())) {
    errors.push({ field: email, message: "Saisissez une adresse e-mail complète, par exemple nom@exemple.fr." });
  }
  return errors;
}

startForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (startSend.disabled) return;
  clearFormErrors(startForm, startSummary);
  startError.replaceChildren();
  const errors = validateStart();
  if (errors.length) {
    showFormErrors(startSummary, errors);
    return;
  }
  startSend.disabled = true;
  status.textContent = "Vérification…";
  try {
    const body = { member_number: digits(number.value), birth_date: birth.value, email: email.value.trim() };
    const answer = await publicApi("/public/accounts", { method: "POST", body, idempotencyKey: keys.keyFor(body) });
    keys.reset();
    sent.replaceChildren(h("p", { text: answer.message }));
    startForm.hidden = true;
    form.hidden = false;
    code.focus();
  } catch (error) {
    const fieldFor = (name) => ({ member_number: number, birth_date: birth, email })[name] ?? null;
    const marked = showApiError({ error, summary: startSummary, fieldFor });
    if (!marked) showError(startError, error);
  } finally {
    status.textContent = "";
    startSend.disabled = false;
  }
});

document.getElementById("signup-again").addEventListener("click", () => {
  form.hidden = true;
  startForm.hidden = false;
  number.focus();
});

function validate() {
  const errors = [];
  if (!/^\d{6}$/.test(code.value.replace(/[\s-]/g, ""))) errors.push({ field: code, message: "Le code reçu par e-mail compte 6 chiffres." });
  if (password.value.length < MIN_LENGTH) errors.push({ field: password, message: `Le mot de passe doit compter ${MIN_LENGTH} caractères au moins.` });
  if (again.value !== password.value) errors.push({ field: again, message: "Les deux saisies du mot de passe sont différentes." });
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
  save.disabled = true;
  status.textContent = "Création de votre compte…";
  try {
    const created = await publicApi("/public/accounts/confirm", {
      method: "POST",
      body: {
        member_number: digits(number.value),
        code: code.value.replace(/[\s-]/g, ""),
        password: password.value,
      },
    });
    form.hidden = true;
    done.hidden = false;
    done.querySelector("[data-message]").textContent = created.message;
    done.querySelector("h2").focus();
    status.textContent = "Connexion à votre espace…";
    try {
      const session = await login(created.email, password.value);
      location.assign(afterLoginPath(new URLSearchParams(), roleOf(session)));
    } catch {
      status.textContent = ""; // the link of the done panel leads to the sign-in page
    }
  } catch (error) {
    status.textContent = "";
    const fieldFor = (name) => ({ code, password })[name] ?? null;
    const marked = showApiError({ error, summary, fieldFor });
    if (!marked || error.status !== 400) showError(errorBox, error);
  } finally {
    save.disabled = false;
  }
});

clearErrorsOnInput(startForm);
clearErrorsOnInput(form);
startSend.disabled = false;

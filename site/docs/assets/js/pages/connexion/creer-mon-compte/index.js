// « Je n'ai pas encore de compte »: her member number, birth date and the email on file, then
// the code we sent there and her password; the account made, she is signed in. The first
// answer never says which part did not match.

import { codeOf, newPasswordErrors, setupCodeSteps } from "../../../components/code-steps.js";
import { publicApi } from "../../../lib/http.js";
import { idempotencyKeeper } from "../../../lib/idempotency.js";
import { afterLoginPath, login, roleOf } from "../../../lib/session.js";

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const byId = (id) => document.getElementById(id);
const number = byId("signup-number");
const birth = byId("signup-birth");
const email = byId("signup-email");
const code = byId("signup-code");
const password = byId("signup-password");
const again = byId("signup-password-confirm");
const status = byId("signup-status");
const done = byId("signup-done");
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

async function signIn(created) {
  byId("signup-code-form").hidden = true;
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
}

setupCodeSteps({
  code,
  sent: byId("signup-sent"),
  again: byId("signup-again"),
  first: number,
  start: {
    form: byId("signup-form"),
    summary: byId("signup-errors"),
    errorBox: byId("signup-error"),
    button: byId("signup-send"),
    status,
    busy: "Vérification…",
    validate: validateStart,
    send: () => {
      const body = { member_number: digits(number.value), birth_date: birth.value, email: email.value.trim() };
      return publicApi("/public/accounts", { method: "POST", body, idempotencyKey: keys.keyFor(body) });
    },
    done: () => keys.reset(),
    fieldFor: (name) => ({ member_number: number, birth_date: birth, email })[name] ?? null,
  },
  confirm: {
    form: byId("signup-code-form"),
    summary: byId("signup-code-errors"),
    errorBox: byId("signup-code-error"),
    button: byId("signup-save"),
    status,
    busy: "Création de votre compte…",
    validate: () => newPasswordErrors({ password, again }),
    send: () => publicApi("/public/accounts/confirm", {
      method: "POST",
      body: { member_number: digits(number.value), code: codeOf(code.value), password: password.value },
    }),
    done: signIn,
    fieldFor: (name) => ({ code, password })[name] ?? null,
  },
});

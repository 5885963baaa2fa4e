// Sign-in page: email + password, one French message for wrong credentials, then back to the
// page asked for (same-origin path, in the caller's own space) or to her space's landing page.
// The form has no field names and its button starts disabled: before this script runs, it can
// send nothing anywhere.

import { clearFormErrors, setFieldError } from "../components/form.js";
import { forgetCardOfOthers, keptCard } from "../lib/offline-card.js";
import { afterLoginPath, getSession, login, LoginError, LOGIN_MESSAGES, roleOf, tokenClaims } from "../lib/session.js";

const form = document.getElementById("login-form");
const email = document.getElementById("login-email");
const password = document.getElementById("login-password");
const toggle = document.getElementById("login-password-toggle");
const submit = document.getElementById("login-submit");
const errorBox = document.getElementById("login-error");
const info = document.getElementById("login-info");
const status = document.getElementById("login-status");
const params = new URLSearchParams(location.search);

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// Already signed in (e.g. back button): go straight on.
const existing = getSession();
if (existing) location.replace(afterLoginPath(params, roleOf(existing)));

function showInfo() {
  let message = "";
  if (params.get("deconnecte")) message = "Vous êtes déconnecté. À bientôt !";
  else if (params.get("motdepasse")) {
    message = "Votre mot de passe est changé et toutes vos sessions sont fermées : connectez-vous avec le nouveau.";
  } else if (params.get("reinitialise")) message = "Votre nouveau mot de passe est enregistré : connectez-vous avec lui.";
  else if (params.get("expiree")) message = "Votre session a expiré. Reconnectez-vous pour continuer.";
  else if (params.get("suite")) message = "Connectez-vous pour accéder à cette page de votre espace.";
  info.textContent = message;
  info.hidden = !message;
}

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

function validate() {
  const errors = [];
  const value = email.value.trim();
  if (!value) errors.push([email, "Saisissez votre adresse e-mail."]);
  else if (!EMAIL_PATTERN.test(value)) {
    errors.push([email, "Saisissez une adresse e-mail complète, par exemple nom@exemple.fr."]);
  }
  if (!password.value) errors.push([password, "Saisissez votre mot de passe."]);
  for (const [field, message] of errors) setFieldError(field, message);
  return errors;
}

toggle.addEventListener("click", () => {
  const show = password.type === "password";
  password.type = show ? "text" : "password";
  toggle.querySelector("[data-label]").textContent = show ? "Masquer" : "Afficher";
  status.textContent = show ? "Mot de passe affiché." : "Mot de passe masqué.";
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (submit.disabled) return;
  clearFormErrors(form);
  errorBox.hidden = true;
  errorBox.textContent = "";
  const errors = validate();
  if (errors.length) {
    errors[0][0].focus();
    return;
  }
  submit.disabled = true;
  form.setAttribute("aria-busy", "true");
  status.textContent = "Connexion en cours…";
  try {
    const session = await login(email.value, password.value);
    status.textContent = "Connexion réussie. Ouverture de votre espace…";
    // A card kept offline by someone who did not sign out is not this person's to see.
    await forgetCardOfOthers(tokenClaims(session.accessToken).sub);
    location.assign(afterLoginPath(params, roleOf(session)));
  } catch (error) {
    status.textContent = "";
    showError(error instanceof LoginError ? error.message : LOGIN_MESSAGES.unavailable);
    if (error instanceof LoginError && error.kind === "invalid") {
      password.value = "";
      password.focus();
    } else {
      errorBox.focus();
    }
    submit.disabled = false;
    form.removeAttribute("aria-busy");
  }
});

showInfo();
submit.disabled = false;
// Her card, kept on this device, opens without signing in (at the pharmacy, with no network).
keptCard().then((kept) => {
  document.getElementById("login-card").hidden = !kept;
});

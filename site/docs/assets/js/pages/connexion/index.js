// Sign-in page: email + password (or a passkey of the typed address), one French message for
// wrong credentials, then back to the page asked for (same-origin path, in the caller's own
// space) or to her space's landing page.
// The form has no field names and its button starts disabled: before this script runs, it can
// send nothing anywhere.

import { clearFormErrors, setFieldError } from "../../components/form.js";
import { forgetCardOfOthers, keptCard } from "../../lib/offline-card.js";
import { renderSVG } from "uqr";
import {
  afterLoginPath,
  answerSecondFactor,
  enrollSecondFactor,
  getSession,
  login,
  LoginError,
  LOGIN_MESSAGES,
  roleOf,
  tokenClaims,
} from "../../lib/session.js";
import { loginWithPasskey, PasskeyError, passkeysSupported } from "../../lib/passkeys.js";

const form = document.getElementById("login-form");
const email = document.getElementById("login-email");
const password = document.getElementById("login-password");
const toggle = document.getElementById("login-password-toggle");
const submit = document.getElementById("login-submit");
const errorBox = document.getElementById("login-error");
const info = document.getElementById("login-info");
const status = document.getElementById("login-status");
const params = new URLSearchParams(location.search);
const codeForm = document.getElementById("login-code-form");
const codeTitle = document.getElementById("login-code-title");
const code = document.getElementById("login-code");
const codeError = document.getElementById("login-code-error");
const codeSubmit = document.getElementById("login-code-submit");
const codeStatus = document.getElementById("login-code-status");
const enroll = document.getElementById("login-enroll");
let pending = null;

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

/** « Utiliser une clé d'accès »: the typed address only (Cognito needs the account). */
const passkeyButton = document.getElementById("login-passkey");
passkeyButton.addEventListener("click", async () => {
  if (passkeyButton.disabled) return;
  clearFormErrors(form);
  errorBox.hidden = true;
  errorBox.textContent = "";
  const value = email.value.trim();
  if (!EMAIL_PATTERN.test(value)) {
    setFieldError(email, value
      ? "Saisissez une adresse e-mail complète, par exemple nom@exemple.fr."
      : "Saisissez l'adresse e-mail de votre compte, puis utilisez votre clé d'accès.");
    email.focus();
    return;
  }
  passkeyButton.disabled = true;
  submit.disabled = true;
  form.setAttribute("aria-busy", "true");
  status.textContent = "Déverrouillez votre appareil pour utiliser votre clé d'accès…";
  try {
    const session = await loginWithPasskey(value);
    if (session.challenge) {
      askSecondFactor(session);
      return;
    }
    await enter(session);
  } catch (error) {
    status.textContent = "";
    showError(error instanceof PasskeyError || error instanceof LoginError ? error.message : LOGIN_MESSAGES.unavailable);
    errorBox.focus();
  } finally {
    passkeyButton.disabled = false;
    submit.disabled = false;
    form.removeAttribute("aria-busy");
  }
});
document.getElementById("login-passkey-block").hidden = !passkeysSupported();

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
    if (session.challenge) {
      askSecondFactor(session);
      return;
    }
    await enter(session);
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

async function enter(session) {
  status.textContent = "Connexion réussie. Ouverture de votre espace…";
  codeStatus.textContent = status.textContent;
  // A card kept offline by someone who did not sign out is not this person's to see.
  await forgetCardOfOthers(tokenClaims(session.accessToken).sub);
  location.assign(afterLoginPath(params, roleOf(session)));
}

/** Advisors: the code of their authenticator app, enrolled at the first sign-in. */
function askSecondFactor(step) {
  pending = step;
  password.value = "";
  status.textContent = "";
  form.hidden = true;
  form.removeAttribute("aria-busy");
  submit.disabled = false;
  enroll.hidden = step.challenge !== "enroll";
  if (step.challenge === "enroll") {
    const label = encodeURIComponent(`Espace conseiller:${step.username}`);
    const uri = `otpauth://totp/${label}?secret=${step.secret}&issuer=${encodeURIComponent("Espace conseiller")}`;
    document.getElementById("login-qr").innerHTML = renderSVG(uri, { border: 2 });
    document.getElementById("login-secret").textContent = step.secret.replace(/(.{4})/g, "$1 ").trim();
  }
  code.value = "";
  codeError.hidden = true;
  codeForm.hidden = false;
  codeTitle.focus();
}

function backToPassword(message = "") {
  pending = null;
  codeForm.hidden = true;
  form.hidden = false;
  if (message) showError(message);
  password.focus();
}

codeForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (codeSubmit.disabled || !pending) return;
  clearFormErrors(codeForm);
  codeError.hidden = true;
  const typed = code.value.replace(/\s/g, "");
  if (!/^\d{6}$/.test(typed)) {
    setFieldError(code, "Le code de votre application compte 6 chiffres.");
    code.focus();
    return;
  }
  codeSubmit.disabled = true;
  codeForm.setAttribute("aria-busy", "true");
  codeStatus.textContent = "Vérification du code…";
  try {
    const session = pending.challenge === "enroll"
      ? await enrollSecondFactor(pending, typed)
      : await answerSecondFactor(pending, typed);
    await enter(session);
  } catch (error) {
    codeStatus.textContent = "";
    const kind = error instanceof LoginError ? error.kind : "unavailable";
    if (kind === "expiredStep" || kind === "invalid") {
      backToPassword(LOGIN_MESSAGES.expiredStep);
    } else {
      codeError.textContent = error instanceof LoginError ? error.message : LOGIN_MESSAGES.unavailable;
      codeError.hidden = false;
      code.value = "";
      code.focus();
    }
    codeSubmit.disabled = false;
    codeForm.removeAttribute("aria-busy");
  }
});

document.getElementById("login-code-cancel").addEventListener("click", () => backToPassword());

showInfo();
submit.disabled = false;
// Her card, kept on this device, opens without signing in (at the pharmacy, with no network).
keptCard().then((kept) => {
  document.getElementById("login-card").hidden = !kept;
});

// The invitation's page (`?invitation=<id>`, the link of the email a trusted person receives):
// signed in, she types the code to accept; otherwise she signs in (and comes back here) or
// creates an account with no contract of its own, the code proving her address, then is
// signed in. A wrong code says how many tries are left; a locked, expired or withdrawn
// invitation closes the page with what to do.

import { newPasswordErrors } from "../../../components/code-steps.js";
import { clearErrorsOnInput, clearFormErrors, showApiError, showFormErrors } from "../../../components/form.js";
import { showError } from "../../../components/states.js";
import { openSpaceOf } from "../../../components/acting.js";
import { api } from "../../../lib/api.js";
import { siteUrl } from "../../../lib/config.js";
import { byId, focusAtTop, h } from "../../../lib/dom.js";
import { publicApi } from "../../../lib/http.js";
import { getSession, login, LoginError, loginUrl, roleOf } from "../../../lib/session.js";

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// As the email writes it: 8 letters and digits (spaces and dashes typed along are ignored).
const CODE_PATTERN = /^[A-Z0-9]{8}$/;
const FINAL = new Set(["invitation_not_found", "invitation_ended", "invitation_locked"]);

const invitation = new URLSearchParams(location.search).get("invitation")?.trim() ?? "";
const sections = ["accept", "choose", "create", "accepted"].map((name) => byId(`${name}-section`));
let accepted = null;

export const normalizedCode = (value) => String(value ?? "").replace(/[\s-]/g, "").toUpperCase();

function show(name) {
  for (const section of sections) section.hidden = section.id !== `${name}-section`;
}

function codeErrors(field) {
  const code = normalizedCode(field.value);
  if (!code) return [{ field, message: "Saisissez le code reçu dans l'e-mail d'invitation." }];
  if (!CODE_PATTERN.test(code)) return [{ field, message: "Le code de l'invitation compte 8 caractères, lettres et chiffres." }];
  return [];
}

/** A locked, expired or withdrawn invitation: nothing more to try here. */
function closeInvitation(message) {
  show("none");
  const box = byId("invitation-final");
  box.replaceChildren(
    h("div", { class: "ea-notice ea-notice--error", "data-testid": "invitation-final" },
      h("p", { text: message }),
      h("p", {}, h("a", { href: siteUrl("").pathname, text: "Retour à l'accueil" }))),
  );
  focusAtTop(box.firstChild);
}

/** The API's answer to a code: the final ones close the page, the others stay by the form. */
function failed(error, { form, summary, errorBox, code }) {
  if (FINAL.has(error.code)) {
    closeInvitation(error.message);
    return;
  }
  const marked = showApiError({ error, summary, fieldFor: (name) => (name === "code" ? code : form.querySelector(`[data-field="${name}"]`)) });
  if (!marked || error.code === "invalid_code") showError(errorBox, error);
  if (error.code === "invalid_code") {
    code.value = "";
    code.focus();
  }
}

function showAccepted(procuration) {
  accepted = procuration;
  const name = procuration?.principal_name ?? "votre proche";
  const scope = procuration?.scope === "act"
    ? "consulter son espace, et envoyer des demandes et des messages en son nom"
    : "consulter son espace";
  document.querySelector('[data-mount="accepted"]').textContent =
    `Vous agissez désormais pour ${name} : vous pouvez ${scope}. Un e-mail l'en informe.`;
  byId("accepted-open").hidden = !procuration?.id;
  show("accepted");
  byId("accepted-title").focus();
}

byId("accepted-open").addEventListener("click", () => {
  if (accepted) openSpaceOf(accepted);
});

// ---- signed in: the code only ---------------------------------------------------------------

function setupAccept() {
  const form = byId("accept-form");
  const code = byId("accept-code");
  const summary = byId("accept-errors");
  const errorBox = byId("accept-error");
  const button = byId("accept-send");
  const status = byId("accept-status");
  clearErrorsOnInput(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    clearFormErrors(form, summary);
    errorBox.replaceChildren();
    const problems = codeErrors(code);
    if (problems.length) {
      showFormErrors(summary, problems);
      return;
    }
    button.disabled = true;
    status.textContent = "Vérification du code…";
    try {
      const procuration = await api("/members/procurations/accept", {
        method: "POST",
        body: { invitation, code: normalizedCode(code.value) },
        asSelf: true,
      });
      status.textContent = "";
      showAccepted(procuration);
    } catch (error) {
      status.textContent = "";
      failed(error, { form, summary, errorBox, code });
    } finally {
      button.disabled = false;
    }
  });
  button.disabled = false;
  show("accept");
}

// ---- not signed in: sign in, or create an account -------------------------------------------

function setupCreate() {
  const form = byId("create-form");
  const email = byId("create-email");
  const code = byId("create-code");
  const password = byId("create-password");
  const again = byId("create-password-confirm");
  const summary = byId("create-errors");
  const errorBox = byId("create-error");
  const button = byId("create-send");
  const status = byId("create-status");
  email.dataset.field = "email";
  password.dataset.field = "password";
  clearErrorsOnInput(form);

  byId("choose-login").href = loginUrl({ returnPath: location.pathname + location.search }).toString();
  byId("choose-create").addEventListener("click", () => {
    show("create");
    byId("create-title").focus();
  });
  byId("create-back").addEventListener("click", () => {
    show("choose");
    byId("choose-login").focus();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    clearFormErrors(form, summary);
    errorBox.replaceChildren();
    const problems = [];
    const address = email.value.trim();
    if (!address) problems.push({ field: email, message: "Saisissez votre adresse e-mail." });
    else if (!EMAIL_PATTERN.test(address)) problems.push({ field: email, message: "Saisissez une adresse e-mail complète, par exemple nom@exemple.fr." });
    problems.push(...codeErrors(code), ...newPasswordErrors({ password, again }));
    if (problems.length) {
      showFormErrors(summary, problems);
      return;
    }
    button.disabled = true;
    status.textContent = "Création de votre compte…";
    try {
      await publicApi("/public/procurations/accounts", {
        method: "POST",
        body: { invitation, code: normalizedCode(code.value), email: address, password: password.value },
      });
    } catch (error) {
      status.textContent = "";
      button.disabled = false;
      failed(error, { form, summary, errorBox, code });
      return;
    }
    status.textContent = "Compte créé. Connexion en cours…";
    try {
      await login(address, password.value);
      password.value = "";
      again.value = "";
      const me = await api("/members/me", { asSelf: true });
      status.textContent = "";
      showAccepted(me?.acting_for?.find((item) => item.id === invitation) ?? me?.acting_for?.[0] ?? null);
    } catch (error) {
      // The account exists and the procuration is accepted: only the sign-in is left.
      status.textContent = "";
      closeInvitation(
        `Votre compte est créé et la procuration acceptée. ${error instanceof LoginError ? error.message : ""} Connectez-vous avec votre adresse e-mail et votre mot de passe.`.replace(/\s+/g, " "),
      );
    } finally {
      button.disabled = false;
    }
  });
  show("choose");
}

if (!invitation) {
  closeInvitation("Ce lien d'invitation est incomplet. Ouvrez-le de nouveau depuis l'e-mail reçu, sans le modifier, ou demandez à votre proche de vous en envoyer un nouveau.");
} else {
  const session = getSession();
  if (session && roleOf(session) === "member") setupAccept();
  else setupCreate();
}

// « Changer mon mot de passe »: the current password asked, the new one twice. Once changed,
// every session is closed (this one too): she signs in again with the new password.

import { clearErrorsOnInput, clearFormErrors, showApiError, showFormErrors } from "../../../components/form.js";
import { showError, showNotice } from "../../../components/states.js";
import { api } from "../../../lib/api.js";
import { logout } from "../../../lib/session.js";

const MIN_LENGTH = 12;
const form = document.getElementById("password-form");
const summary = document.getElementById("password-errors");
const current = document.getElementById("password-current");
const fresh = document.getElementById("password-new");
const again = document.getElementById("password-confirm");
const show = document.getElementById("password-show");
const errorBox = document.getElementById("password-error");
const status = document.getElementById("password-status");
const save = document.getElementById("password-save");

function validate() {
  const errors = [];
  if (!current.value) errors.push({ field: current, message: "Saisissez votre mot de passe actuel." });
  if (fresh.value.length < MIN_LENGTH) {
    errors.push({ field: fresh, message: `Le nouveau mot de passe doit compter ${MIN_LENGTH} caractères au moins.` });
  } else if (fresh.value === current.value) {
    errors.push({ field: fresh, message: "Choisissez un nouveau mot de passe différent de l'actuel." });
  }
  if (again.value !== fresh.value) errors.push({ field: again, message: "Les deux saisies du nouveau mot de passe sont différentes." });
  return errors;
}

export function setupPassword() {
  clearErrorsOnInput(form);
  show.addEventListener("change", () => {
    for (const input of [current, fresh, again]) input.type = show.checked ? "text" : "password";
  });
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
    status.textContent = "Changement du mot de passe…";
    try {
      const answer = await api("/members/password", {
        method: "POST",
        body: { current_password: current.value, new_password: fresh.value },
      });
      form.reset();
      if (answer.signed_out_everywhere) {
        status.textContent = answer.message;
        await logout({ reason: "motdepasse" });
        return;
      }
      status.textContent = "";
      showNotice(errorBox, answer.message, { focus: true });
    } catch (error) {
      status.textContent = "";
      const fieldFor = (name) => ({ current_password: current, new_password: fresh })[name] ?? null;
      const marked = showApiError({ error, summary, fieldFor });
      if (!marked || error.status !== 400) showError(errorBox, error);
    } finally {
      save.disabled = false;
    }
  });
}

// « Changer mon mot de passe »: the current password asked, the new one twice. Once changed,
// every session is closed (this one too): she signs in again with the new password.

import { formStep, newPasswordErrors } from "../../../components/code-steps.js";
import { showNotice } from "../../../components/states.js";
import { api } from "../../../lib/api.js";
import { logout } from "../../../lib/session.js";

const byId = (id) => document.getElementById(id);
const form = byId("password-form");
const current = byId("password-current");
const fresh = byId("password-new");
const again = byId("password-confirm");
const show = byId("password-show");
const errorBox = byId("password-error");
const status = byId("password-status");

function validate() {
  const errors = current.value ? [] : [{ field: current, message: "Saisissez votre mot de passe actuel." }];
  return [...errors, ...newPasswordErrors({ password: fresh, again, current })];
}

export function setupPassword() {
  show.addEventListener("change", () => {
    for (const input of [current, fresh, again]) input.type = show.checked ? "text" : "password";
  });
  formStep({
    form,
    summary: byId("password-errors"),
    errorBox,
    button: byId("password-save"),
    status,
    busy: "Changement du mot de passe…",
    validate,
    send: () => api("/members/password", {
      method: "POST",
      body: { current_password: current.value, new_password: fresh.value },
    }),
    done: async (answer) => {
      form.reset();
      if (answer.signed_out_everywhere) {
        status.textContent = answer.message;
        await logout({ reason: "motdepasse" });
        return;
      }
      showNotice(errorBox, answer.message, { focus: true });
    },
    fieldFor: (name) => ({ current_password: current, new_password: fresh })[name] ?? null,
    boxFor: (error, marked) => !marked || error.status !== 400,
  });
}

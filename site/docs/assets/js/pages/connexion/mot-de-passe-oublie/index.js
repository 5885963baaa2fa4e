// « Mot de passe oublié »: her sign-in address, then the code we sent there and a new
// password. The first answer is the same whether the address has an account or not.

import { codeOf, newPasswordErrors, setupCodeSteps } from "../../../components/code-steps.js";
import { publicApi } from "../../../lib/http.js";
import { idempotencyKeeper } from "../../../lib/idempotency.js";

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const byId = (id) => document.getElementById(id);
const email = byId("reset-email");
const code = byId("reset-code");
const fresh = byId("reset-password");
const again = byId("reset-password-confirm");
const status = byId("reset-status");
const done = byId("reset-done");
const keys = idempotencyKeeper();

setupCodeSteps({
  code,
  sent: byId("reset-sent"),
  again: byId("reset-again"),
  first: email,
  start: {
    form: byId("reset-request-form"),
    summary: byId("reset-request-errors"),
    errorBox: byId("reset-request-error"),
    button: byId("reset-request-send"),
    status,
    busy: "Envoi du code…",
    validate: () => (EMAIL_PATTERN.test(email.value.trim())
      ? []
      : [{ field: email, message: "Saisissez une adresse e-mail complète, par exemple nom@exemple.fr." }]),
    send: () => {
      const body = { email: email.value.trim() };
      return publicApi("/public/password-resets", { method: "POST", body, idempotencyKey: keys.keyFor(body) });
    },
    done: () => keys.reset(),
    fieldFor: (name) => (name === "email" ? email : null),
  },
  confirm: {
    form: byId("reset-form"),
    summary: byId("reset-errors"),
    errorBox: byId("reset-error"),
    button: byId("reset-save"),
    status,
    busy: "Enregistrement du nouveau mot de passe…",
    validate: () => newPasswordErrors({ password: fresh, again }),
    send: () => publicApi("/public/password-resets/confirm", {
      method: "POST",
      body: { email: email.value.trim(), code: codeOf(code.value), new_password: fresh.value },
    }),
    done: (answer) => {
      byId("reset-form").hidden = true;
      done.hidden = false;
      done.querySelector("[data-message]").textContent = answer.message;
      done.querySelector("h2").focus();
    },
    fieldFor: (name) => ({ code, new_password: fresh })[name] ?? null,
  },
});

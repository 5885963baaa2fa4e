// A code sent by email, then typed back (with a new password when one is chosen): the steps of
// creating an account, a forgotten password and a new email address, and the password rules
// they share with « Changer mon mot de passe ». Each form goes the same way: checked here
// first, sent once at a time, the API's field errors under their fields, its message beside.

import { h } from "../lib/dom.js";
import { clearErrorsOnInput, clearFormErrors, showApiError, showFormErrors } from "./form.js";
import { showError } from "./states.js";

export const PASSWORD_MIN_LENGTH = 12;

/** The code as typed, without the spaces or dashes a member may add: "123 456" -> "123456". */
export const codeOf = (value) => String(value ?? "").replace(/[\s-]/g, "");

/** The error of a code field, if its value is not the 6 digits sent. */
export function codeErrors(field) {
  return /^\d{6}$/.test(codeOf(field.value)) ? [] : [{ field, message: "Le code reçu par e-mail compte 6 chiffres." }];
}

/**
 * The errors of a new password typed twice; with `current` (the password change), the new one
 * is called « nouveau » and must differ from it.
 */
export function newPasswordErrors({ password, again, current = null }) {
  const word = current ? "nouveau mot de passe" : "mot de passe";
  const errors = [];
  if (password.value.length < PASSWORD_MIN_LENGTH) {
    errors.push({ field: password, message: `Le ${word} doit compter ${PASSWORD_MIN_LENGTH} caractères au moins.` });
  } else if (current && password.value === current.value) {
    errors.push({ field: password, message: "Choisissez un nouveau mot de passe différent de l'actuel." });
  }
  if (again.value !== password.value) errors.push({ field: again, message: `Les deux saisies du ${word} sont différentes.` });
  return errors;
}

/**
 * One form of the steps: on submit, `validate()` (a list of {field, message}), then
 * `send()` -> answer, then `done(answer)`. While it is sent, `button` is disabled and `status`
 * says `busy`. A failure marks the fields `fieldFor(name)` finds and, unless `boxFor(error,
 * marked)` says otherwise, shows its message in `errorBox`; `failed(error)` may add to that.
 */
export function formStep({ form, summary, errorBox, button, status, busy = "", validate = () => [], send, done = () => {}, failed = () => {}, fieldFor = () => null, boxFor = (error, marked) => !marked }) {
  clearErrorsOnInput(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    clearFormErrors(form, summary);
    errorBox.replaceChildren();
    const errors = validate();
    if (errors.length) {
      showFormErrors(summary, errors);
      return;
    }
    button.disabled = true;
    if (status) status.textContent = busy;
    let answer;
    try {
      answer = await send();
    } catch (error) {
      if (status) status.textContent = "";
      failed(error);
      const marked = showApiError({ error, summary, fieldFor });
      if (boxFor(error, marked)) showError(errorBox, error);
      return;
    } finally {
      button.disabled = false;
    }
    if (status) status.textContent = "";
    await done(answer);
  });
}

/**
 * The two steps on one page: `start` (a formStep whose answer says where the code went) shows
 * its message in `sent` and opens `confirm` (a formStep with the `code` field, whose own
 * validate adds to the code's check); `again` goes back to the start, at `first`.
 */
export function setupCodeSteps({ start, confirm, code, sent, again, first }) {
  const show = (step) => {
    start.form.hidden = step !== "start";
    confirm.form.hidden = step !== "confirm";
  };
  formStep({
    ...start,
    done: async (answer) => {
      sent.replaceChildren(h("p", { text: answer?.message ?? "" }));
      await start.done?.(answer);
      show("confirm");
      code.focus();
    },
  });
  formStep({
    boxFor: (error, marked) => !marked || error.status !== 400,
    ...confirm,
    validate: () => [...codeErrors(code), ...(confirm.validate?.() ?? [])],
  });
  again.addEventListener("click", () => {
    show("start");
    first.focus();
  });
  start.button.disabled = false;
}

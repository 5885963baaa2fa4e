// A short form in a native modal <dialog> (focus kept inside, Échap cancels): a title, an
// intro, the caller's fields, and a button that runs `submit()`. A failure is shown in the
// dialog: under its field when it names one, else as a message with the actions it offers.

import { h } from "../lib/dom.js";
import { noticeKind } from "./states.js";
import { clearErrorsOnInput, clearFormErrors, setFieldError } from "./form.js";

let counter = 0;

/**
 * Resolves with what `submit()` returned, or null if the dialog was cancelled. `submit` may
 * throw an error carrying `field` (an input of `fields`: its message goes under it) or
 * `actions` ([{label, run}]: buttons shown with the message; each closes the dialog first).
 * The focus goes back to the opener when cancelled; on success the caller decides.
 */
export function formDialog({ title, intro, fields = [], submitLabel, busyLabel, danger = false, cancelLabel = "Annuler", submit, testId }) {
  const id = `ea-form-dialog-${++counter}`;
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const error = h("div", { class: "ea-dialog__error", role: "alert" });
    const confirm = h("button", { type: "submit", class: `ea-button ${danger ? "ea-button--danger" : "ea-button--primary"}`, text: submitLabel });
    const cancel = h("button", { type: "button", class: "ea-button ea-button--secondary", text: cancelLabel });
    const form = h("form", { class: "ea-dialog__form", novalidate: true },
      ...[fields].flat(),
      error,
      h("div", { class: "ea-dialog__actions" }, confirm, cancel));
    const dialog = h(
      "dialog",
      { class: "ea-dialog ea-dialog--form md-typeset", "aria-labelledby": `${id}-title`, "aria-describedby": intro ? `${id}-text` : null, "data-testid": testId },
      h("h2", { id: `${id}-title`, class: "ea-dialog__title", text: title }),
      intro ? h("div", { id: `${id}-text`, class: "ea-dialog__intro" }, ...[intro].flat().map((part) => (typeof part === "string" ? h("p", { text: part }) : part))) : null,
      form,
    );
    let done = false;

    function finish(result, { restoreFocus = false } = {}) {
      if (done) return;
      done = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      if (restoreFocus && opener?.isConnected) opener.focus();
      resolve(result);
    }

    function busy(on) {
      confirm.disabled = on;
      cancel.disabled = on;
      if (on) dialog.setAttribute("aria-busy", "true");
      else dialog.removeAttribute("aria-busy");
      confirm.textContent = on && busyLabel ? busyLabel : submitLabel;
    }

    cancel.addEventListener("click", () => finish(null, { restoreFocus: true }));
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      if (!confirm.disabled) finish(null, { restoreFocus: true });
    });
    clearErrorsOnInput(form);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (confirm.disabled) return;
      clearFormErrors(form);
      error.replaceChildren();
      busy(true);
      try {
        finish(await submit());
      } catch (failure) {
        busy(false);
        if (failure?.field) {
          setFieldError(failure.field, failure.fieldMessage ?? failure.message);
          failure.field.focus();
          return;
        }
        const actions = (failure?.actions ?? []).map(({ label, run }) =>
          h("button", { type: "button", class: "ea-button ea-button--secondary", text: label, onclick: () => { finish(null); run(); } }));
        error.replaceChildren(
          h("div", { class: `ea-notice ${noticeKind(failure)}` },
            h("p", { text: failure?.message || "Une erreur inattendue s'est produite. Réessayez." }),
            ...actions),
        );
        (actions[0] ?? confirm).focus();
      }
    });

    document.body.append(dialog);
    dialog.showModal();
    (form.querySelector("textarea, input, select") ?? cancel).focus();
  });
}

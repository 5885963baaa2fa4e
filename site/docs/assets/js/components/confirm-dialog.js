// Asks for confirmation in a native modal <dialog> (focus kept inside, Échap cancels), runs the
// action, and shows its error in the dialog if it fails.

import { h } from "../lib/dom.js";
import { noticeKind } from "./states.js";

let counter = 0;

/**
 * Resolves true once `action()` has succeeded, false if the member cancelled. The focus goes
 * back to what had it when the member cancels; on success the caller decides where it goes.
 */
export function confirmDialog({ title, message, confirmLabel, busyLabel, cancelLabel = "Annuler", action }) {
  const id = `ea-dialog-${++counter}`;
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const error = h("div", { class: "ea-dialog__error", role: "alert" });
    const confirm = h("button", { type: "button", class: "ea-button ea-button--danger", text: confirmLabel });
    const cancel = h("button", { type: "button", class: "ea-button ea-button--secondary", text: cancelLabel });
    const dialog = h(
      "dialog",
      { class: "ea-dialog md-typeset", "aria-labelledby": `${id}-title`, "aria-describedby": `${id}-text` },
      h("h2", { id: `${id}-title`, class: "ea-dialog__title", text: title }),
      h("p", { id: `${id}-text`, text: message }),
      error,
      h("div", { class: "ea-dialog__actions" }, confirm, cancel),
    );
    let done = false;

    function finish(result) {
      if (done) return;
      done = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      if (!result && opener?.isConnected) opener.focus();
      resolve(result);
    }

    cancel.addEventListener("click", () => finish(false));
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      if (!confirm.disabled) finish(false);
    });
    confirm.addEventListener("click", async () => {
      confirm.disabled = true;
      cancel.disabled = true;
      dialog.setAttribute("aria-busy", "true");
      error.replaceChildren();
      if (busyLabel) confirm.textContent = busyLabel;
      try {
        await action();
        finish(true);
      } catch (failure) {
        confirm.textContent = confirmLabel;
        confirm.disabled = false;
        cancel.disabled = false;
        dialog.removeAttribute("aria-busy");
        error.replaceChildren(
          h("p", { class: `ea-notice ${noticeKind(failure)}`, text: failure?.message || "Une erreur inattendue s'est produite. Réessayez." }),
        );
        confirm.focus();
      }
    });

    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

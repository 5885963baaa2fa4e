// « Écrire à un conseiller »: subject, message, optional documents; one Idempotency-Key per
// content, so a double click opens one conversation.

import { clearErrorsOnInput, clearFormErrors, showApiError, showFormErrors } from "../../../components/form.js";
import { showError, showNotice } from "../../../components/states.js";
import { setupUploadField } from "../../../components/upload-field.js";
import { api } from "../../../lib/api.js";
import { idempotencyKeeper } from "../../../lib/idempotency.js";

const form = document.getElementById("thread-form");
const summary = document.getElementById("thread-errors");
const subject = document.getElementById("thread-subject");
const message = document.getElementById("thread-message");
const filesInput = document.getElementById("thread-files");
const errorBox = document.getElementById("thread-error");
const status = document.getElementById("thread-status");
const notice = document.getElementById("thread-notice");
const send = document.getElementById("thread-send");

export function setupNewThread({ onSent }) {
  const uploads = setupUploadField({
    input: filesInput,
    list: document.getElementById("thread-file-list"),
    hint: document.getElementById("thread-files-hint"),
    announce: (text) => {
      document.getElementById("thread-files-status").textContent = text;
    },
  });
  const keys = idempotencyKeeper();
  clearErrorsOnInput(form);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (send.disabled) return;
    clearFormErrors(form, summary);
    errorBox.replaceChildren();
    notice.replaceChildren();
    send.disabled = true;
    try {
      if (uploads.busy()) {
        status.textContent = "Envoi de vos fichiers en cours…";
        await uploads.whenIdle();
      }
      const errors = [];
      if (subject.value.trim().length < 3) errors.push({ field: subject, message: "Indiquez l'objet de votre message (3 caractères au moins)." });
      if (!message.value.trim()) errors.push({ field: message, message: "Écrivez votre message." });
      for (const { message: text, focus } of uploads.errors()) errors.push({ field: filesInput, message: text, focus });
      if (errors.length) {
        status.textContent = "";
        showFormErrors(summary, errors);
        return;
      }
      const body = { subject: subject.value.trim(), message: message.value.trim(), upload_ids: uploads.readyIds() };
      status.textContent = "Envoi de votre message…";
      const created = await api("/support/threads", { method: "POST", body, idempotencyKey: keys.keyFor(body) });
      keys.reset();
      form.reset();
      uploads.reset();
      status.textContent = "";
      showNotice(notice, `Message envoyé : « ${created.subject} ». Un conseiller vous répondra ici ; vous recevrez un courriel à chaque réponse.`, { focus: true });
      onSent(created);
    } catch (error) {
      status.textContent = "";
      const fieldFor = (name) => (name === "subject" ? subject : name === "message" ? message : name.startsWith("upload") ? filesInput : null);
      const marked = showApiError({ error, summary, fieldFor });
      if (!marked) showError(errorBox, error);
    } finally {
      send.disabled = false;
    }
  });
}

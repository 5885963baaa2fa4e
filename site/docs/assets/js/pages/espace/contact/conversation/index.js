// One conversation with the advisors: the messages, marked as read once shown, and a reply
// (one Idempotency-Key per content: a double click sends one message).

import { renderMessages } from "../../../../components/conversation.js";
import { detailPage } from "../../../../components/detail-page.js";
import { facts } from "../../../../components/facts.js";
import { clearErrorsOnInput, clearFormErrors, showApiError, showFormErrors } from "../../../../components/form.js";
import { memberPage } from "../../../../components/layout.js";
import { showError } from "../../../../components/states.js";
import { statusBadge } from "../../../../components/status-badge.js";
import { setupUploadField } from "../../../../components/upload-field.js";
import { getActing } from "../../../../lib/acting.js";
import { api } from "../../../../lib/api.js";
import { h } from "../../../../lib/dom.js";
import { dateTimeFr } from "../../../../lib/formats.js";
import { idempotencyKeeper } from "../../../../lib/idempotency.js";

const errorBox = document.getElementById("conversation-error");
const replySection = document.getElementById("reply-section");
const form = document.getElementById("reply-form");
const summary = document.getElementById("reply-errors");
const message = document.getElementById("reply-message");
const filesInput = document.getElementById("reply-files");
const replyError = document.getElementById("reply-error");
const replyStatus = document.getElementById("reply-status");
const send = document.getElementById("reply-send");
const keys = idempotencyKeeper();

const page = detailPage({
  mount: "conversation",
  status: "conversation-status",
  error: "conversation-error",
  path: (id) => `/support/threads/${encodeURIComponent(id)}`,
  title: (thread) => thread.subject,
  loading: "Chargement de la conversation…",
  loaded: "Conversation chargée.",
  notFound: {
    missingId: "Aucune conversation n'est indiquée dans l'adresse. Retrouvez vos messages dans Contact & aide.",
    message: "Cette conversation est introuvable. Retrouvez vos messages dans Contact & aide.",
  },
  render: (thread) => {
    replySection.hidden = false;
    // Someone acting for her does not make her news read: she has not seen them.
    if (thread.unread && !getActing()) {
      // Shown, so read: the marker goes, on this version only (a newer answer stays new).
      api(`/support/threads/${encodeURIComponent(thread.id)}/read`, { method: "POST", body: { version: thread.version } }).catch(() => {});
    }
    return [
      h("h2", { class: "ea-conversation__subject", text: thread.subject }),
      facts([
        ["État", statusBadge(thread.last_author_role === "member" ? "pending" : "done", thread.status_label)],
        ["Commencée le", dateTimeFr(thread.created_at)],
        ["Conseiller", thread.advisor_name ?? ""],
      ]),
      renderMessages(thread.messages, {
        me: "member",
        errorBox,
        linkPath: (attachment) => `/support/threads/${encodeURIComponent(thread.id)}/attachments/${encodeURIComponent(attachment.id)}`,
      }),
    ];
  },
});

const uploads = setupUploadField({
  input: filesInput,
  list: document.getElementById("reply-file-list"),
  hint: document.getElementById("reply-files-hint"),
  announce: (text) => {
    document.getElementById("reply-files-status").textContent = text;
  },
});
clearErrorsOnInput(form);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (send.disabled || !page.object) return;
  clearFormErrors(form, summary);
  replyError.replaceChildren();
  send.disabled = true;
  try {
    if (uploads.busy()) {
      replyStatus.textContent = "Envoi de vos fichiers en cours…";
      await uploads.whenIdle();
    }
    const errors = [];
    if (!message.value.trim()) errors.push({ field: message, message: "Écrivez votre message." });
    for (const { message: text, focus } of uploads.errors()) errors.push({ field: filesInput, message: text, focus });
    if (errors.length) {
      replyStatus.textContent = "";
      showFormErrors(summary, errors);
      return;
    }
    const body = { message: message.value.trim(), upload_ids: uploads.readyIds() };
    replyStatus.textContent = "Envoi de votre message…";
    await api(`/support/threads/${encodeURIComponent(page.id)}/messages`, { method: "POST", body, idempotencyKey: keys.keyFor(body) });
    keys.reset();
    form.reset();
    uploads.reset();
    await page.load();
    replyStatus.textContent = "Message envoyé.";
  } catch (error) {
    replyStatus.textContent = "";
    const marked = showApiError({ error, summary, fieldFor: (name) => (name === "message" ? message : name.startsWith("upload") ? filesInput : null) });
    if (!marked) showError(replyError, error);
  } finally {
    send.disabled = false;
  }
});

await memberPage();
page.load();

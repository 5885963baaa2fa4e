// One member's conversation, for an advisor: opening it is written to the member's audit
// trail; the answer carries the version read (the member writing meanwhile: 409, reload).

import { renderMessages } from "../../../../components/conversation.js";
import { detailPage } from "../../../../components/detail-page.js";
import { facts } from "../../../../components/facts.js";
import { clearErrorsOnInput, clearFormErrors, showApiError, showFormErrors } from "../../../../components/form.js";
import { advisorPage } from "../../../../components/layout.js";
import { showError } from "../../../../components/states.js";
import { statusBadge } from "../../../../components/status-badge.js";
import { api } from "../../../../lib/api.js";
import { pagePath } from "../../../../lib/config.js";
import { h } from "../../../../lib/dom.js";
import { dateTimeFr } from "../../../../lib/formats.js";

const errorBox = document.getElementById("conversation-error");
const section = document.getElementById("answer-section");
const form = document.getElementById("answer-form");
const summary = document.getElementById("answer-errors");
const message = document.getElementById("answer-message");
const answerError = document.getElementById("answer-error");
const answerStatus = document.getElementById("answer-status");
const send = document.getElementById("answer-send");

function render(thread) {
  section.hidden = false;
  return [
    h("h2", { text: thread.subject }),
    facts([
      ["Adhérent", `${thread.member_name} (n° ${thread.member_id})`],
      ["État", statusBadge(thread.last_author_role === "member" ? "pending" : "done", thread.status_label)],
      ["Écrit le", dateTimeFr(thread.created_at)],
      ["Traitée par", thread.advisor_name ?? "personne pour l'instant"],
    ]),
    h("p", {}, h("a", { href: pagePath("conseiller/dossier/", { adherent: thread.member_id, via: thread.ref }), "data-testid": "open-member-file", text: "Voir le dossier de l'adhérent" })),
    renderMessages(thread.messages, {
      me: "advisor",
      errorBox,
      linkPath: (attachment) => `/support/advisor/threads/${encodeURIComponent(thread.ref)}/attachments/${encodeURIComponent(attachment.id)}`,
    }),
  ];
}

const page = detailPage({
  mount: "conversation",
  status: "conversation-status",
  error: "conversation-error",
  path: (id) => `/support/advisor/threads/${encodeURIComponent(id)}`,
  title: (thread) => thread.subject,
  loading: "Chargement de la conversation…",
  loaded: "Conversation chargée.",
  notFound: {
    missingId: "Aucune conversation n'est indiquée dans l'adresse. Retrouvez-les dans Messages des adhérents.",
    message: "Cette conversation est introuvable.",
  },
  render,
});

clearErrorsOnInput(form);
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (send.disabled || !page.object) return;
  clearFormErrors(form, summary);
  answerError.replaceChildren();
  if (!message.value.trim()) {
    showFormErrors(summary, [{ field: message, message: "Écrivez votre réponse." }]);
    return;
  }
  send.disabled = true;
  answerStatus.textContent = "Envoi de la réponse…";
  try {
    const updated = await api(`/support/advisor/threads/${encodeURIComponent(page.id)}/messages`, {
      method: "POST",
      body: { version: page.object.version, message: message.value.trim() },
    });
    form.reset();
    document.getElementById("conversation").replaceChildren(...render(updated));
    await page.load();
    answerStatus.textContent = "Réponse envoyée. L'adhérent est prévenu par courriel.";
  } catch (error) {
    answerStatus.textContent = "";
    const marked = showApiError({ error, summary, fieldFor: (name) => (name === "message" ? message : null) });
    if (!marked) showError(answerError, error, error.status === 409 ? { onRetry: () => page.load(), retryLabel: "Relire la conversation" } : {});
  } finally {
    send.disabled = false;
  }
});

await advisorPage();
page.load();

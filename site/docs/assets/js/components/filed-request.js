// What the contract's change forms share: the documents each kind of request asks for (from
// GET /support/request-kinds) and the confirmation once the request is filed, with its number
// and the link to follow it in « Mes demandes ».

import { apiFieldMessages, showFormErrors } from "./form.js";
import { showError } from "./states.js";
import { api } from "../lib/api.js";
import { pagePath } from "../lib/config.js";
import { focusAtTop, h } from "../lib/dom.js";

let kindsPromise = null;

/** The kind's {documents, min_documents, max_documents}, or null when unknown. */
export async function requestKind(kind) {
  if (!kindsPromise) {
    kindsPromise = api("/support/request-kinds").catch((error) => {
      kindsPromise = null;
      throw error;
    });
  }
  try {
    return (await kindsPromise).find((item) => item.kind === kind) ?? null;
  } catch {
    return null; // the hint keeps its general text; the API still checks the documents
  }
}

/** Writes the kind's documents sentence into `slot` (a hint's <span>). */
export async function showDocumentsAsked(kind, slot) {
  const found = await requestKind(kind);
  if (found?.documents && slot) slot.textContent = `${found.documents} `;
  return found;
}

/** The link to the request in « Mes demandes ». */
export function requestPath(id) {
  return pagePath("espace/demandes/detail/", { id });
}

/**
 * Replaces `panel` by the confirmation in `success`: the request's number, what happens next
 * (`next`: sentences or nodes), and links to follow it and to go back to the contract.
 */
export function showFiled({ panel, success, created, title = "Votre demande est envoyée", next = [] }) {
  const heading = h("h2", { id: `${success.id}-title`, text: title });
  success.setAttribute("aria-labelledby", heading.id);
  success.replaceChildren(
    heading,
    h("p", { class: "ea-success__reference" }, "Numéro de votre demande : ",
      h("strong", { "data-testid": "request-reference", text: created.reference })),
    ...next.map((item) => (item instanceof Node ? item : h("p", { text: item }))),
    h("p", { class: "ea-result__actions" },
      h("a", { class: "ea-button ea-button--primary", href: requestPath(created.id), "data-testid": "request-link", text: "Suivre ma demande" }),
      h("a", { class: "ea-button ea-button--secondary", href: pagePath("espace/contrat/"), text: "Retour à mon contrat" })),
  );
  panel.hidden = true;
  success.hidden = false;
  focusAtTop(heading);
}

/**
 * Shows why the API refused a form: under the fields it names (a business rule's refusal, 422
 * on one field, gets its whole French sentence there rather than the field's short note), or
 * else in `errorBox`, with a retry when trying again may help. Returns true when fields were
 * marked.
 */
export function showRefusal({ error, summary, errorBox, fieldFor, onRetry }) {
  const notes = apiFieldMessages(error.fields);
  const names = Object.keys(notes).filter((name) => fieldFor(name));
  if (names.length) {
    const whole = error.status === 422 && names.length === 1;
    showFormErrors(summary, names.map((name) => ({ field: fieldFor(name), message: whole ? error.message : notes[name] })));
    return true;
  }
  showError(errorBox, error, error.retryable && onRetry ? { onRetry } : {});
  return false;
}

// Form errors: a message under each field (tied with aria-describedby), a summary above the
// form that links to them and gets the focus, and the API's `fields` mapped to the inputs.

import { h } from "../lib/dom.js";
import { showError } from "./states.js";

function describedBy(element) {
  return (element.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean);
}

function inputsOf(field) {
  return field.matches("fieldset") ? [...field.querySelectorAll("input")] : [field];
}

/** Ties one or more messages to a field (aria-invalid + aria-describedby). */
export function setFieldError(field, message) {
  const id = `${field.id}-erreur`;
  const messages = [message].flat();
  let node = document.getElementById(id);
  if (!node) {
    node = h("div", { id, class: "ea-field-error" });
    if (field.matches("fieldset")) field.append(node);
    else (field.closest(".ea-field") ?? field).append(node);
  }
  node.replaceChildren(...messages.map((text) => h("p", { text })));
  for (const input of inputsOf(field)) {
    input.setAttribute("aria-invalid", "true");
    const ids = describedBy(input);
    if (!ids.includes(id)) input.setAttribute("aria-describedby", [...ids, id].join(" "));
  }
}

export function clearFieldError(field) {
  const id = `${field.id}-erreur`;
  document.getElementById(id)?.remove();
  for (const input of inputsOf(field)) {
    input.removeAttribute("aria-invalid");
    const ids = describedBy(input).filter((value) => value !== id);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }
}

export function clearFormErrors(form, summary) {
  for (const node of form.querySelectorAll(".ea-field-error")) node.remove();
  for (const input of form.querySelectorAll("[aria-invalid]")) {
    const ids = describedBy(input).filter((value) => !value.endsWith("-erreur"));
    input.removeAttribute("aria-invalid");
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }
  summary?.replaceChildren();
  if (summary) summary.hidden = true;
}

/** Removes a field's error as soon as the member changes it. */
export function clearErrorsOnInput(form) {
  const handler = (event) => {
    const group = event.target.closest("fieldset[id]");
    const field = group && document.getElementById(`${group.id}-erreur`) ? group : event.target;
    if (field.id && document.getElementById(`${field.id}-erreur`)) clearFieldError(field);
  };
  form.addEventListener("input", handler);
  form.addEventListener("change", handler);
}

/**
 * Shows errors next to their fields and a summary (links to the fields) that gets the focus.
 * `errors` is a list of {field, message, focus?}; several errors may share a field (each is
 * listed), and `focus` is where its link leads when that is not the field itself.
 */
export function showFormErrors(summary, errors, title = "Le formulaire contient des erreurs") {
  const byField = new Map();
  for (const { field, message } of errors) byField.set(field, [...(byField.get(field) ?? []), message]);
  for (const [field, messages] of byField) setFieldError(field, messages);
  const targetOf = ({ field, focus }) => focus ?? (field.matches("fieldset") ? field.querySelector("input") : field);
  if (!summary) {
    if (errors[0]) targetOf(errors[0]).focus();
    return;
  }
  summary.replaceChildren(
    h("h2", { class: "ea-error-summary__title", text: `${title} (${errors.length})` }),
    h(
      "ul",
      {},
      errors.map((error) => {
        const target = targetOf(error);
        if (!target.id) target.id = `ea-focus-${Math.random().toString(36).slice(2, 9)}`;
        return h(
          "li",
          {},
          h("a", {
            href: `#${target.id}`,
            text: error.message,
            onclick: (event) => {
              event.preventDefault();
              target.focus();
            },
          }),
        );
      }),
    ),
  );
  summary.hidden = false;
  summary.focus();
}

/** Reads the `fields` of an API error ({name: message | [messages] | {message}}). */
export function apiFieldMessages(fields) {
  const result = {};
  for (const [name, value] of Object.entries(fields ?? {})) {
    if (typeof value === "string") result[name] = value;
    else if (Array.isArray(value)) result[name] = value.map((item) => item?.message ?? item).join(" ");
    else if (value && typeof value === "object") result[name] = value.message ?? "Valeur incorrecte.";
  }
  return result;
}

/**
 * Shows an API error of a form: its `fields` under the inputs that `fieldFor(name)` finds (and
 * in the summary), its French message in `errorBox` (if given), with a retry when it may help.
 * Returns true when some field was marked.
 */
export function showApiError({ error, summary, errorBox, fieldFor, onRetry }) {
  const fieldErrors = Object.entries(apiFieldMessages(error.fields))
    .map(([name, message]) => ({ field: fieldFor(name), message }))
    .filter((item) => item.field);
  if (fieldErrors.length) showFormErrors(summary, fieldErrors);
  if (errorBox) showError(errorBox, error, error.retryable && onRetry ? { onRetry } : {});
  return fieldErrors.length > 0;
}

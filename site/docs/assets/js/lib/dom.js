// Small DOM helpers and shared widgets (states, field errors, payment split, explanations).
// Content is always set as text (never innerHTML) so API data cannot inject markup.

import { brand } from "./config.js";
import { euros, percentFr } from "./format.js";

/** h("p", {class: "x", "aria-live": "polite", onclick: fn}, "text", child) */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") element.className = value;
    else if (key === "text") element.textContent = value;
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key in element && typeof value !== "string") element[key] = value;
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

// ---- states -------------------------------------------------------------------------------

/** Shows a loading text in a live region and marks the region busy. */
export function setLoading(region, status, message) {
  region?.setAttribute("aria-busy", "true");
  if (status) {
    status.textContent = message;
    status.classList.remove("ea-visually-hidden");
  }
}

export function setLoaded(region, status, message = "", { visible = true } = {}) {
  region?.setAttribute("aria-busy", "false");
  if (status) {
    status.textContent = message;
    status.classList.toggle("ea-visually-hidden", !visible);
  }
}

/**
 * Renders an error panel into `container` (a role="alert" region or a mount point), with a
 * "Réessayer" button when a retry makes sense.
 */
export function showError(container, error, { onRetry, retryLabel = "Réessayer" } = {}) {
  const canRetry = onRetry && (error?.retryable ?? true);
  const panel = h(
    "div",
    { class: `ea-notice ${error?.notFound ? "ea-notice--info" : "ea-notice--error"}` },
    h("p", { text: error?.message || "Une erreur inattendue s'est produite. Réessayez." }),
    canRetry
      ? h("button", {
          type: "button",
          class: "ea-button ea-button--secondary",
          text: retryLabel,
          onclick: () => {
            container.replaceChildren();
            onRetry();
          },
        })
      : null,
  );
  container.replaceChildren(panel);
  return panel;
}

// ---- form errors ----------------------------------------------------------------------------

function describedBy(element) {
  return (element.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean);
}

/** Ties an error message to a field (aria-invalid + aria-describedby). */
export function setFieldError(field, message) {
  const target = field;
  const id = `${target.id}-erreur`;
  let node = document.getElementById(id);
  if (!node) {
    node = h("p", { id, class: "ea-field-error" });
    const anchor = target.closest(".ea-field") ?? target;
    if (target.matches("fieldset")) target.append(node);
    else anchor.append(node);
  }
  node.textContent = message;
  const inputs = target.matches("fieldset") ? target.querySelectorAll("input") : [target];
  for (const input of inputs) {
    input.setAttribute("aria-invalid", "true");
    const ids = describedBy(input);
    if (!ids.includes(id)) input.setAttribute("aria-describedby", [...ids, id].join(" "));
  }
}

export function clearFieldError(field) {
  const id = `${field.id}-erreur`;
  document.getElementById(id)?.remove();
  const inputs = field.matches("fieldset") ? field.querySelectorAll("input") : [field];
  for (const input of inputs) {
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
 * `errors` is a list of {field, message}.
 */
export function showFormErrors(summary, errors, title = "Le formulaire contient des erreurs") {
  for (const { field, message } of errors) setFieldError(field, message);
  if (!summary) {
    errors[0]?.field.focus();
    return;
  }
  const count = errors.length;
  summary.replaceChildren(
    h("h2", { class: "ea-error-summary__title", text: `${title} (${count})` }),
    h(
      "ul",
      {},
      errors.map(({ field, message }) => {
        const focusTarget = field.matches("fieldset") ? field.querySelector("input") : field;
        return h(
          "li",
          {},
          h("a", {
            href: `#${focusTarget.id}`,
            text: message,
            onclick: (event) => {
              event.preventDefault();
              focusTarget.focus();
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

// ---- beneficiaries ----------------------------------------------------------------------------

export function beneficiaryName(beneficiary) {
  return [beneficiary.first_name, beneficiary.last_name].filter(Boolean).join(" ");
}

/** Fills a <select> with the member's beneficiaries (keeps a leading "all" option if any). */
export function fillBeneficiarySelect(select, me, selected = "") {
  const keep = [...select.querySelectorAll("option[data-static]")];
  select.replaceChildren(
    ...keep,
    ...(me?.beneficiaries ?? []).map((beneficiary) =>
      h("option", {
        value: beneficiary.id,
        text: beneficiary.relationship_label
          ? `${beneficiaryName(beneficiary)} (${beneficiary.relationship_label.toLowerCase()})`
          : beneficiaryName(beneficiary),
      }),
    ),
  );
  if (selected) select.value = selected;
}

// ---- payment split -------------------------------------------------------------------------

/** Who pays what: a bar (decorative) and a legend with amounts and shares (the real content). */
export function splitFigure(totals, caption) {
  const mutualLabel = brand.name || "Votre mutuelle";
  const parts = [
    { key: "social-security", label: "Sécurité sociale", cents: totals.social_security_cents },
    { key: "mutual", label: mutualLabel, cents: totals.mutual_cents },
    { key: "out-of-pocket", label: "Reste à votre charge", cents: totals.out_of_pocket_cents },
  ].map((part) => ({ ...part, cents: Math.max(Number(part.cents) || 0, 0) }));
  const sum = parts.reduce((total, part) => total + part.cents, 0);
  const total = Math.max(Number(totals.real_cost_cents) || 0, sum) || 1;
  const bar = h(
    "div",
    { class: "ea-split__bar", "aria-hidden": "true" },
    parts
      .filter((part) => part.cents > 0)
      .map((part) => {
        const share = part.cents / total;
        const segment = h(
          "span",
          { class: `ea-split__segment ea-split__segment--${part.key}` },
          share >= 0.14 ? percentFr(share) : "",
        );
        segment.style.width = `${(share * 100).toFixed(2)}%`;
        return segment;
      }),
  );
  const legend = h(
    "ul",
    { class: "ea-split__legend" },
    parts.map((part) =>
      h(
        "li",
        { class: "ea-split__item" },
        h("span", { class: `ea-swatch ea-swatch--${part.key}`, "aria-hidden": "true" }),
        h("span", { class: "ea-split__label", text: part.label }),
        h("strong", { class: "ea-split__amount", text: euros(part.cents) }),
        h("span", { class: "ea-split__share", text: `(${percentFr(part.cents / total)})` }),
      ),
    ),
  );
  return h("figure", { class: "ea-split" }, h("figcaption", { text: caption }), bar, legend);
}

/** The calculation, line by line, each figure with its explanation in plain French. */
export function explanationList(lines) {
  return h(
    "dl",
    { class: "ea-lines" },
    (lines ?? []).map((line) =>
      h(
        "div",
        { class: `ea-lines__row ea-lines__row--${line.key}` },
        h("dt", { class: "ea-lines__label", text: line.label }),
        h("dd", { class: "ea-lines__amount", text: euros(line.amount_cents) }),
        line.explanation ? h("dd", { class: "ea-lines__explanation", text: line.explanation }) : null,
      ),
    ),
  );
}

/** "Payé", "En cours"... as a badge whose text carries the meaning (colour only helps). */
export function statusBadge(status, label) {
  return h("span", { class: `ea-badge ea-badge--${status || "unknown"}`, text: label || status });
}

export function sectorLabel(practitioner) {
  if (!practitioner?.sector) return "";
  const sector =
    Number(practitioner.sector) === 1
      ? "Secteur 1 (tarifs conventionnés, sans dépassement)"
      : "Secteur 2 (dépassements d'honoraires possibles)";
  if (Number(practitioner.sector) !== 2) return sector;
  return `${sector}, ${practitioner.optam ? "adhérent à l'OPTAM" : "non adhérent à l'OPTAM"}`;
}

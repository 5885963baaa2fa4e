// Loading, loaded, empty and error states of a region, announced through its status line.

import { h } from "../lib/dom.js";

/** Shows a loading text in a live region and marks the region busy. */
export function setLoading(region, status, message) {
  region?.setAttribute("aria-busy", "true");
  if (status) {
    status.textContent = message;
    status.classList.remove("ea-visually-hidden", "ea-status--empty");
  }
}

/**
 * Marks the region loaded and says so in its status line. An empty result is said there once,
 * in the look of an empty list (`empty: true`), rather than both there and in the region.
 */
export function setLoaded(region, status, message = "", { visible = true, empty = false } = {}) {
  region?.setAttribute("aria-busy", "false");
  if (status) {
    status.textContent = message;
    status.classList.toggle("ea-visually-hidden", !visible);
    status.classList.toggle("ea-status--empty", empty);
  }
}

/** A hint under an empty list (what to try next): a text or a node such as a link. */
export function emptyHint(hint) {
  if (!hint) return null;
  return hint instanceof Node ? h("p", { class: "ea-empty__hint" }, hint) : h("p", { class: "ea-empty__hint", text: hint });
}

/** The notice's style for an error: what discovery mode stops is a notice, not a failure. */
export function noticeKind(error) {
  if (error?.code === "demo") return "ea-notice--demo";
  return error?.notFound ? "ea-notice--info" : "ea-notice--error";
}

/**
 * Renders an error panel into `container` (a role="alert" region or a mount point), with a
 * "Réessayer" button when a retry makes sense. `error.message` is shown as it is.
 */
export function showError(container, error, { onRetry, retryLabel = "Réessayer" } = {}) {
  const canRetry = onRetry && (error?.retryable ?? true);
  const panel = h(
    "div",
    { class: `ea-notice ${noticeKind(error)}` },
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

/** A short success message in a live region (kept until the next one or clearNotice). */
export function showNotice(container, text, { focus = false } = {}) {
  const notice = h("p", { class: "ea-notice ea-notice--success", tabindex: focus ? "-1" : null, text });
  container.replaceChildren(notice);
  if (focus) notice.focus();
  return notice;
}

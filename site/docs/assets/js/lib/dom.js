// DOM helpers. Content is always set as text (never innerHTML) so API data cannot inject markup.

/**
 * French typography: a non-breaking space before « : ; ! ? » and inside guillemets, so that a
 * narrow screen never starts a line with a colon or leaves a « » » alone.
 */
export function frenchSpaces(text) {
  return String(text).replace(/ +([:;!?»])/g, "\u00a0$1").replace(/« +/g, "«\u00a0");
}

/** h("p", {class: "x", "aria-live": "polite", onclick: fn}, "text", child) */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") element.className = value;
    else if (key === "text") element.textContent = frenchSpaces(value);
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key in element && typeof value !== "string") element[key] = value;
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(frenchSpaces(child)));
  }
  return element;
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

/** An element given by its id, or the element itself (component options accept both). */
export function byId(idOrElement) {
  return typeof idOrElement === "string" ? document.getElementById(idOrElement) : idOrElement ?? null;
}

/**
 * Moves the focus to `element` (made focusable if needed) and brings it to the top of the
 * window, below the sticky header (CSS scroll-margin-top), rather than wherever focus() would.
 */
export function focusAtTop(element) {
  if (!element) return;
  if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
    element.setAttribute("tabindex", "-1");
  }
  element.focus({ preventScroll: true });
  element.scrollIntoView({ block: "start" });
}

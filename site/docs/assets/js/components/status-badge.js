// "Payé", "En cours"... as a badge whose text carries the meaning (colour only helps).

import { h } from "../lib/dom.js";

export function statusBadge(status, label) {
  return h("span", { class: `ea-badge ea-badge--${status || "unknown"}`, text: label || status });
}

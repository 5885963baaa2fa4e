// Label/value pairs (<dl>), leaving out the empty ones.

import { h } from "../lib/dom.js";

/** facts([["Bénéficiaire", "Inès"], ["Prix", node]], {class}) */
export function facts(rows, { class: className = "ea-facts" } = {}) {
  return h(
    "dl",
    { class: className },
    rows
      .filter(([, value]) => value !== "" && value !== null && value !== undefined && value !== false)
      .map(([label, value]) => h("div", {}, h("dt", { text: label }), value instanceof Node ? h("dd", {}, value) : h("dd", { text: value }))),
  );
}

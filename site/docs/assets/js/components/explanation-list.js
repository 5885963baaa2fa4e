// The calculation, line by line, each figure with its explanation in plain French.

import { h } from "../lib/dom.js";
import { euros } from "../lib/formats.js";

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

// Who pays what: a bar (decorative) and a legend with amounts and shares (the real content).

import { brand } from "../lib/config.js";
import { h } from "../lib/dom.js";
import { euros, percentFr } from "../lib/formats.js";

/** `totals` holds real_cost_cents, social_security_cents, mutual_cents, out_of_pocket_cents. */
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

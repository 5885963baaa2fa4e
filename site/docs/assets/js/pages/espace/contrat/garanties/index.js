// « Mes garanties de remboursement »: her formula's table by category, each line with an
// example in euros computed by the engine (the same figures as estimates and payments).

import { memberPage } from "../../../../components/layout.js";
import { setLoaded, setLoading, showError } from "../../../../components/states.js";
import { api } from "../../../../lib/api.js";
import { brand, pagePath } from "../../../../lib/config.js";
import { h } from "../../../../lib/dom.js";
import { dateLongFr, euros } from "../../../../lib/formats.js";

const mount = document.getElementById("guarantees");
const status = document.getElementById("guarantees-status");
const errorBox = document.getElementById("guarantees-error");

function figures(example) {
  const figure = (label, cents, key) =>
    h("div", { class: `ea-figure--${key}` }, h("dt", { text: label }), h("dd", { "data-figure": key, text: euros(cents) }));
  return h("dl", { class: "ea-guarantee__figures" },
    figure("Sécurité sociale", example.social_security_cents, "social-security"),
    figure(brand.name || "Mutuelle", example.mutual_cents, "mutual"),
    figure("Reste à votre charge", example.out_of_pocket_cents, "oop"));
}

function line(item) {
  return h("li", { class: "ea-card ea-guarantee", "data-testid": "guarantee-line", "data-key": item.key },
    h("h3", { text: item.label }),
    h("p", { class: "ea-guarantee__cover", text: item.cover }),
    item.example
      ? h("div", { class: "ea-guarantee__example" },
          h("p", { text: `Exemple : ${item.example.care}` }),
          figures(item.example),
          item.example.cap ? h("p", { class: "ea-guarantee__cap", "data-testid": "guarantee-cap", text: item.example.cap }) : null)
      : null);
}

function render(table) {
  const categories = table.categories ?? [];
  return [
    h("p", { class: "ea-lead" },
      h("strong", { text: `Formule ${table.formula_label}` }), ` : ${table.description}`),
    h("p", { class: "ea-note", text: `Garanties en vigueur au ${dateLongFr(table.on)}. Chaque exemple est calculé comme vos remboursements, pour un adulte qui consulte dans le parcours de soins, sans autre soin dans l'année. Pour un soin précis, demandez une estimation.` }),
    h("p", { class: "ea-links" },
      h("a", { href: pagePath("espace/estimation/"), text: "Demander une estimation" }),
      h("a", { href: pagePath("garanties/"), text: "Comparer avec les autres formules" })),
    h("nav", { "aria-label": "Catégories de soins" },
      h("ul", { class: "ea-chips" }, categories.map((category) =>
        h("li", {}, h("a", { href: `#garanties-${category.key}`, text: category.label }))))),
    ...categories.map((category) =>
      h("section", { class: "ea-section", "aria-labelledby": `garanties-${category.key}`, "data-category": category.key },
        h("h2", { id: `garanties-${category.key}`, text: category.label }),
        h("ul", { class: "ea-guarantees" }, (category.lines ?? []).map(line)))),
  ];
}

async function load() {
  errorBox.replaceChildren();
  setLoading(mount, status, "Chargement de vos garanties…");
  try {
    const table = await api("/contract/guarantees");
    mount.replaceChildren(...render(table));
    setLoaded(mount, status, "Garanties affichées.", { visible: false });
  } catch (error) {
    setLoaded(mount, status, "");
    showError(errorBox, error, { onRetry: load });
  }
}

await memberPage();
load();

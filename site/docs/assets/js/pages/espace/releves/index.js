// « Relevés mensuels »: one statement per month with reimbursements, PDF or CSV.

import { memberPage } from "../../../components/layout.js";
import { pagedList } from "../../../components/paged-list.js";
import { h } from "../../../lib/dom.js";
import { de, euros, plural } from "../../../lib/formats.js";
import { download, FORMAT_NAMES } from "./downloads.js";
import { startPeriod } from "./period.js";

function monthRow(month) {
  const what = `le relevé ${de(month.label)}`;
  const button = (format) =>
    h("button", {
      type: "button",
      class: `ea-button ${format === "pdf" ? "ea-button--primary" : "ea-button--secondary"} ea-button--small`,
      "data-testid": `statement-download-${format}`,
      onclick: (event) =>
        download({ from: month.period_start, to: month.period_end, format, what, button: event.currentTarget, place: "months" })
          .catch(() => {
            // Shown in the page's error region.
          }),
    },
    FORMAT_NAMES[format],
    h("span", { class: "ea-visually-hidden", text: ` : relevé ${de(month.label)}` }));
  return h("li", { class: "ea-card ea-month", "data-testid": "statement-row", "data-tour": "statement-month" },
    h("div", { class: "ea-month__text" },
      h("h3", { class: "ea-month__label", text: month.label }),
      h("p", { class: "ea-month__facts", text: `${plural(Number(month.lines_count) || 0, "remboursement", "remboursements")} · ${euros(month.mutual_cents)} versés par la mutuelle` })),
    h("div", { class: "ea-month__actions", role: "group", "aria-label": `Télécharger le relevé ${de(month.label)}` }, button("pdf"), button("csv")));
}

const months = pagedList({
  list: "months-list",
  status: "months-status",
  error: "months-error",
  more: "months-more",
  path: "/claims/statements",
  item: '[data-testid="statement-row"]',
  render: (items) => h("ul", { class: "ea-cards ea-months", "aria-label": "Relevés mensuels" }, items.map(monthRow)),
  noun: ["relevé mensuel", "relevés mensuels"],
  shown: ["affiché", "affichés"],
  empty: () => ({ message: "Aucun relevé pour l'instant : ils apparaissent ici dès votre premier remboursement.", hint: "" }),
  loading: "Chargement de vos relevés…",
});

await memberPage();
startPeriod();
months.reload();

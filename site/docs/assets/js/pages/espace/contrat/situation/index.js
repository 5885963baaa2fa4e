// « Vérifier ma situation »: the year's contributions (paid, to come, late), and paying the
// late ones by card on the provider's hosted page. Back from that page (?paiement=<id>), the
// result is read from the API, never from the address.

import { clearErrorsOnInput, clearFormErrors, showFormErrors } from "../../../../components/form.js";
import { memberPage } from "../../../../components/layout.js";
import { setLoaded, setLoading, showError } from "../../../../components/states.js";
import { api } from "../../../../lib/api.js";
import { h } from "../../../../lib/dom.js";
import { idempotencyKeeper } from "../../../../lib/idempotency.js";
import { dateFr, euros, plural } from "../../../../lib/formats.js";
import { followPayment } from "../../../../components/payment-follow.js";

const summary = document.getElementById("situation-summary");
const status = document.getElementById("situation-status");
const errorBox = document.getElementById("situation-error");
const schedule = document.getElementById("schedule");
const lateSection = document.getElementById("late-section");
const lateList = document.getElementById("late-list");
const form = document.getElementById("pay-form");
const formErrors = document.getElementById("pay-errors");
const periodsField = document.getElementById("pay-periods");
const total = document.getElementById("pay-total");
const payButton = document.getElementById("pay-button");
const payStatus = document.getElementById("pay-status");
const payError = document.getElementById("pay-error");
const keys = idempotencyKeeper();
clearErrorsOnInput(form);

const capitalized = (text) => (text ? text[0].toUpperCase() + text.slice(1) : "");

function badge(row) {
  return h("span", { class: `ea-badge ea-badge--${row.status}`, text: row.status_label });
}

function renderSummary(data) {
  const year = data.year;
  const fact = (label, cents, modifier = "") =>
    h("div", { class: `ea-pay-summary__fact${modifier}` }, h("dt", { text: label }), h("dd", { text: euros(cents) }));
  summary.replaceChildren(
    h("dl", { class: "ea-pay-summary__list" },
      fact(`Cotisations ${year}`, data.year_total_cents),
      fact("Déjà réglé", data.paid_cents),
      fact("À venir", data.due_cents),
      fact("En retard", data.late_cents, data.late_cents > 0 ? " ea-pay-summary__fact--late" : "")),
  );
}

function renderSchedule(rows) {
  // The schedule reads in date order; late rows stand out by their badge and their colour.
  // Three columns, secondary facts under the main ones: it fits a phone without scrolling.
  const ordered = [...rows].sort((a, b) => a.due_date.localeCompare(b.due_date));
  schedule.replaceChildren(
    h("div", { class: "ea-table-wrap" },
      h("table", { class: "ea-table ea-pay-table" },
        h("caption", { text: "Vos échéances, de la plus ancienne à la plus récente" }),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col", text: "Échéance" }),
          h("th", { scope: "col", class: "ea-num", text: "Montant" }),
          h("th", { scope: "col", text: "État" }))),
        h("tbody", {}, ordered.map((row) =>
          h("tr", { class: row.status === "late" ? "ea-pay-row--late" : null, "data-testid": "instalment-row", "data-status": row.status, "data-period": row.id },
            h("th", { scope: "row" }, capitalized(row.label),
              h("span", { class: "ea-pay-table__more", text: `due le ${dateFr(row.due_date)}` })),
            h("td", { class: "ea-num", text: euros(row.amount_cents) }),
            h("td", {}, badge(row),
              row.paid_on ? h("span", { class: "ea-pay-table__more", text: `le ${dateFr(row.paid_on)}` }) : null))))),
    ),
  );
  schedule.setAttribute("aria-busy", "false");
}

function chosen() {
  return [...lateList.querySelectorAll('input[type="checkbox"]:checked')];
}

function updateTotal() {
  const boxes = chosen();
  const cents = boxes.reduce((sum, box) => sum + Number(box.dataset.amount), 0);
  total.textContent = boxes.length
    ? `Total à régler : ${euros(cents)} (${plural(boxes.length, "échéance", "échéances")}).`
    : "Aucune échéance choisie.";
  payButton.textContent = boxes.length ? `Payer ${euros(cents)} par carte bancaire` : "Payer par carte bancaire";
  return cents;
}

function renderLate(rows) {
  const late = rows.filter((row) => row.status === "late");
  lateSection.hidden = late.length === 0;
  lateList.replaceChildren(...late.map((row) =>
    h("div", { class: "ea-choice" },
      h("input", { type: "checkbox", id: `late-${row.id}`, name: "period", value: row.id, checked: true, dataset: { amount: String(row.amount_cents) }, onchange: updateTotal }),
      h("label", { for: `late-${row.id}` },
        h("strong", { text: capitalized(row.label) }),
        h("span", { class: "ea-choice__detail", text: ` : ${euros(row.amount_cents)}, due le ${dateFr(row.due_date)}` })))));
  updateTotal();
}

export async function loadSituation() {
  errorBox.replaceChildren();
  setLoading(summary, status, "Chargement de vos cotisations…");
  try {
    const data = await api("/contract/contributions");
    const rows = data?.instalments ?? [];
    renderSummary(data);
    renderLate(rows);
    renderSchedule(rows);
    const late = rows.filter((row) => row.status === "late").length;
    setLoaded(summary, status, late === 0
      ? "Vos cotisations sont à jour."
      : late === 1
        ? "1 échéance est en retard : vous pouvez la régler ci-dessous."
        : `${late} échéances sont en retard : vous pouvez les régler ci-dessous.`);
  } catch (error) {
    summary.replaceChildren();
    schedule.replaceChildren();
    schedule.setAttribute("aria-busy", "false");
    setLoaded(summary, status, "");
    showError(errorBox, error, { onRetry: loadSituation });
  }
}

/** A refusal that comes from a page opened before a change (already paid, new total). */
function showConflict(error) {
  payError.replaceChildren(h("div", { class: "ea-notice ea-notice--error" },
    h("p", { text: error.message }),
    h("button", { type: "button", class: "ea-button ea-button--secondary", text: "Actualiser ma situation", onclick: () => { payError.replaceChildren(); loadSituation(); } })));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearFormErrors(form, formErrors);
  payError.replaceChildren();
  const boxes = chosen();
  if (!boxes.length) {
    showFormErrors(formErrors, [{ field: periodsField, message: "Cochez au moins une échéance à régler." }]);
    return;
  }
  const body = { periods: boxes.map((box) => box.value), amount_cents: updateTotal() };
  payButton.disabled = true;
  payStatus.textContent = "Ouverture de la page de paiement sécurisée…";
  try {
    const payment = await api("/contract/payments", { method: "POST", body, idempotencyKey: keys.keyFor(body) });
    const target = new URL(payment?.checkout_url ?? "", location.href);
    if (!/^https?:$/.test(target.protocol)) throw new Error("checkout");
    location.assign(target.href);
  } catch (error) {
    payStatus.textContent = "";
    payButton.disabled = false;
    keys.reset();
    if (error?.status === 409) showConflict(error);
    else showError(payError, error);
  }
});

// Back from the provider's page, the browser may restore this page from its cache: read the
// situation again rather than show what it was before paying.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) {
    payButton.disabled = false;
    payStatus.textContent = "";
    loadSituation();
  }
});

await memberPage();
const paymentId = new URLSearchParams(location.search).get("paiement");
loadSituation();
if (paymentId) followPayment(paymentId, document.getElementById("payment-result"), { onSettled: loadSituation });

// "Mes relevés de prestations": monthly statements (PDF/CSV each) and a statement for any
// period and beneficiaries. Each download asks the API for a short-lived link, then opens it.

import { api, getPage } from "./api.js";
import { dateFr, euros, isIsoDate, todayIso } from "./format.js";
import { getMe, memberPage } from "./layout.js";
import {
  clearErrorsOnInput,
  beneficiaryName,
  clearFormErrors,
  h,
  setLoaded,
  setLoading,
  showError,
  showFormErrors,
} from "./ui.js";

const FORMAT_NAMES = { pdf: "PDF", csv: "CSV" };

/** Asks for an export and starts the download; keeps a visible link in case it is blocked. */
async function download({ from, to, beneficiaryIds = [], format, what, button, place }) {
  const downloadStatus = document.getElementById(`${place}-download-status`);
  const downloadError = document.getElementById(`${place}-download-error`);
  downloadError.replaceChildren();
  if (button) button.disabled = true;
  downloadStatus.textContent = `Préparation de ${what} en ${FORMAT_NAMES[format]}…`;
  try {
    const file = await api("/claims/statements/exports", {
      method: "POST",
      body: { from, to, beneficiary_ids: beneficiaryIds, format },
    });
    const link = h("a", { href: file.url, download: file.filename || "", text: `Télécharger ${file.filename || "le fichier"}` });
    downloadStatus.replaceChildren(
      `${what[0].toUpperCase()}${what.slice(1)} en ${FORMAT_NAMES[format]} est prêt : le téléchargement commence. S'il ne démarre pas, utilisez ce lien (valable quelques minutes) : `,
      link,
    );
    link.click();
  } catch (error) {
    downloadStatus.textContent = "";
    showError(downloadError, error, { onRetry: () => download({ from, to, beneficiaryIds, format, what, button, place }) });
  } finally {
    if (button) button.disabled = false;
  }
}

// ---- monthly statements ---------------------------------------------------------------

const monthsList = document.getElementById("months-list");
const monthsStatus = document.getElementById("months-status");
const monthsError = document.getElementById("months-error");
const monthsMore = document.getElementById("months-more");
const months = { items: [], next: null };

/** "de octobre 2026" -> "d'octobre 2026" (French elision before a vowel). */
function ofMonth(label) {
  return /^[aeiouyàâéèêîôû]/i.test(label) ? `d'${label}` : `de ${label}`;
}

function monthRow(month) {
  const what = `le relevé ${ofMonth(month.label)}`;
  const button = (format) =>
    h(
      "button",
      {
        type: "button",
        class: `ea-button ${format === "pdf" ? "ea-button--primary" : "ea-button--secondary"} ea-button--small`,
        "data-testid": `statement-download-${format}`,
        onclick: (event) =>
          download({ from: month.period_start, to: month.period_end, format, what, button: event.currentTarget, place: "months" }),
      },
      FORMAT_NAMES[format],
      h("span", { class: "ea-visually-hidden", text: ` : relevé ${ofMonth(month.label)}` }),
    );
  const count = Number(month.lines_count) || 0;
  return h(
    "li",
    { class: "ea-card ea-month", "data-testid": "statement-row" },
    h("div", { class: "ea-month__text" },
      h("h3", { class: "ea-month__label", text: month.label }),
      h("p", { class: "ea-month__facts", text: `${count} remboursement${count > 1 ? "s" : ""} · ${euros(month.mutual_cents)} versés par la mutuelle` })),
    h("div", { class: "ea-month__actions", role: "group", "aria-label": `Télécharger le relevé ${ofMonth(month.label)}` }, button("pdf"), button("csv")),
  );
}

async function loadMonths(append = false) {
  monthsError.replaceChildren();
  monthsMore.disabled = true;
  setLoading(monthsList, monthsStatus, "Chargement de vos relevés…");
  try {
    const page = await getPage("/claims/statements", { cursor: append ? months.next : undefined });
    const firstNew = append ? months.items.length : -1;
    months.items = append ? [...months.items, ...page.items] : page.items;
    months.next = page.next;
    monthsList.replaceChildren(
      months.items.length
        ? h("ul", { class: "ea-cards ea-months", "aria-label": "Relevés mensuels" }, months.items.map(monthRow))
        : h("p", { class: "ea-empty", text: "Aucun relevé pour l'instant : ils apparaissent ici dès votre premier remboursement." }),
    );
    monthsMore.hidden = !months.next;
    if (firstNew >= 0) monthsList.querySelectorAll(".ea-month")[firstNew]?.querySelector("button")?.focus();
    const count = months.items.length;
    setLoaded(monthsList, monthsStatus, count ? `${count} relevé${count > 1 ? "s" : ""} mensuel${count > 1 ? "s" : ""} affiché${count > 1 ? "s" : ""}.` : "");
  } catch (error) {
    setLoaded(monthsList, monthsStatus, "");
    showError(monthsError, error, { onRetry: () => loadMonths(append) });
  } finally {
    monthsMore.disabled = false;
  }
}

monthsMore.addEventListener("click", () => months.next && loadMonths(true));

// ---- statement for a period ---------------------------------------------------------------

const periodForm = document.getElementById("period-form");
const periodErrors = document.getElementById("period-errors");
const periodFrom = document.getElementById("period-from");
const periodTo = document.getElementById("period-to");
const beneficiariesFieldset = document.getElementById("period-beneficiaries");
const beneficiariesMount = document.getElementById("period-beneficiary-list");
clearErrorsOnInput(periodForm);

function fillBeneficiaries(me) {
  beneficiariesMount.replaceChildren(
    ...(me?.beneficiaries ?? []).map((beneficiary) =>
      h("div", { class: "ea-choice" },
        h("input", { type: "checkbox", id: `period-beneficiary-${beneficiary.id}`, value: beneficiary.id, checked: true, name: "beneficiary" }),
        h("label", { for: `period-beneficiary-${beneficiary.id}` }, beneficiaryName(beneficiary),
          beneficiary.relationship_label ? h("span", { class: "ea-choice__detail", text: ` (${beneficiary.relationship_label.toLowerCase()})` }) : null)),
    ),
  );
}

periodForm.addEventListener("submit", (event) => {
  event.preventDefault();
  clearFormErrors(periodForm, periodErrors);
  const format = event.submitter?.value === "csv" ? "csv" : "pdf";
  const errors = [];
  const from = periodFrom.value;
  const to = periodTo.value;
  if (!isIsoDate(from)) errors.push({ field: periodFrom, message: "Indiquez la date de début de la période." });
  if (!isIsoDate(to)) errors.push({ field: periodTo, message: "Indiquez la date de fin de la période." });
  if (isIsoDate(from) && isIsoDate(to) && from > to) errors.push({ field: periodTo, message: "La date de fin doit être après la date de début." });
  const boxes = [...beneficiariesFieldset.querySelectorAll('input[type="checkbox"]')];
  const chosen = boxes.filter((box) => box.checked).map((box) => box.value);
  if (boxes.length && !chosen.length) errors.push({ field: beneficiariesFieldset, message: "Cochez au moins un bénéficiaire." });
  if (errors.length) {
    showFormErrors(periodErrors, errors);
    return;
  }
  // Every beneficiary ticked: send the empty list, which the API reads as "all".
  const beneficiaryIds = chosen.length === boxes.length ? [] : chosen;
  download({
    from,
    to,
    beneficiaryIds,
    format,
    what: `le relevé du ${dateFr(from)} au ${dateFr(to)}`,
    button: event.submitter,
    place: "period",
  });
});

// ---- start --------------------------------------------------------------------------

await memberPage();
const today = todayIso();
periodFrom.value = `${today.slice(0, 4)}-01-01`;
periodTo.value = today;
loadMonths();
try {
  fillBeneficiaries(await getMe());
} catch (error) {
  beneficiariesMount.replaceChildren(h("p", { class: "ea-hint", text: "La liste des bénéficiaires n'a pas pu être chargée : le relevé portera sur tous les bénéficiaires." }));
}

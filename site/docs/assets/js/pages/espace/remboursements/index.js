// « Mes remboursements »: the reimbursements, filtered by period and beneficiary, a page at a
// time (a table on a computer, cards on a phone).

import { fillBeneficiarySelect } from "../../../components/beneficiary-select.js";
import { clearErrorsOnInput, clearFormErrors, setFieldError } from "../../../components/form.js";
import { memberPage } from "../../../components/layout.js";
import { pagedList } from "../../../components/paged-list.js";
import { statusBadge } from "../../../components/status-badge.js";
import { pagePath } from "../../../lib/config.js";
import { h } from "../../../lib/dom.js";
import { api, getPage } from "../../../lib/api.js";
import { newIdempotencyKey } from "../../../lib/idempotency.js";
import { dateFr, de, euros, isIsoDate, plural } from "../../../lib/formats.js";
import { beneficiaryName, getMe } from "../../../lib/me.js";
import { startCounters } from "./counters.js";
import { showOverpayments } from "./overpayments.js";

const phone = matchMedia("(max-width: 760px)");
const form = document.getElementById("claims-filters");
const filtersPanel = document.getElementById("claims-filters-panel");
const filtersActive = document.getElementById("claims-filters-active");
const fromInput = document.getElementById("filter-from");
const toInput = document.getElementById("filter-to");
const beneficiarySelect = document.getElementById("filter-beneficiary");

let filters = readFiltersFromUrl();
let me = null;
let meReady = null;

function readFiltersFromUrl() {
  const params = new URLSearchParams(location.search);
  const from = params.get("du") ?? "";
  const to = params.get("au") ?? "";
  return { from: isIsoDate(from) ? from : "", to: isIsoDate(to) ? to : "", beneficiary: params.get("beneficiaire") ?? "" };
}

function writeFiltersToUrl() {
  const url = new URL(location.href);
  for (const [key, value] of [["du", filters.from], ["au", filters.to], ["beneficiaire", filters.beneficiary]]) {
    if (value) url.searchParams.set(key, value);
    else url.searchParams.delete(key);
  }
  history.replaceState(null, "", url);
}

/** On a phone the filters fold away, so the reimbursements come first; they stay open when
 * some are in use, and their summary says how many. */
function showFilterState() {
  const count = [filters.from || filters.to, filters.beneficiary].filter(Boolean).length;
  filtersActive.textContent = count ? `(${plural(count, "actif", "actifs")})` : "";
  if (count) filtersPanel.open = true;
}

function periodText() {
  const { from, to } = filters;
  if (from && to) return ` du ${dateFr(from)} au ${dateFr(to)}`;
  if (from) return ` à partir du ${dateFr(from)}`;
  if (to) return ` jusqu'au ${dateFr(to)}`;
  return "";
}

/** The chosen beneficiary's name ("" for all of them, or while it is not known yet). */
function whose() {
  if (!filters.beneficiary) return "";
  return beneficiaryName(me?.beneficiaries?.find((item) => item.id === filters.beneficiary));
}

function listName() {
  const name = whose();
  return `Remboursements${name ? ` ${de(name)}` : ""}${periodText()}`;
}

const claimUrl = (claim) => pagePath("espace/remboursements/decompte/", { id: claim.id });

function rowLink(claim, className) {
  return [
    h("a", { href: claimUrl(claim), class: className }, claim.act_label,
      h("span", { class: "ea-visually-hidden", text: ` du ${dateFr(claim.care_date)} : voir le décompte` })),
    // Until she has seen it: a word, not a colour.
    claim.new ? h("span", { class: "ea-badge ea-badge--new", "data-testid": "claim-new", text: "Nouveau" }) : null,
  ];
}

const newPanel = document.getElementById("claims-new");
const markSeen = document.getElementById("claims-mark-seen");
const newText = document.getElementById("claims-new-text");

/** « Marquer comme vus » shows while a listed payment is new. */
function showNewPanel() {
  const count = document.querySelectorAll('[data-testid="claim-new"]').length;
  if (count) newPanel.hidden = false;
}

markSeen.addEventListener("click", async () => {
  markSeen.disabled = true;
  try {
    await api("/claims/notices/seen", { method: "POST", body: {}, idempotencyKey: newIdempotencyKey() });
    newPanel.hidden = true;
    document.getElementById("claims-status").textContent = "Vos nouveaux remboursements sont marqués comme vus.";
    for (const badge of document.querySelectorAll('[data-testid="claim-new"]')) badge.remove();
  } catch (error) {
    newText.textContent = `${error.message ?? "Le marquage n'a pas pu être enregistré."} Réessayez dans un instant.`;
  } finally {
    markSeen.disabled = false;
  }
});

/** What the mutuelle paid and, when it paid nothing, who did: « 0,00 € » alone read as
 * nothing paid at all. */
function paid(claim) {
  return [euros(claim.mutual_cents), claim.payer_note ? h("span", { class: "ea-payer-note", "data-testid": "claim-payer", text: claim.payer_note }) : null];
}

function renderTable(items) {
  return h(
    "div",
    // Focusable so that keyboard users can scroll it if the window is narrow.
    { class: "ea-table-wrap", tabindex: "0", role: "region", "aria-label": "Liste des remboursements" },
    h(
      "table",
      { class: "ea-table", "data-testid": "claims-table" },
      h("caption", { text: `${listName()}, du plus récent au plus ancien` }),
      h("thead", {}, h("tr", {},
        h("th", { scope: "col", text: "Date des soins" }),
        h("th", { scope: "col", text: "Bénéficiaire" }),
        h("th", { scope: "col", text: "Soin" }),
        h("th", { scope: "col", class: "ea-num", text: "Payé par la mutuelle" }),
        h("th", { scope: "col", text: "Statut" }))),
      h("tbody", {}, items.map((claim) =>
        h("tr", { "data-testid": "claim-row", "data-tour": "claim-row", "data-id": claim.id },
          h("td", { text: dateFr(claim.care_date) }),
          h("td", { text: claim.beneficiary_name }),
          h("td", {}, rowLink(claim, "ea-row-link")),
          h("td", { class: "ea-num" }, paid(claim)),
          h("td", {}, statusBadge(claim.status, claim.status_label))))),
    ),
  );
}

function renderCards(items) {
  return h(
    "ul",
    { class: "ea-cards", "data-testid": "claims-table", "aria-label": listName() },
    items.map((claim) =>
      h("li", { class: "ea-card ea-card--link", "data-testid": "claim-row", "data-tour": "claim-row", "data-id": claim.id },
        h("p", { class: "ea-card__title" }, rowLink(claim, "ea-row-link ea-card__link")),
        h("dl", { class: "ea-card__facts" },
          h("div", {}, h("dt", { text: "Date des soins" }), h("dd", { text: dateFr(claim.care_date) })),
          h("div", {}, h("dt", { text: "Bénéficiaire" }), h("dd", { text: claim.beneficiary_name })),
          h("div", {}, h("dt", { text: "Payé par la mutuelle" }), h("dd", { class: "ea-amount" }, paid(claim))),
          h("div", {}, h("dt", { text: "Statut" }), h("dd", {}, statusBadge(claim.status, claim.status_label)))))),
  );
}

const claims = pagedList({
  list: "claims-list",
  status: "claims-status",
  error: "claims-error",
  more: "claims-more",
  // The list names the chosen beneficiary: know the beneficiaries before a page shows.
  fetchPage: async (cursor) => {
    const query = { from: filters.from, to: filters.to, beneficiary: filters.beneficiary, limit: 20 };
    const [page] = await Promise.all([getPage("/claims", { query, cursor }), meReady]);
    return page;
  },
  item: '[data-testid="claim-row"]',
  render: (items) => {
    queueMicrotask(showNewPanel);
    return phone.matches ? renderCards(items) : renderTable(items);
  },
  noun: ["remboursement", "remboursements"],
  shown: ["affiché", "affichés"],
  suffix: () => `${whose() ? ` pour ${whose()}` : ""}${periodText()}`,
  empty: () => {
    const name = whose();
    const filtered = Boolean(filters.from || filters.to || filters.beneficiary);
    const hints = [filters.from || filters.to ? "élargissez la période" : "", name ? "choisissez « Tous les bénéficiaires »" : ""].filter(Boolean);
    return {
      message: filtered
        ? `Aucun remboursement${name ? ` pour ${name}` : ""}${periodText()}.`
        : "Aucun remboursement pour l'instant : ils s'afficheront ici dès le premier soin remboursé.",
      hint: hints.length ? `${hints.join(" ou ").replace(/^./, (first) => first.toUpperCase())}.` : "",
    };
  },
  loading: "Chargement de vos remboursements…",
  loadingMore: "Chargement des remboursements suivants…",
});

function applyFilters(event) {
  event.preventDefault();
  clearFormErrors(form);
  const chosen = { from: fromInput.value, to: toInput.value, beneficiary: beneficiarySelect.value };
  if (chosen.from && chosen.to && chosen.from > chosen.to) {
    setFieldError(toInput, "La date de fin doit être après la date de début.");
    toInput.focus();
    return;
  }
  filters = chosen;
  writeFiltersToUrl();
  showFilterState();
  claims.reload();
}

await memberPage();
startCounters();

fromInput.value = filters.from;
toInput.value = filters.to;
clearErrorsOnInput(form);
form.addEventListener("submit", applyFilters);
form.addEventListener("reset", () => {
  clearFormErrors(form);
  filters = { from: "", to: "", beneficiary: "" };
  writeFiltersToUrl();
  showFilterState();
  claims.reload();
});
phone.addEventListener("change", () => claims.rerender());
filtersPanel.open = !phone.matches;
showFilterState();

meReady = getMe().then(
  (loaded) => {
    me = loaded;
    fillBeneficiarySelect(beneficiarySelect, me, filters.beneficiary);
  },
  () => {
    // The list still works for every beneficiary, without naming them.
  },
);
claims.reload();
showOverpayments();

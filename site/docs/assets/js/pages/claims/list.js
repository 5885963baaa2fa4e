// "Mes remboursements": filtered list with cursor pagination (table on a computer, cards on
// a phone) and the yearly counters per beneficiary.

import { getPage, api } from "./api.js";
import { siteUrl } from "./config.js";
import { dateFr, euros, isIsoDate, todayIso } from "./format.js";
import { getMe, memberPage } from "./layout.js";
import {
  clearErrorsOnInput,
  clearFormErrors,
  fillBeneficiarySelect,
  h,
  setFieldError,
  setLoaded,
  setLoading,
  showError,
  statusBadge,
} from "./ui.js";

const PAGE_SIZE = 20;
const phone = matchMedia("(max-width: 760px)");

const form = document.getElementById("claims-filters");
const filtersPanel = document.getElementById("claims-filters-panel");
const filtersActive = document.getElementById("claims-filters-active");
const fromInput = document.getElementById("filter-from");
const toInput = document.getElementById("filter-to");
const beneficiarySelect = document.getElementById("filter-beneficiary");
const list = document.getElementById("claims-list");
const status = document.getElementById("claims-status");
const errorBox = document.getElementById("claims-error");
const moreButton = document.getElementById("claims-more");

const state = { filters: {}, items: [], next: null, loading: false, request: 0 };
clearErrorsOnInput(form);

function readFiltersFromUrl() {
  const params = new URLSearchParams(location.search);
  const filters = {
    from: params.get("du") ?? "",
    to: params.get("au") ?? "",
    beneficiary: params.get("beneficiaire") ?? "",
  };
  if (!isIsoDate(filters.from)) filters.from = "";
  if (!isIsoDate(filters.to)) filters.to = "";
  return filters;
}

function writeFiltersToUrl(filters) {
  const url = new URL(location.href);
  for (const [key, value] of [["du", filters.from], ["au", filters.to], ["beneficiaire", filters.beneficiary]]) {
    if (value) url.searchParams.set(key, value);
    else url.searchParams.delete(key);
  }
  history.replaceState(null, "", url);
}

/** On a phone the filters fold away, so the reimbursements come first; they stay open when
 * some are in use, and their summary says how many. */
function showFilterState(filters) {
  const count = [filters.from || filters.to, filters.beneficiary].filter(Boolean).length;
  filtersActive.textContent = count ? `(${count} actif${count > 1 ? "s" : ""})` : "";
  if (count) filtersPanel.open = true;
}

function claimUrl(claim) {
  const url = siteUrl("espace/remboursements/decompte/");
  url.searchParams.set("id", claim.id);
  return url.pathname + url.search;
}

function periodText() {
  const { from, to } = state.filters;
  if (from && to) return ` du ${dateFr(from)} au ${dateFr(to)}`;
  if (from) return ` à partir du ${dateFr(from)}`;
  if (to) return ` jusqu'au ${dateFr(to)}`;
  return "";
}

function renderTable(items) {
  return h(
    "div",
    // Focusable so that keyboard users can scroll it if the window is narrow.
    { class: "ea-table-wrap", tabindex: "0", role: "region", "aria-label": "Liste des remboursements" },
    h(
      "table",
      { class: "ea-table", "data-testid": "claims-table" },
      h("caption", { text: `Remboursements${periodText()}, du plus récent au plus ancien` }),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col", text: "Date des soins" }),
          h("th", { scope: "col", text: "Bénéficiaire" }),
          h("th", { scope: "col", text: "Soin" }),
          h("th", { scope: "col", class: "ea-num", text: "Payé par la mutuelle" }),
          h("th", { scope: "col", text: "Statut" }),
        ),
      ),
      h(
        "tbody",
        {},
        items.map((claim) =>
          h(
            "tr",
            { "data-testid": "claim-row", "data-id": claim.id },
            h("td", { text: dateFr(claim.care_date) }),
            h("td", { text: claim.beneficiary_name }),
            h(
              "td",
              {},
              h("a", { href: claimUrl(claim), class: "ea-row-link" }, claim.act_label,
                h("span", { class: "ea-visually-hidden", text: ` du ${dateFr(claim.care_date)} : voir le décompte` })),
            ),
            h("td", { class: "ea-num", text: euros(claim.mutual_cents) }),
            h("td", {}, statusBadge(claim.status, claim.status_label)),
          ),
        ),
      ),
    ),
  );
}

function renderCards(items) {
  return h(
    "ul",
    { class: "ea-cards", "data-testid": "claims-table", "aria-label": `Remboursements${periodText()}` },
    items.map((claim) =>
      h(
        "li",
        { class: "ea-card ea-card--link", "data-testid": "claim-row", "data-id": claim.id },
        h("p", { class: "ea-card__title" },
          h("a", { href: claimUrl(claim), class: "ea-row-link ea-card__link" }, claim.act_label,
            h("span", { class: "ea-visually-hidden", text: ` du ${dateFr(claim.care_date)} : voir le décompte` }))),
        h(
          "dl",
          { class: "ea-card__facts" },
          h("div", {}, h("dt", { text: "Date des soins" }), h("dd", { text: dateFr(claim.care_date) })),
          h("div", {}, h("dt", { text: "Bénéficiaire" }), h("dd", { text: claim.beneficiary_name })),
          h("div", {}, h("dt", { text: "Payé par la mutuelle" }), h("dd", { class: "ea-amount", text: euros(claim.mutual_cents) })),
          h("div", {}, h("dt", { text: "Statut" }), h("dd", {}, statusBadge(claim.status, claim.status_label))),
        ),
      ),
    ),
  );
}

function render(focusFrom = -1) {
  if (!state.items.length) {
    list.replaceChildren(
      h("p", { class: "ea-empty", text: `Aucun remboursement sur cette période.` }),
      h("p", { class: "ea-empty__hint", text: "Élargissez la période ou choisissez « Tous les bénéficiaires »." }),
    );
  } else {
    list.replaceChildren(phone.matches ? renderCards(state.items) : renderTable(state.items));
  }
  moreButton.hidden = !state.next;
  if (focusFrom >= 0) list.querySelectorAll(".ea-row-link")[focusFrom]?.focus();
}

async function load({ append = false } = {}) {
  const request = ++state.request;
  state.loading = true;
  errorBox.replaceChildren();
  moreButton.disabled = true;
  setLoading(list, status, append ? "Chargement des remboursements suivants…" : "Chargement de vos remboursements…");
  if (!append) {
    state.items = [];
    state.next = null;
  }
  try {
    const { from, to, beneficiary } = state.filters;
    const page = await getPage("/claims", {
      query: { from, to, beneficiary, limit: PAGE_SIZE },
      cursor: append ? state.next : undefined,
    });
    if (request !== state.request) return;
    const firstNew = state.items.length;
    state.items = append ? [...state.items, ...page.items] : page.items;
    state.next = page.next;
    render(append ? firstNew : -1);
    fillBeneficiaries();
    const count = state.items.length;
    let message = count
      ? `${count} remboursement${count > 1 ? "s" : ""} affiché${count > 1 ? "s" : ""}${periodText()}.`
      : "Aucun remboursement sur cette période.";
    if (append) message = `${page.items.length} remboursement${page.items.length > 1 ? "s" : ""} de plus. ${message}`;
    setLoaded(list, status, message);
  } catch (error) {
    if (request !== state.request) return;
    setLoaded(list, status, "");
    if (!append) list.replaceChildren();
    showError(errorBox, error, { onRetry: () => load({ append }) });
    moreButton.hidden = !state.next;
  } finally {
    if (request === state.request) {
      state.loading = false;
      moreButton.disabled = false;
    }
  }
}

/** Fills the beneficiary filter once /members/me answers (tried again after each load). */
function fillBeneficiaries() {
  if (beneficiarySelect.options.length > 1) return;
  getMe()
    .then((me) => fillBeneficiarySelect(beneficiarySelect, me, state.filters.beneficiary))
    .catch(() => {
      // The list still works for every beneficiary.
    });
}

function applyFilters(event) {
  event.preventDefault();
  clearFormErrors(form);
  const filters = { from: fromInput.value, to: toInput.value, beneficiary: beneficiarySelect.value };
  if (filters.from && filters.to && filters.from > filters.to) {
    setFieldError(toInput, "La date de fin doit être après la date de début.");
    toInput.focus();
    return;
  }
  state.filters = filters;
  writeFiltersToUrl(filters);
  showFilterState(filters);
  load();
}

// ---- counters ---------------------------------------------------------------------------

const yearSelect = document.getElementById("counters-year");
const counters = document.getElementById("counters");
const countersStatus = document.getElementById("counters-status");
const countersError = document.getElementById("counters-error");

function gauge(usedCents, limitCents) {
  const bar = h("span", { class: "ea-gauge__fill" });
  const ratio = limitCents > 0 ? Math.min(usedCents / limitCents, 1) : 0;
  bar.style.width = `${(ratio * 100).toFixed(1)}%`;
  return h("div", { class: `ea-gauge${ratio >= 1 ? " ea-gauge--full" : ""}`, "aria-hidden": "true" }, bar);
}

function capBlock(title, counter, what) {
  const paid = Number(counter?.paid_cents) || 0;
  const cap = Number(counter?.cap_cents) || 0;
  const text =
    cap && paid >= cap
      ? `Plafond de ${euros(cap)} atteint : plus aucune ${what} ne sera retenue cette année.`
      : `${euros(paid)} retenus sur un plafond de ${euros(cap)}. Encore ${euros(Math.max(cap - paid, 0))} avant le plafond.`;
  return h("div", { class: "ea-cap" }, h("h4", { text: title }), gauge(paid, cap), h("p", { class: "ea-cap__text", text }));
}

function nextDate(iso) {
  if (!iso) return "Pas de délai d'attente en cours.";
  if (iso <= todayIso()) return "Remboursable dès maintenant.";
  return `Remboursable à partir du ${dateFr(iso)}.`;
}

function renderCounter(counter) {
  const headingId = `counter-${counter.id}`;
  const forfaits = counter.forfaits ?? [];
  return h(
    "article",
    { class: "ea-card ea-counter", "aria-labelledby": headingId },
    h("h3", { id: headingId, text: counter.beneficiary_name }),
    capBlock("Participations forfaitaires", counter.participation, "participation"),
    capBlock("Franchises médicales", counter.franchises, "franchise"),
    forfaits.length
      ? h(
          "div",
          { class: "ea-forfaits" },
          h("h4", { text: "Forfaits" }),
          h(
            "ul",
            { class: "ea-forfaits__list" },
            forfaits.map((forfait) =>
              h(
                "li",
                { class: "ea-forfait" },
                h("p", { class: "ea-forfait__label" }, h("strong", { text: forfait.label }),
                  forfait.period_label ? ` (${forfait.period_label})` : ""),
                gauge(Number(forfait.used_cents) || 0, Number(forfait.limit_cents) || 0),
                h("p", {
                  class: "ea-forfait__text",
                  text: `${euros(forfait.used_cents)} utilisés sur ${euros(forfait.limit_cents)} : il reste ${euros(forfait.left_cents)}.`,
                }),
              ),
            ),
          ),
        )
      : null,
    h(
      "div",
      { class: "ea-next" },
      h("h4", { text: "Prochains équipements" }),
      h(
        "dl",
        { class: "ea-facts" },
        h("div", {}, h("dt", { text: "Lunettes ou lentilles" }), h("dd", { text: nextDate(counter.optics_next_date) })),
        h("div", {}, h("dt", { text: "Aides auditives" }), h("dd", { text: nextDate(counter.hearing_next_date) })),
      ),
    ),
  );
}

async function loadCounters() {
  const year = yearSelect.value;
  countersError.replaceChildren();
  setLoading(counters, countersStatus, `Chargement de vos plafonds ${year}…`);
  try {
    const data = await api("/claims/counters", { query: { year } });
    const items = data?.items ?? [];
    counters.replaceChildren(
      ...(items.length
        ? items.map(renderCounter)
        : [h("p", { class: "ea-empty", text: `Aucun compteur pour ${year}.` })]),
    );
    setLoaded(counters, countersStatus, `Plafonds et forfaits ${year} affichés.`);
  } catch (error) {
    counters.replaceChildren();
    setLoaded(counters, countersStatus, "");
    showError(countersError, error, { onRetry: loadCounters });
  }
}

// ---- start ------------------------------------------------------------------------------

await memberPage();

state.filters = readFiltersFromUrl();
fromInput.value = state.filters.from;
toInput.value = state.filters.to;
form.addEventListener("submit", applyFilters);
form.addEventListener("reset", () => {
  clearFormErrors(form);
  state.filters = { from: "", to: "", beneficiary: "" };
  writeFiltersToUrl(state.filters);
  load();
});
moreButton.addEventListener("click", () => {
  if (!state.loading && state.next) load({ append: true });
});
phone.addEventListener("change", () => {
  if (state.items.length) render();
});

const thisYear = new Date().getFullYear();
yearSelect.replaceChildren(...[0, 1, 2].map((back) => h("option", { value: String(thisYear - back), text: String(thisYear - back) })));
yearSelect.addEventListener("change", loadCounters);

filtersPanel.open = !phone.matches;
showFilterState(state.filters);
load();
loadCounters();

// « Mes documents »: every document of hers, newest first, filtered by type, beneficiary and
// year (only values some document has are offered), each with its download button.

import { clearFormErrors } from "../../../components/form.js";
import { memberPage } from "../../../components/layout.js";
import { pagedList } from "../../../components/paged-list.js";
import { api } from "../../../lib/api.js";
import { h } from "../../../lib/dom.js";
import { dateFr, fileSize, plural } from "../../../lib/formats.js";
import { downloadDocument } from "../../../components/document-download.js";

const form = document.getElementById("documents-filters");
const panel = document.getElementById("documents-filters-panel");
const active = document.getElementById("documents-filters-active");
const selects = {
  kind: document.getElementById("filter-kind"),
  beneficiary: document.getElementById("filter-beneficiary"),
  year: document.getElementById("filter-year"),
};
// URL parameter of each filter (French, shareable).
const PARAMS = { kind: "type", beneficiary: "beneficiaire", year: "annee" };
const downloadStatus = document.getElementById("documents-download-status");
const downloadError = document.getElementById("documents-download-error");
const phone = matchMedia("(max-width: 760px)");

let filters = readFiltersFromUrl();
let labels = { kind: {}, beneficiary: {} };

function readFiltersFromUrl() {
  const params = new URLSearchParams(location.search);
  const year = params.get(PARAMS.year) ?? "";
  return {
    kind: params.get(PARAMS.kind) ?? "",
    beneficiary: params.get(PARAMS.beneficiary) ?? "",
    year: /^\d{4}$/.test(year) ? year : "",
  };
}

function writeFiltersToUrl() {
  const url = new URL(location.href);
  for (const [key, param] of Object.entries(PARAMS)) {
    if (filters[key]) url.searchParams.set(param, filters[key]);
    else url.searchParams.delete(param);
  }
  history.replaceState(null, "", url);
}

function showFilterState() {
  const count = Object.values(filters).filter(Boolean).length;
  active.textContent = count ? `(${plural(count, "actif", "actifs")})` : "";
  if (count) panel.open = true;
}

/** « Relevés de prestations d'Inès Lambert en 2026 »-like words for the status and empty text. */
function filterText() {
  const parts = [];
  if (filters.kind) parts.push(`de type « ${labels.kind[filters.kind] ?? filters.kind} »`);
  if (filters.beneficiary) parts.push(`pour ${labels.beneficiary[filters.beneficiary] ?? "ce bénéficiaire"}`);
  if (filters.year) parts.push(`en ${filters.year}`);
  return parts.join(" ");
}

function fillSelect(select, choices, selected) {
  const keep = [...select.querySelectorAll("option[data-static]")];
  select.replaceChildren(...keep, ...choices.map(({ value, label }) => h("option", { value, text: label })));
  // A value from the URL that no document has still shows as chosen (the list says it is empty).
  if (selected && !choices.some((choice) => choice.value === selected)) {
    select.append(h("option", { value: selected, text: selected }));
  }
  select.value = selected;
}

async function loadFilters() {
  try {
    const values = await api("/documents/filters");
    labels = {
      kind: Object.fromEntries(values.kinds.map((choice) => [choice.value, choice.label])),
      beneficiary: Object.fromEntries(values.beneficiaries.map((choice) => [choice.value, choice.label])),
    };
    fillSelect(selects.kind, values.kinds, filters.kind);
    fillSelect(selects.beneficiary, values.beneficiaries, filters.beneficiary);
    fillSelect(selects.year, values.years.map((year) => ({ value: String(year), label: String(year) })), filters.year);
  } catch {
    // The list still shows every document; the filters stay on « Tous ».
  }
}

function downloadButton(doc) {
  return h("button", {
    type: "button",
    class: "ea-button ea-button--primary ea-button--small",
    "data-testid": "document-download",
    "data-tour": "document-download",
    onclick: (event) =>
      downloadDocument(doc.id, { status: downloadStatus, errorBox: downloadError, button: event.currentTarget }),
  },
  "Télécharger",
  h("span", { class: "ea-visually-hidden", text: ` : ${doc.title} (${doc.format})` }));
}

function documentRow(doc) {
  const facts = [doc.kind_label, dateFr(doc.date), doc.beneficiary_name, [doc.format, doc.size ? fileSize(doc.size) : ""].filter(Boolean).join(", ")]
    .filter(Boolean);
  return h("li", { class: "ea-card ea-document", "data-testid": "document-row", "data-tour": "document-row", "data-kind": doc.kind },
    h("div", { class: "ea-document__text" },
      h("h2", { class: "ea-document__title", text: doc.title }),
      h("p", { class: "ea-document__facts" }, ...facts.flatMap((fact, index) => [index ? " · " : "", h("span", { text: fact })]))),
    h("div", { class: "ea-document__actions" }, downloadButton(doc)));
}

const documents = pagedList({
  list: "documents-list",
  status: "documents-status",
  error: "documents-error",
  more: "documents-more",
  path: "/documents",
  query: () => filters,
  pageSize: 20,
  item: '[data-testid="document-row"]',
  render: (items) => h("ul", { class: "ea-cards ea-documents", "aria-label": "Mes documents" }, items.map(documentRow)),
  noun: ["document", "documents"],
  shown: ["affiché", "affichés"],
  suffix: () => (filterText() ? ` ${filterText()}` : ""),
  empty: () => {
    const filtered = Object.values(filters).some(Boolean);
    return filtered
      ? { message: `Aucun document ${filterText()}.`, hint: "Choisissez d'autres filtres ou effacez-les pour voir tous vos documents." }
      : {
          message: "Vous n'avez pas encore de document : vos relevés, attestations et courriers s'afficheront ici.",
          hint: h("a", { href: "attestations/", text: "Obtenir une attestation d'adhésion" }),
        };
  },
  loading: "Chargement de vos documents…",
  loadingMore: "Chargement des documents suivants…",
});

function apply(chosen) {
  filters = chosen;
  downloadStatus.replaceChildren();
  downloadError.replaceChildren();
  writeFiltersToUrl();
  showFilterState();
  documents.reload();
}

await memberPage();
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearFormErrors(form);
  apply({ kind: selects.kind.value, beneficiary: selects.beneficiary.value, year: selects.year.value });
});
form.addEventListener("reset", () => {
  clearFormErrors(form);
  apply({ kind: "", beneficiary: "", year: "" });
});
panel.open = !phone.matches;
showFilterState();
// The names in the status line come from the filters' values: read them first.
await loadFilters();
documents.reload();

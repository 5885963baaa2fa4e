// « Mes demandes »: every request sent online, newest first, filtered by kind and status or
// searched by number; those with news not yet read are marked until opened.

import { clearErrorsOnInput } from "../../../components/form.js";
import { memberPage } from "../../../components/layout.js";
import { pagedList } from "../../../components/paged-list.js";
import { statusBadge } from "../../../components/status-badge.js";
import { facts } from "../../../components/facts.js";
import { pagePath } from "../../../lib/config.js";
import { h } from "../../../lib/dom.js";
import { dateFr, plural } from "../../../lib/formats.js";
import { requestKinds } from "../../../lib/request-kinds.js";
import { REQUEST_STATUS_IDS, requestStatusOptions } from "../../../lib/request-statuses.js";

const PARAMS = { kind: "type", status: "etat", number: "numero" };
const form = document.getElementById("my-requests-filters");
const panel = document.getElementById("my-requests-filters-panel");
const active = document.getElementById("my-requests-filters-active");
const kindSelect = document.getElementById("filter-kind");
const statusSelect = requestStatusOptions(document.getElementById("filter-status"));
const numberInput = document.getElementById("filter-number");
const phone = matchMedia("(max-width: 760px)");

let filters = readFiltersFromUrl();

function readFiltersFromUrl() {
  const params = new URLSearchParams(location.search);
  const status = params.get(PARAMS.status) ?? "";
  return {
    kind: params.get(PARAMS.kind) ?? "",
    status: REQUEST_STATUS_IDS.includes(status) ? status : "",
    number: (params.get(PARAMS.number) ?? "").trim().slice(0, 40),
  };
}

function writeFiltersToUrl() {
  const url = new URL(location.href);
  for (const [key, name] of Object.entries(PARAMS)) {
    if (filters[key]) url.searchParams.set(name, filters[key]);
    else url.searchParams.delete(name);
  }
  history.replaceState(null, "", url);
}

function showFilterState() {
  const count = Object.values(filters).filter(Boolean).length;
  active.textContent = count ? `(${plural(count, "actif", "actifs")})` : "";
  if (count) panel.open = true;
}

const optionText = (select) => select.selectedOptions[0]?.textContent ?? "";

/** "de type « Autre demande », à l'état « Acceptée », dont le numéro contient « 1A2B »" */
function filterText() {
  const parts = [];
  if (filters.kind) parts.push(`de type « ${optionText(kindSelect)} »`);
  if (filters.status) parts.push(`à l'état « ${optionText(statusSelect)} »`);
  if (filters.number) parts.push(`dont le numéro contient « ${filters.number} »`);
  return parts.join(", ");
}

function card(item) {
  const unread = item.unread;
  const topic = item.category_label && item.category_label !== item.subject ? item.category_label : item.kind_label;
  return h("li", { class: `ea-card ea-card--link ea-request-card${unread ? " ea-request-card--unread" : ""}`, "data-testid": "request-row", "data-tour": "request-row", "data-reference": item.reference },
    unread ? h("p", { class: "ea-request-card__new" }, h("span", { class: "ea-tag ea-tag--new", text: "Nouveau" })) : null,
    h("p", { class: "ea-card__title" },
      h("a", { class: "ea-row-link ea-card__link", href: pagePath("espace/demandes/detail/", { id: item.id }) },
        item.subject,
        h("span", { class: "ea-visually-hidden", text: ` : demande n° ${item.reference}${unread ? ", mise à jour non lue" : ""}` }))),
    h("p", { class: "ea-request-card__ref" }, h("span", { text: `N° ${item.reference}` }), " · ", h("span", { text: topic })),
    facts([
      ["État", statusBadge(item.status, item.status_label)],
      ["Envoyée le", dateFr(item.created_at)],
      ["Envoyée", item.by_label ?? ""],
      ["Mise à jour le", item.updated_at && dateFr(item.updated_at) !== dateFr(item.created_at) ? dateFr(item.updated_at) : ""],
      ["Personne concernée", item.beneficiary_name ?? ""],
    ], { class: "ea-card__facts" }));
}

const list = pagedList({
  list: "my-requests-list",
  status: "my-requests-status",
  error: "my-requests-error",
  more: "my-requests-more",
  path: "/support/requests",
  query: () => ({ kind: filters.kind, status: filters.status, q: filters.number }),
  pageSize: 10,
  item: '[data-testid="request-row"]',
  render: (items) => h("ul", { class: `ea-cards${phone.matches ? "" : " ea-cards--grid"}`, "aria-label": "Mes demandes, de la plus récente à la plus ancienne" }, items.map(card)),
  noun: ["demande", "demandes"],
  shown: ["affichée", "affichées"],
  suffix: () => (filterText() ? ` ${filterText()}` : ""),
  empty: () => {
    const filtered = Object.values(filters).some(Boolean);
    return filtered
      ? { message: `Aucune demande ${filterText()}.`, hint: "Vérifiez le numéro ou choisissez « Tous les types » et « Tous les états »." }
      : { message: "Vous n'avez pas encore envoyé de demande en ligne.", hint: "Utilisez « Faire une autre demande » ou « Demander un remboursement » ci-dessus." };
  },
  loading: "Chargement de vos demandes…",
  loadingMore: "Chargement des demandes suivantes…",
});

function apply(event) {
  event.preventDefault();
  filters = { kind: kindSelect.value, status: statusSelect.value, number: numberInput.value.trim() };
  writeFiltersToUrl();
  showFilterState();
  list.reload();
}

async function fillKinds() {
  try {
    const kinds = await requestKinds();
    const keep = [...kindSelect.querySelectorAll("option")].filter((option) => option.value === "");
    kindSelect.replaceChildren(...keep, ...kinds.map((kind) => h("option", { value: kind.kind, text: kind.label })));
  } catch {
    // The static options stay: the kinds known when the page was written.
  }
  kindSelect.value = filters.kind;
}

await memberPage();
clearErrorsOnInput(form);
form.addEventListener("submit", apply);
form.addEventListener("reset", () => {
  filters = { kind: "", status: "", number: "" };
  writeFiltersToUrl();
  showFilterState();
  list.reload();
});
statusSelect.value = filters.status;
numberInput.value = filters.number;
panel.open = !phone.matches;
showFilterState();
phone.addEventListener("change", () => list.rerender());
await fillKinds();
list.reload();

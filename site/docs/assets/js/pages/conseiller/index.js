// « File des demandes »: the requests of the advisor's team, oldest first, filtered by status,
// kind and age; a table on a computer, cards on a phone; « Voir plus ».

import { facts } from "../../components/facts.js";
import { advisorPage } from "../../components/layout.js";
import { pagedList } from "../../components/paged-list.js";
import { statusBadge } from "../../components/status-badge.js";
import { REQUEST_STATUS_IDS, requestStatusOptions } from "../../lib/request-statuses.js";
import { pagePath } from "../../lib/config.js";
import { h } from "../../lib/dom.js";
import { dateFr, de, plural } from "../../lib/formats.js";
import { advisorRequestPath, ageText, assignee, deadlineText } from "../../components/advisor-words.js";

const KINDS = ["", "reimbursement", "other"];
const AGES = ["", "2", "7", "15", "30"];
const PARAMS = { status: "etat", kind: "type", age: "anciennete" };
const DEFAULTS = { status: "sent", kind: "", age: "" };
const phone = matchMedia("(max-width: 760px)");
const form = document.getElementById("queue-filters");
const panel = document.getElementById("queue-filters-panel");
const active = document.getElementById("queue-filters-active");
const selects = {
  status: requestStatusOptions(document.getElementById("queue-status"), { words: "queue" }),
  kind: document.getElementById("queue-kind"),
  age: document.getElementById("queue-age"),
};

function readFiltersFromUrl() {
  const params = new URLSearchParams(location.search);
  const pick = (name, allowed) => (allowed.includes(params.get(PARAMS[name])) ? params.get(PARAMS[name]) : DEFAULTS[name]);
  return { status: pick("status", REQUEST_STATUS_IDS), kind: pick("kind", KINDS), age: pick("age", AGES) };
}

let filters = readFiltersFromUrl();

function writeFiltersToUrl() {
  const url = new URL(location.href);
  for (const [key, name] of Object.entries(PARAMS)) {
    if (filters[key] !== DEFAULTS[key]) url.searchParams.set(name, filters[key]);
    else url.searchParams.delete(name);
  }
  history.replaceState(null, "", url);
}

const chosenText = (name) => selects[name].selectedOptions[0]?.textContent ?? "";

/** "À prendre en charge, autre demande, plus de 7 jours" */
function listName() {
  return [chosenText("status"), filters.kind ? chosenText("kind").toLowerCase() : "", filters.age ? chosenText("age").toLowerCase() : ""]
    .filter(Boolean).join(", ");
}

function showFilterState() {
  const count = Object.keys(filters).filter((key) => filters[key] !== DEFAULTS[key]).length;
  active.textContent = count ? `(${plural(count, "actif", "actifs")})` : "";
  if (count) panel.open = true;
}

const requestUrl = (item) => pagePath(advisorRequestPath, { id: item.ref });

function link(item, className) {
  return h("a", { href: requestUrl(item), class: className }, item.subject,
    h("span", { class: "ea-visually-hidden", text: ` : demande n° ${item.reference} ${de(item.member_name)}` }));
}

function topic(item) {
  return item.category_label && item.category_label !== item.kind_label ? `${item.kind_label} · ${item.category_label}` : item.kind_label;
}

function received(item) {
  return h("span", {}, dateFr(item.created_at), h("br"), h("span", { class: "ea-muted", text: ageText(item.age_days) }));
}

function renderTable(items) {
  return h("div", { class: "ea-table-wrap", tabindex: "0", role: "region", "aria-label": "File des demandes" },
    h("table", { class: "ea-table ea-queue", "data-testid": "queue-table" },
      h("caption", { text: `${listName()}, des plus anciennes aux plus récentes` }),
      h("thead", {}, h("tr", {},
        h("th", { scope: "col", text: "Reçue le" }),
        h("th", { scope: "col", text: "Demande" }),
        h("th", { scope: "col", text: "Adhérent" }),
        h("th", { scope: "col", text: "Suivie par" }),
        h("th", { scope: "col", text: "État" }))),
      h("tbody", {}, items.map((item) =>
        h("tr", { "data-testid": "queue-row", "data-reference": item.reference },
          h("td", {}, received(item)),
          h("td", {},
            link(item, "ea-row-link"),
            h("span", { class: "ea-queue__ref", text: `N° ${item.reference} · ${topic(item)}` }),
            item.deadline ? h("span", { class: "ea-queue__deadline" }, "Réponse due : ", deadlineText(item.deadline)) : null),
          h("td", { text: item.member_name }),
          h("td", {}, assignee(item)),
          h("td", {}, statusBadge(item.status, item.status_label)))))));
}

function renderCards(items) {
  return h("ul", { class: "ea-cards", "data-testid": "queue-table", "aria-label": `${listName()}, des plus anciennes aux plus récentes` },
    items.map((item) =>
      h("li", { class: "ea-card ea-card--link", "data-testid": "queue-row", "data-reference": item.reference },
        h("p", { class: "ea-card__title" }, link(item, "ea-row-link ea-card__link")),
        h("p", { class: "ea-queue__ref", text: `N° ${item.reference} · ${topic(item)}` }),
        facts([
          ["Adhérent", item.member_name],
          ["Envoyée", item.by_label ?? ""],
          ["Reçue", `${dateFr(item.created_at)}, ${ageText(item.age_days)}`],
          ["Suivie par", assignee(item)],
          ["État", statusBadge(item.status, item.status_label)],
          ["Réponse due", item.deadline ? deadlineText(item.deadline) : ""],
        ], { class: "ea-card__facts" }))));
}

const queue = pagedList({
  list: "queue-list",
  status: "queue-status-line",
  error: "queue-error",
  more: "queue-more",
  path: "/support/advisor/queue",
  query: () => ({ status: filters.status, kind: filters.kind, older_than_days: filters.age }),
  pageSize: 20,
  item: '[data-testid="queue-row"]',
  render: (items) => (phone.matches ? renderCards(items) : renderTable(items)),
  noun: ["demande", "demandes"],
  shown: ["affichée", "affichées"],
  suffix: () => ` (${listName().toLowerCase()})`,
  empty: () => ({
    message: `Aucune demande dans la file (${listName().toLowerCase()}).`,
    hint: filters.kind || filters.age ? "Choisissez « Tous les types » ou « Toutes » les anciennetés pour élargir la file." : "",
  }),
  loading: "Chargement de la file…",
  loadingMore: "Chargement des demandes suivantes…",
});

await advisorPage();
for (const [name, select] of Object.entries(selects)) select.value = filters[name];
form.addEventListener("submit", (event) => {
  event.preventDefault();
  filters = { status: selects.status.value, kind: selects.kind.value, age: selects.age.value };
  writeFiltersToUrl();
  showFilterState();
  queue.reload();
});
form.addEventListener("reset", (event) => {
  event.preventDefault();
  filters = { ...DEFAULTS };
  for (const [name, select] of Object.entries(selects)) select.value = filters[name];
  writeFiltersToUrl();
  showFilterState();
  queue.reload();
});
phone.addEventListener("change", () => queue.rerender());
panel.open = !phone.matches;
showFilterState();
queue.reload();

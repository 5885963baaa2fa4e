// "Mes estimations": list with cursor pagination; each estimate links to its detail.

import { getPage } from "./api.js";
import { siteUrl } from "./config.js";
import { dateFr, dateTimeFr, euros } from "./format.js";
import { memberPage } from "./layout.js";
import { h, setLoaded, setLoading, showError } from "./ui.js";

const list = document.getElementById("estimates-list");
const status = document.getElementById("estimates-status");
const errorBox = document.getElementById("estimates-error");
const moreButton = document.getElementById("estimates-more");
const state = { items: [], next: null, loading: false };

function detailUrl(estimate) {
  const url = siteUrl("espace/estimations/detail/");
  url.searchParams.set("id", estimate.id);
  return url.pathname + url.search;
}

function card(estimate) {
  const totals = estimate.totals ?? {};
  const title = estimate.label || estimate.act_label;
  return h(
    "li",
    { class: "ea-card ea-card--link", "data-testid": "estimate-row" },
    h("p", { class: "ea-card__title" },
      h("a", { class: "ea-row-link ea-card__link", href: detailUrl(estimate), text: title })),
    estimate.actual
      ? h("p", {}, h("span", { class: "ea-badge ea-badge--paid", text: "Soin remboursé : comparez" }))
      : h("p", {}, h("span", { class: "ea-badge ea-badge--processing", text: "En attente du soin" })),
    h(
      "dl",
      { class: "ea-card__facts" },
      estimate.label ? h("div", {}, h("dt", { text: "Soin" }), h("dd", { text: estimate.act_label })) : null,
      h("div", {}, h("dt", { text: "Bénéficiaire" }), h("dd", { text: estimate.beneficiary_name })),
      h("div", {}, h("dt", { text: "Date des soins" }), h("dd", { text: dateFr(estimate.care_date) })),
      h("div", {}, h("dt", { text: "Prix" }), h("dd", { text: euros(estimate.price_cents) })),
      h("div", {}, h("dt", { text: "Part de la mutuelle estimée" }), h("dd", { class: "ea-amount", text: euros(totals.mutual_cents) })),
      h("div", {}, h("dt", { text: "Reste à charge estimé" }), h("dd", { text: euros(totals.out_of_pocket_cents) })),
    ),
    estimate.created_at ? h("p", { class: "ea-card__meta", text: `Estimation faite le ${dateTimeFr(estimate.created_at)}` }) : null,
  );
}

function render(focusFrom) {
  if (!state.items.length) {
    list.replaceChildren(
      h("p", { class: "ea-empty", text: "Vous n'avez pas encore d'estimation." }),
      h("p", {}, h("a", { href: siteUrl("espace/estimation/").pathname, text: "Estimer un remboursement avant votre prochain soin" })),
    );
  } else {
    list.replaceChildren(h("ul", { class: "ea-cards ea-cards--grid", "aria-label": "Mes estimations" }, state.items.map(card)));
  }
  moreButton.hidden = !state.next;
  if (focusFrom >= 0) list.querySelectorAll(".ea-row-link")[focusFrom]?.focus();
}

async function load(append = false) {
  state.loading = true;
  moreButton.disabled = true;
  errorBox.replaceChildren();
  setLoading(list, status, "Chargement de vos estimations…");
  try {
    const page = await getPage("/claims/estimates", { query: { limit: 20 }, cursor: append ? state.next : undefined });
    const firstNew = append ? state.items.length : -1;
    state.items = append ? [...state.items, ...page.items] : page.items;
    state.next = page.next;
    render(firstNew);
    const count = state.items.length;
    setLoaded(list, status, count ? `${count} estimation${count > 1 ? "s" : ""} affichée${count > 1 ? "s" : ""}.` : "Aucune estimation.");
  } catch (error) {
    setLoaded(list, status, "");
    showError(errorBox, error, { onRetry: () => load(append) });
  } finally {
    state.loading = false;
    moreButton.disabled = false;
  }
}

moreButton.addEventListener("click", () => {
  if (!state.loading && state.next) load(true);
});

await memberPage();
load();

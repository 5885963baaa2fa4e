// « Mes connexions et mes données »: her sign-ins (« Voir plus »), and the export of all her
// data: ask for it, follow its preparation (polled politely, and not while the tab is hidden),
// download it once ready.

import { memberPage } from "../../../../components/layout.js";
import { startDownload } from "../../../../components/document-download.js";
import { pagedList } from "../../../../components/paged-list.js";
import { showError } from "../../../../components/states.js";
import { statusBadge } from "../../../../components/status-badge.js";
import { api } from "../../../../lib/api.js";
import { byId, h } from "../../../../lib/dom.js";
import { dateTimeFr, fileSize, plural } from "../../../../lib/formats.js";
import { newIdempotencyKey } from "../../../../lib/idempotency.js";

const KINDS = { phone: "téléphone", tablet: "tablette", computer: "ordinateur" };
const regions = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames(["fr"], { type: "region" }) : null;
// Seconds between two looks at an export in preparation: soon at first, then less often.
const POLL_DELAYS = [2, 3, 5, 8, 13, 20, 30];

export function placeOf(country) {
  if (!country) return "Lieu inconnu";
  try {
    return regions?.of(country) ?? country;
  } catch {
    return country;
  }
}

function loginCard(login) {
  const kind = KINDS[login.device_kind];
  return h(
    "li",
    { class: `ea-card ea-signin${login.current ? " ea-signin--current" : ""}`, "data-testid": "login-row" },
    h(
      "p",
      { class: "ea-card__title" },
      dateTimeFr(login.at),
      login.current ? " " : null,
      login.current ? h("span", { class: "ea-badge ea-badge--done", "data-testid": "login-current", text: "Connexion actuelle" }) : null,
    ),
    h("p", { class: "ea-signin__meta" }, `${login.device}${kind ? ` (${kind})` : ""} · ${placeOf(login.country)}`, login.ip ? ` · adresse IP ${login.ip}` : ""),
  );
}

const logins = pagedList({
  list: "logins-list",
  status: "logins-status",
  error: "logins-error",
  more: "logins-more",
  path: "/members/me/logins",
  pageSize: 10,
  item: '[data-testid="login-row"]',
  render: (items) => h("ul", { class: "ea-cards", "aria-label": "Mes dernières connexions" }, items.map(loginCard)),
  noun: ["connexion", "connexions"],
  shown: ["affichée", "affichées"],
  empty: () => ({ message: "Aucune connexion n'est encore enregistrée.", hint: "" }),
  loading: "Chargement de vos connexions…",
});

// ---------------------------------------------------------------------------- the export
const state = byId("export-state");
const errorBox = byId("export-error");
const requestButton = byId("export-request");
let pollTimer = null;
let pollRound = 0;
let current = null;

function describe(exported) {
  if (!exported) {
    return [h("p", { text: "Vous n'avez pas demandé vos données récemment." })];
  }
  const asked = `Demandé le ${dateTimeFr(exported.created_at)}`;
  const badge = statusBadge(
    { preparing: "pending", ready: "done", failed: "refused", expired: "unknown" }[exported.status],
    exported.status_label,
  );
  const title = h("p", { class: "ea-card__title" }, "Fichier de mes données ", badge);
  if (exported.status === "preparing") {
    return [title, h("p", { text: `${asked}. Préparation en cours : vous recevrez un courriel dès que le fichier sera prêt.` })];
  }
  if (exported.status === "ready") {
    const details = [exported.size ? fileSize(exported.size) : null, exported.documents != null ? plural(exported.documents, "document joint", "documents joints") : null]
      .filter(Boolean)
      .join(", ");
    return [
      title,
      h("p", { text: `${asked}. Prêt${details ? ` (${details})` : ""}, à télécharger jusqu'au ${dateTimeFr(exported.available_until)}.` }),
      h("p", {}, h("button", { type: "button", class: "ea-button ea-button--primary", "data-testid": "export-download", text: "Télécharger le fichier", onclick: (event) => download(exported, event.currentTarget) })),
      h("p", { class: "ea-export__link", "data-testid": "export-link" }),
    ];
  }
  if (exported.status === "expired") {
    return [title, h("p", { text: `${asked}. Ce fichier a été supprimé 24 heures après sa préparation : demandez-en un nouveau si besoin.` })];
  }
  return [title, h("p", { text: `${asked}. La préparation n'a pas abouti. Demandez vos données à nouveau ; si le problème se répète, contactez-nous.` })];
}

function show(exported) {
  current = exported;
  state.replaceChildren(...describe(exported));
  const preparing = exported?.status === "preparing";
  requestButton.disabled = preparing;
  requestButton.textContent = exported && !preparing ? "Demander à nouveau mes données" : "Demander mes données";
  if (preparing) schedulePoll();
  else stopPolling();
}

function stopPolling() {
  clearTimeout(pollTimer);
  pollTimer = null;
  pollRound = 0;
}

function schedulePoll() {
  clearTimeout(pollTimer);
  const seconds = POLL_DELAYS[Math.min(pollRound, POLL_DELAYS.length - 1)];
  pollRound += 1;
  pollTimer = setTimeout(() => {
    if (document.hidden) return; // looked at again when the tab comes back
    loadExport();
  }, seconds * 1000);
}

document.addEventListener("visibilitychange", () => {
  if (!document.hidden && current?.status === "preparing") loadExport();
});

async function loadExport() {
  try {
    const page = await api("/members/me/exports", { query: { limit: 1 } });
    errorBox.replaceChildren();
    show(page?.items?.[0] ?? null);
  } catch (error) {
    if (current?.status === "preparing") schedulePoll();
    else showError(errorBox, error, { onRetry: loadExport });
  }
}

async function requestExport() {
  errorBox.replaceChildren();
  requestButton.disabled = true;
  try {
    show(await api("/members/me/exports", { method: "POST", body: {}, idempotencyKey: newIdempotencyKey() }));
    state.focus?.();
  } catch (error) {
    requestButton.disabled = false;
    showError(errorBox, error);
    if (error.status === 409) loadExport();
  }
}

async function download(exported, button) {
  errorBox.replaceChildren();
  button.disabled = true;
  const place = state.querySelector('[data-testid="export-link"]');
  try {
    const file = await api(`/members/me/exports/${encodeURIComponent(exported.id)}/link`);
    if (place) startDownload(file, place, { ready: "" });
  } catch (error) {
    showError(errorBox, error);
    if (error.status === 409) loadExport();
  } finally {
    button.disabled = false;
  }
}

requestButton.addEventListener("click", requestExport);
state.setAttribute("tabindex", "-1");

await memberPage();
logins.reload();
loadExport();

// « Mes attestations »: obtain a membership attestation (the whole family or one person),
// download it again, check it as its recipient would, revoke it.

import { fillBeneficiarySelect } from "../../../../components/beneficiary-select.js";
import { confirmDialog } from "../../../../components/confirm-dialog.js";
import { memberPage } from "../../../../components/layout.js";
import { pagedList } from "../../../../components/paged-list.js";
import { showError, showNotice } from "../../../../components/states.js";
import { statusBadge } from "../../../../components/status-badge.js";
import { api } from "../../../../lib/api.js";
import { pagePath } from "../../../../lib/config.js";
import { h } from "../../../../lib/dom.js";
import { dateFr, dateTimeFr } from "../../../../lib/formats.js";
import { idempotencyKeeper } from "../../../../lib/idempotency.js";
import { getMe } from "../../../../lib/me.js";
import { downloadDocument, startDownload } from "../../../../components/document-download.js";

const form = document.getElementById("attestation-form");
const scope = document.getElementById("attestation-scope");
const createStatus = document.getElementById("attestation-download-status");
const createError = document.getElementById("attestation-download-error");
const notice = document.getElementById("attestations-notice");
const keys = idempotencyKeeper();

const checkPath = (attestation) => pagePath("verifier-attestation/", { code: attestation.code });

function fact(term, value) {
  return h("div", {}, h("dt", { text: term }), h("dd", {}, value));
}

function card(attestation) {
  const what = `l'attestation du ${dateFr(attestation.issued_at)} (${attestation.scope_label})`;
  return h("li", { class: "ea-card ea-attestation", "data-testid": "attestation-row", "data-id": attestation.id },
    h("div", { class: "ea-attestation__head" },
      h("h3", { class: "ea-attestation__title", text: attestation.scope_label }),
      statusBadge(attestation.status, attestation.status_label)),
    h("dl", { class: "ea-card__facts" },
      fact("Délivrée le", dateTimeFr(attestation.issued_at)),
      fact("Période couverte", `du ${dateFr(attestation.valid_from)} au ${dateFr(attestation.valid_until)}`),
      fact("Code de vérification", h("span", { class: "ea-code", text: attestation.code })),
      attestation.revoked_at ? fact("Révoquée le", dateTimeFr(attestation.revoked_at)) : null),
    h("p", { class: "ea-card__actions" },
      h("button", {
        type: "button",
        class: "ea-button ea-button--secondary ea-button--small",
        "data-testid": "attestation-download",
        onclick: (event) => downloadDocument(attestation.document_id, { status: createStatus, errorBox: createError, button: event.currentTarget }),
      }, "Télécharger", h("span", { class: "ea-visually-hidden", text: ` ${what}` })),
      h("a", { class: "ea-button ea-button--secondary ea-button--small", href: checkPath(attestation), target: "_blank", rel: "noopener" },
        "Voir la vérification", h("span", { class: "ea-visually-hidden", text: ` de ${what} (nouvel onglet)` })),
      attestation.can_revoke
        ? h("button", { type: "button", class: "ea-link-button ea-card__action", onclick: () => revoke(attestation, what) },
            "Révoquer", h("span", { class: "ea-visually-hidden", text: ` ${what}` }))
        : null));
}

const attestations = pagedList({
  list: "attestations-list",
  status: "attestations-status",
  error: "attestations-error",
  more: "attestations-more",
  path: "/documents/attestations",
  pageSize: 20,
  item: '[data-testid="attestation-row"]',
  render: (items) => h("ul", { class: "ea-cards ea-cards--grid", "aria-label": "Attestations délivrées" }, items.map(card)),
  noun: ["attestation", "attestations"],
  shown: ["affichée", "affichées"],
  empty: () => ({ message: "Vous n'avez pas encore demandé d'attestation.", hint: "" }),
  loading: "Chargement de vos attestations…",
});

async function revoke(attestation, what) {
  const done = await confirmDialog({
    title: "Révoquer cette attestation ?",
    message: `La vérification en ligne de ${what} dira qu'elle n'est plus valable, y compris pour les personnes à qui vous l'avez déjà remise. Vous pourrez en obtenir une nouvelle à tout moment.`,
    confirmLabel: "Révoquer",
    busyLabel: "Révocation…",
    action: () => api(`/documents/attestations/${encodeURIComponent(attestation.id)}/revoke`, { method: "POST" }),
  });
  if (!done) return;
  await attestations.reload();
  showNotice(notice, `Attestation révoquée : ${what} n'est plus valable.`, { focus: true });
}

async function create(event) {
  event.preventDefault();
  const button = event.submitter ?? form.querySelector("button[type=submit]");
  const body = scope.value ? { beneficiary_id: scope.value } : {};
  createStatus.replaceChildren();
  createError.replaceChildren();
  notice.replaceChildren();
  button.disabled = true;
  createStatus.textContent = "Préparation de votre attestation…";
  try {
    const made = await api("/documents/attestations", { method: "POST", body, idempotencyKey: keys.keyFor(body) });
    keys.reset(); // the next click asks for a new attestation
    startDownload(made.link, createStatus);
    attestations.reload();
  } catch (error) {
    createStatus.textContent = "";
    showError(createError, error);
  } finally {
    button.disabled = false;
  }
}

await memberPage();
form.addEventListener("submit", create);
getMe().then(
  (me) => fillBeneficiarySelect(scope, me),
  () => {
    // Without the beneficiaries, the whole family's attestation is still offered.
  },
);
attestations.reload();

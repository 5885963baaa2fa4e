// "Demander un remboursement": care details + supporting documents, a review step, then the
// request (one Idempotency-Key per content: a double click creates one request), and the list
// of requests already sent.

import { api, getPage } from "./api.js";
import { siteUrl } from "./config.js";
import { setupCareFields } from "./care-form.js";
import { dateFr, dateLongFr, dateTimeFr, euros } from "./format.js";
import { idempotencyKeeper } from "./idempotency.js";
import { getMe, memberPage } from "./layout.js";
import {
  clearErrorsOnInput,
  apiFieldMessages,
  clearFieldError,
  clearFormErrors,
  h,
  sectorLabel,
  setLoaded,
  setLoading,
  showError,
  showFormErrors,
} from "./ui.js";
import { setupUploads } from "./uploads.js";

const panel = document.getElementById("request-panel");
const form = document.getElementById("request-form");
const summary = document.getElementById("request-errors");
const review = document.getElementById("request-review");
const reviewBody = document.getElementById("request-summary");
const reviewError = document.getElementById("request-error");
const sendButton = document.getElementById("request-send");
const editButton = document.getElementById("request-edit");
const sendStatus = document.getElementById("request-send-status");
const success = document.getElementById("request-success");
const comment = document.getElementById("dem-comment");
const filesInput = document.getElementById("dem-files");
const filesStatus = document.getElementById("dem-files-status");

const care = setupCareFields("dem", { amountLabel: "le montant payé", allowFuture: false });
const uploads = setupUploads({
  input: filesInput,
  list: document.getElementById("dem-file-list"),
  announce: (text) => {
    filesStatus.textContent = text;
  },
});
const keys = idempotencyKeeper();
clearErrorsOnInput(form);
let me = null;
let pending = null; // {body, act} waiting for confirmation

function beneficiaryLabel(id) {
  const beneficiary = me?.beneficiaries?.find((item) => item.id === id);
  return beneficiary ? [beneficiary.first_name, beneficiary.last_name].join(" ") : "";
}

function showReview({ body, act }) {
  const rows = [
    ["Bénéficiaire", beneficiaryLabel(body.beneficiary_id)],
    ["Soin", act.label],
    ["Date des soins", dateLongFr(body.care_date)],
    ["Montant payé", euros(body.amount_cents)],
    ["Professionnel de santé", body.practitioner ? sectorLabel(body.practitioner) : ""],
    ["Parcours de soins coordonnés", body.care_pathway === undefined ? "" : body.care_pathway ? "Oui" : "Non"],
    ["Message", body.comment ?? ""],
  ].filter(([, value]) => value);
  reviewBody.replaceChildren(
    h("dl", { class: "ea-facts" }, rows.map(([label, value]) => h("div", {}, h("dt", { text: label }), h("dd", { text: value })))),
    h("h3", { text: `Justificatifs (${uploads.entries.length})` }),
    h("ul", { class: "ea-plain-list" }, uploads.entries.map((entry) => h("li", { text: entry.file.name }))),
  );
  reviewError.replaceChildren();
  sendStatus.textContent = "";
  form.hidden = true;
  review.hidden = false;
  review.focus();
}

function backToForm(focusTarget) {
  review.hidden = true;
  form.hidden = false;
  (focusTarget ?? document.getElementById("dem-beneficiary")).focus();
}

const nextButton = document.getElementById("request-next");
const formStatus = document.getElementById("request-status");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (nextButton.disabled) return;
  clearFormErrors(form, summary);
  if (uploads.busy()) {
    // Wait for the files still on their way rather than asking the member to click again.
    nextButton.disabled = true;
    formStatus.textContent = "Envoi de vos fichiers en cours : la vérification s'affichera dès qu'ils seront prêts…";
    await uploads.whenIdle();
    formStatus.textContent = "";
    nextButton.disabled = false;
  }
  const { values, errors, act } = care.read();
  if (!uploads.entries.length) {
    errors.push({ field: filesInput, message: "Joignez au moins un justificatif : facture, feuille de soins ou prescription." });
  } else if (uploads.failed()) {
    errors.push({ field: filesInput, message: "Un fichier n'a pas pu être envoyé : retirez-le ou réessayez son envoi." });
  }
  if (errors.length) {
    showFormErrors(summary, errors);
    return;
  }
  const body = {
    beneficiary_id: values.beneficiary_id,
    act_code: values.act_code,
    care_date: values.care_date,
    amount_cents: values.amount_cents,
    upload_ids: uploads.readyIds(),
  };
  if (values.practitioner) body.practitioner = values.practitioner;
  if (values.care_pathway !== undefined) body.care_pathway = values.care_pathway;
  if (comment.value.trim()) body.comment = comment.value.trim();
  pending = { body, act };
  showReview(pending);
});

filesInput.addEventListener("change", () => clearFieldError(filesInput));
editButton.addEventListener("click", () => backToForm());

sendButton.addEventListener("click", async () => {
  if (!pending || sendButton.disabled) return;
  sendButton.disabled = true;
  editButton.disabled = true;
  review.setAttribute("aria-busy", "true");
  reviewError.replaceChildren();
  sendStatus.textContent = "Envoi de votre demande…";
  try {
    const created = await api("/claims/requests", {
      method: "POST",
      body: pending.body,
      idempotencyKey: keys.keyFor(pending.body),
    });
    showSuccess(created);
    loadRequests();
  } catch (error) {
    sendStatus.textContent = "";
    const messages = apiFieldMessages(error.fields);
    const fieldErrors = Object.entries(messages)
      .map(([name, message]) => ({ field: name.startsWith("upload") ? filesInput : care.fieldFor(name), message }))
      .filter((item) => item.field);
    if (fieldErrors.length) {
      backToForm(summary);
      showFormErrors(summary, fieldErrors);
      showError(summary.appendChild(h("div")), error);
    } else {
      showError(reviewError, error, error.retryable ? { onRetry: () => sendButton.click() } : {});
    }
  } finally {
    sendButton.disabled = false;
    editButton.disabled = false;
    review.removeAttribute("aria-busy");
  }
});

function showSuccess(created) {
  panel.hidden = true;
  success.replaceChildren(
    h("h2", { id: "request-success-title", text: "Votre demande est envoyée" }),
    h("p", { class: "ea-success__reference" }, "Numéro de votre demande : ",
      h("strong", { "data-testid": "request-reference", text: created.reference })),
    h("p", { text: `Notez ce numéro : il vous sera demandé si vous contactez votre conseiller. ${created.status_label ? `Statut : ${created.status_label.toLowerCase()}.` : ""} Son avancement s'affiche ci-dessous, dans « Mes demandes envoyées ».` }),
    h(
      "p",
      { class: "ea-result__actions" },
      h("button", { type: "button", class: "ea-button ea-button--primary", text: "Faire une autre demande", onclick: startOver }),
      h("a", { class: "ea-button ea-button--secondary", href: siteUrl("espace/remboursements/").pathname, text: "Retour à mes remboursements" }),
    ),
  );
  success.hidden = false;
  success.focus();
}

function startOver() {
  pending = null;
  keys.reset();
  form.reset();
  care.reset();
  care.fill(me);
  uploads.reset();
  clearFormErrors(form, summary);
  success.hidden = true;
  success.replaceChildren();
  review.hidden = true;
  form.hidden = false;
  panel.hidden = false;
  document.getElementById("dem-beneficiary").focus();
}

// ---- requests already sent -------------------------------------------------------------

const requestsList = document.getElementById("requests-list");
const requestsStatus = document.getElementById("requests-status");
const requestsError = document.getElementById("requests-error");
const requestsMore = document.getElementById("requests-more");
const requests = { items: [], next: null };

function requestCard(item) {
  return h(
    "li",
    { class: "ea-card", "data-testid": "request-row" },
    h("p", { class: "ea-card__title" }, h("strong", { text: item.reference }), " ",
      h("span", { class: `ea-badge ea-badge--${item.status || "unknown"}`, text: item.status_label || item.status })),
    h("dl", { class: "ea-card__facts" },
      item.act_label ? h("div", {}, h("dt", { text: "Soin" }), h("dd", { text: item.act_label })) : null,
      item.care_date ? h("div", {}, h("dt", { text: "Date des soins" }), h("dd", { text: dateFr(item.care_date) })) : null,
      item.amount_cents !== undefined ? h("div", {}, h("dt", { text: "Montant payé" }), h("dd", { text: euros(item.amount_cents) })) : null,
      h("div", {}, h("dt", { text: "Envoyée le" }), h("dd", { text: dateTimeFr(item.created_at) }))),
  );
}

async function loadRequests(append = false) {
  requestsError.replaceChildren();
  requestsMore.disabled = true;
  setLoading(requestsList, requestsStatus, "Chargement de vos demandes…");
  try {
    const page = await getPage("/claims/requests", { query: { limit: 10 }, cursor: append ? requests.next : undefined });
    const firstNew = append ? requests.items.length : -1;
    requests.items = append ? [...requests.items, ...page.items] : page.items;
    requests.next = page.next;
    requestsList.replaceChildren(
      requests.items.length
        ? h("ul", { class: "ea-cards ea-cards--grid", "aria-label": "Mes demandes envoyées" }, requests.items.map(requestCard))
        : h("p", { class: "ea-empty", text: "Vous n'avez pas encore envoyé de demande de remboursement en ligne." }),
    );
    requestsMore.hidden = !requests.next;
    if (firstNew >= 0) requestsList.querySelectorAll(".ea-card")[firstNew]?.setAttribute("tabindex", "-1");
    if (firstNew >= 0) requestsList.querySelectorAll(".ea-card")[firstNew]?.focus();
    const count = requests.items.length;
    setLoaded(requestsList, requestsStatus, count ? `${count} demande${count > 1 ? "s" : ""} affichée${count > 1 ? "s" : ""}.` : "");
  } catch (error) {
    setLoaded(requestsList, requestsStatus, "");
    showError(requestsError, error, { onRetry: () => loadRequests(append) });
  } finally {
    requestsMore.disabled = false;
  }
}

requestsMore.addEventListener("click", () => requests.next && loadRequests(true));

await memberPage();
loadRequests();
try {
  me = await getMe();
  care.fill(me);
} catch (error) {
  showError(summary.parentElement.insertBefore(h("div", { role: "alert" }), summary), error, {
    onRetry: () => location.reload(),
    retryLabel: "Recharger la page",
  });
}

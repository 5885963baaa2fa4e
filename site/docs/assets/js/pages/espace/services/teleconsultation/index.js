// « Téléconsultation »: for whom, why, now or at a chosen quarter hour (one booking per click:
// Idempotency-Key); then the time and the waiting room's link; her consultations to come (join,
// cancel) and past.

import { fillBeneficiarySelect } from "../../../../components/beneficiary-select.js";
import { confirmDialog } from "../../../../components/confirm-dialog.js";
import { facts } from "../../../../components/facts.js";
import { clearErrorsOnInput, clearFormErrors, showApiError, showFormErrors } from "../../../../components/form.js";
import { memberPage } from "../../../../components/layout.js";
import { pagedList } from "../../../../components/paged-list.js";
import { setupDayTimePicker, startText } from "../../../../components/slot-picker.js";
import { showError, showNotice } from "../../../../components/states.js";
import { statusBadge } from "../../../../components/status-badge.js";
import { api } from "../../../../lib/api.js";
import { focusAtTop, h } from "../../../../lib/dom.js";
import { idempotencyKeeper } from "../../../../lib/idempotency.js";
import { getMe } from "../../../../lib/me.js";

const form = document.getElementById("tele-form");
const summary = document.getElementById("tele-errors");
const beneficiary = document.getElementById("tele-beneficiary");
const reason = document.getElementById("tele-reason");
const whenGroup = document.getElementById("tele-when");
const slotRow = document.getElementById("tele-slot");
const dayInput = document.getElementById("tele-day");
const timeSelect = document.getElementById("tele-time");
const formError = document.getElementById("tele-error");
const formStatus = document.getElementById("tele-status");
const send = document.getElementById("tele-send");
const booked = document.getElementById("tele-booked");
const listError = document.getElementById("tele-list-error");
const keys = idempotencyKeeper();


function choice() {
  return whenGroup.querySelector("input:checked")?.value ?? "now";
}

const picker = setupDayTimePicker({ dayInput, timeSelect });

function showSlot() {
  const slot = choice() === "slot";
  slotRow.hidden = !slot;
  if (slot) picker.open();
}

function joinLink(consultation) {
  return h("a", { class: "ea-button ea-button--primary", href: consultation.join_url, "data-testid": "tele-join", text: "Rejoindre la salle d'attente" });
}

function bookedPanel(consultation) {
  return h(
    "div",
    { class: "ea-success", tabindex: "-1" },
    h("h2", { text: "Votre téléconsultation est réservée" }),
    facts([
      ["Pour", consultation.beneficiary_name],
      ["Quand", `${startText(consultation.starts_at)} (heure de Paris)`],
      ["Avec", consultation.provider_label],
    ]),
    h("p", { text: consultation.can_join ? "La salle d'attente est ouverte : le médecin vous y rejoint à l'heure dite." : "La salle d'attente ouvre un quart d'heure avant : revenez ici, ou gardez ce lien." }),
    h("p", {}, joinLink(consultation)),
    consultation.simulation ? h("p", { class: "ea-hint", text: "Ceci est une démonstration : aucun médecin n'est prévenu et aucune consultation n'a lieu." }) : null,
  );
}

async function cancel(consultation) {
  const done = await confirmDialog({
    title: "Annuler cette téléconsultation ?",
    message: `${startText(consultation.starts_at)}, pour ${consultation.beneficiary_name}. Le médecin en est prévenu.`,
    confirmLabel: "Annuler la téléconsultation",
    busyLabel: "Annulation…",
    cancelLabel: "Garder",
    action: () => api(`/services/teleconsultations/${encodeURIComponent(consultation.id)}/cancel`, { method: "POST" }),
  });
  if (done) {
    booked.replaceChildren();
    await consultations.reload();
    showNotice(listError, "La téléconsultation est annulée.", { focus: true });
  }
}

function card(consultation) {
  const actions = [];
  if (consultation.upcoming && consultation.join_url) actions.push(joinLink(consultation));
  if (consultation.can_cancel) {
    actions.push(h("button", { type: "button", class: "ea-button ea-button--secondary", text: "Annuler", onclick: () => cancel(consultation) }));
  }
  return h(
    "li",
    { class: "ea-card", "data-testid": "tele-row" },
    h("p", { class: "ea-card__title" }, h("span", { text: `${startText(consultation.starts_at)} · ${consultation.beneficiary_name} ` }), statusBadge(consultation.upcoming ? "processing" : consultation.status === "cancelled" ? "rejected" : "paid", consultation.status_label)),
    consultation.upcoming && !consultation.can_join ? h("p", { class: "ea-hint", text: "La salle d'attente ouvre un quart d'heure avant l'heure prévue." }) : null,
    actions.length ? h("p", { class: "ea-card__actions ea-tele__actions" }, actions) : null,
  );
}

const consultations = pagedList({
  list: "tele-list",
  status: "tele-list-status",
  error: "tele-list-error",
  more: "tele-more",
  path: "/services/teleconsultations",
  pageSize: 10,
  item: '[data-testid="tele-row"]',
  render: (items) => h("ul", { class: "ea-cards" }, items.map(card)),
  noun: ["téléconsultation", "téléconsultations"],
  shown: ["affichée", "affichées"],
  empty: () => ({ message: "Vous n'avez pas encore demandé de téléconsultation.", hint: "" }),
  loading: "Chargement de vos téléconsultations…",
});

whenGroup.addEventListener("change", showSlot);
clearErrorsOnInput(form);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (send.disabled) return;
  clearFormErrors(form, summary);
  formError.replaceChildren();
  const errors = [];
  if (!beneficiary.value) errors.push({ field: beneficiary, message: "Choisissez la personne qui consulte." });
  if (reason.value.trim().length < 10) errors.push({ field: reason, message: "Décrivez le motif en quelques mots (10 caractères au moins)." });
  const slot = choice() === "slot";
  if (slot && !dayInput.value) errors.push({ field: dayInput, message: "Choisissez le jour." });
  if (slot && !timeSelect.value) errors.push({ field: timeSelect, message: "Choisissez l'heure." });
  if (errors.length) {
    showFormErrors(summary, errors);
    return;
  }
  const body = { beneficiary_id: beneficiary.value, reason: reason.value.trim(), when: slot ? "slot" : "now" };
  if (slot) body.slot_start = picker.value();
  send.disabled = true;
  formStatus.textContent = "Réservation en cours…";
  try {
    const consultation = await api("/services/teleconsultations", { method: "POST", body, idempotencyKey: keys.keyFor(body) });
    keys.reset();
    form.reset();
    showSlot();
    formStatus.textContent = "";
    booked.replaceChildren(bookedPanel(consultation));
    focusAtTop(booked.firstElementChild);
    consultations.reload();
  } catch (error) {
    formStatus.textContent = "";
    const fieldFor = (name) => ({ beneficiary_id: beneficiary, reason, slot_start: slot ? timeSelect : whenGroup })[name] ?? null;
    if (!showApiError({ error, summary, fieldFor })) showError(formError, error);
  } finally {
    send.disabled = false;
  }
});

await memberPage();
consultations.reload();
try {
  fillBeneficiarySelect(beneficiary, await getMe());
} catch (error) {
  showError(formError, error);
}

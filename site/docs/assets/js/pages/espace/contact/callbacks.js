// « Être rappelé »: her call-back to come (with « Annuler »), else the open slots to choose
// from; booking takes an Idempotency-Key (one booking per click) and a slot taken meanwhile
// says so.

import { clearErrorsOnInput, clearFormErrors, showApiError, showFormErrors } from "../../../components/form.js";
import { facts } from "../../../components/facts.js";
import { fillSlotSelect, slotText } from "../../../components/slot-picker.js";
import { setLoaded, setLoading, showError, showNotice } from "../../../components/states.js";
import { api, getPage } from "../../../lib/api.js";
import { h } from "../../../lib/dom.js";
import { idempotencyKeeper } from "../../../lib/idempotency.js";

const mount = document.getElementById("callbacks");
const status = document.getElementById("callbacks-status");
const errorBox = document.getElementById("callbacks-error");
const form = document.getElementById("callback-form");
const summary = document.getElementById("callback-errors");
const slotSelect = document.getElementById("callback-slot");
const phone = document.getElementById("callback-phone");
const topic = document.getElementById("callback-topic");
const formError = document.getElementById("callback-error");
const formStatus = document.getElementById("callback-status");
const send = document.getElementById("callback-send");
const keys = idempotencyKeeper();

function upcomingCard(booking) {
  const cancel = h("button", { type: "button", class: "ea-button ea-button--secondary", text: "Annuler ce rappel" });
  const card = h(
    "div",
    { class: "ea-card", "data-testid": "callback" },
    h("p", { class: "ea-card__title" }, h("strong", { text: "Votre rappel est prévu" })),
    facts([
      ["Quand", slotText(booking)],
      ["Au numéro", booking.phone],
      ["Motif", booking.topic],
      ["Réservé", booking.by_label ?? ""],
    ]),
    booking.can_cancel ? h("p", {}, cancel) : h("p", { class: "ea-hint", text: "Il commence dans moins d'une heure : il ne peut plus être annulé en ligne." }),
  );
  cancel.addEventListener("click", async () => {
    cancel.disabled = true;
    errorBox.replaceChildren();
    try {
      await api(`/support/callbacks/${encodeURIComponent(booking.id)}/cancel`, { method: "POST" });
      await load();
      showNotice(errorBox, "Votre rappel est annulé. Vous pouvez choisir un autre créneau.", { focus: true });
    } catch (error) {
      cancel.disabled = false;
      showError(errorBox, error);
    }
  });
  return card;
}

export async function load() {
  errorBox.replaceChildren();
  setLoading(mount, status, "Chargement des rappels…");
  try {
    const [bookings, slots] = await Promise.all([getPage("/support/callbacks", { query: { limit: 20 } }), getPage("/support/callback-slots")]);
    const upcoming = bookings.items.find((item) => item.upcoming);
    if (upcoming) {
      mount.replaceChildren(upcomingCard(upcoming));
      form.hidden = true;
      setLoaded(mount, status, "", { visible: false });
    } else if (!slots.items.length) {
      mount.replaceChildren();
      form.hidden = true;
      setLoaded(mount, status, "Aucun créneau de rappel n'est ouvert pour le moment. Écrivez-nous ci-dessus, ou revenez demain.", { empty: true });
    } else {
      mount.replaceChildren();
      fillSlotSelect(slotSelect, slots.items);
      form.hidden = false;
      setLoaded(mount, status, `${slots.items.length} créneaux disponibles dans les 14 prochains jours.`, { visible: false });
    }
  } catch (error) {
    setLoaded(mount, status, "");
    showError(errorBox, error, { onRetry: load });
  }
}

clearErrorsOnInput(form);
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (send.disabled) return;
  clearFormErrors(form, summary);
  formError.replaceChildren();
  const errors = [];
  if (!slotSelect.value) errors.push({ field: slotSelect, message: "Choisissez un créneau." });
  if (phone.value.replace(/\D/g, "").length < 9) errors.push({ field: phone, message: "Indiquez le numéro auquel vous joindre, par exemple 06 12 34 56 78." });
  if (topic.value.trim().length < 3) errors.push({ field: topic, message: "Dites en quelques mots pourquoi vous souhaitez être rappelé." });
  if (errors.length) {
    showFormErrors(summary, errors);
    return;
  }
  const body = { slot_id: slotSelect.value, phone: phone.value.trim(), topic: topic.value.trim() };
  send.disabled = true;
  formStatus.textContent = "Réservation du créneau…";
  try {
    await api("/support/callbacks", { method: "POST", body, idempotencyKey: keys.keyFor(body) });
    keys.reset();
    form.reset();
    formStatus.textContent = "";
    await load();
    showNotice(errorBox, "C'est noté : un conseiller vous appellera sur le créneau choisi.", { focus: true });
  } catch (error) {
    formStatus.textContent = "";
    const fieldFor = (name) => ({ slot_id: slotSelect, phone, topic })[name] ?? null;
    const marked = showApiError({ error, summary, fieldFor });
    if (!marked) showError(formError, error);
    if (error.code === "slot_taken") {
      keys.reset();
      load();
    }
  } finally {
    send.disabled = false;
  }
});

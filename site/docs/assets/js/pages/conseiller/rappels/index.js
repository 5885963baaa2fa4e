// Call-back slots for advisors: open some (within the opening hours), see open and booked
// ones, with the member, her number and why she asked.

import { facts } from "../../../components/facts.js";
import { clearErrorsOnInput, clearFormErrors, showApiError, showFormErrors } from "../../../components/form.js";
import { advisorPage } from "../../../components/layout.js";
import { byDay, capitalized, spanText } from "../../../components/slot-picker.js";
import { setLoaded, setLoading, showError, showNotice } from "../../../components/states.js";
import { statusBadge } from "../../../components/status-badge.js";
import { api, getPage } from "../../../lib/api.js";
import { h } from "../../../lib/dom.js";
import { plural } from "../../../lib/formats.js";

const form = document.getElementById("slots-form");
const summary = document.getElementById("slots-errors");
const dayInput = document.getElementById("slots-day");
const startInput = document.getElementById("slots-start");
const minutesInput = document.getElementById("slots-minutes");
const countInput = document.getElementById("slots-count");
const formError = document.getElementById("slots-error");
const notice = document.getElementById("slots-notice");
const send = document.getElementById("slots-send");
const list = document.getElementById("slots-list");
const listStatus = document.getElementById("list-status");
const listError = document.getElementById("list-error");

function slotCard(slot) {
  return h(
    "li",
    { class: "ea-card", "data-testid": "slot-row" },
    h(
      "p",
      { class: "ea-card__title" },
      h("strong", { text: spanText(slot.starts_at, slot.ends_at) }),
      " ",
      statusBadge(slot.status === "booked" ? "processing" : "received", slot.status === "booked" ? "Réservé" : "Libre"),
    ),
    facts([
      ["Conseiller", slot.mine ? `${slot.advisor_name} (vous)` : slot.advisor_name],
      ["Adhérent", slot.member_name ?? ""],
      ["Téléphone", slot.phone ?? ""],
      ["Motif", slot.topic ?? ""],
    ], { class: "ea-card__facts" }),
  );
}

async function load() {
  listError.replaceChildren();
  setLoading(list, listStatus, "Chargement des créneaux…");
  try {
    const { items } = await getPage("/support/advisor/callback-slots");
    list.replaceChildren(
      ...byDay(items).map(([label, slots]) =>
        h("section", { class: "ea-slot-day", "aria-label": label },
          h("h3", { text: capitalized(label) }),
          h("ul", { class: "ea-cards ea-cards--grid" }, slots.map(slotCard))),
      ),
    );
    const booked = items.filter((slot) => slot.status === "booked").length;
    setLoaded(list, listStatus, items.length ? `${plural(items.length, "créneau", "créneaux")}, dont ${booked} ${booked > 1 ? "réservés" : "réservé"}.` : "Aucun créneau n'est ouvert pour les 15 prochains jours.", { empty: !items.length });
  } catch (error) {
    setLoaded(list, listStatus, "");
    showError(listError, error, { onRetry: load });
  }
}

clearErrorsOnInput(form);
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (send.disabled) return;
  clearFormErrors(form, summary);
  formError.replaceChildren();
  notice.replaceChildren();
  const errors = [];
  if (!dayInput.value) errors.push({ field: dayInput, message: "Choisissez le jour." });
  if (!/^\d{2}:\d{2}$/.test(startInput.value)) errors.push({ field: startInput, message: "Indiquez l'heure du premier créneau, par exemple 10:00." });
  const count = Number(countInput.value);
  if (!Number.isInteger(count) || count < 1 || count > 16) errors.push({ field: countInput, message: "Ouvrez de 1 à 16 créneaux à la suite." });
  if (errors.length) {
    showFormErrors(summary, errors);
    return;
  }
  send.disabled = true;
  try {
    const opened = await api("/support/advisor/callback-slots", {
      method: "POST",
      body: { day: dayInput.value, start: startInput.value, minutes: Number(minutesInput.value), count },
    });
    showNotice(notice, `${plural(opened.items.length, "créneau ouvert", "créneaux ouverts")}.`);
    await load();
  } catch (error) {
    const fieldFor = (name) => ({ day: dayInput, start: startInput, minutes: minutesInput, count: countInput })[name] ?? null;
    const marked = showApiError({ error, summary, fieldFor });
    if (!marked) showError(formError, error);
  } finally {
    send.disabled = false;
  }
});

await advisorPage();
load();

// The states of a request, in the order a request goes through them, and their words: the one
// place the site names them. The API gives each request's own label (`status_label`); pages
// use this module where no request is at hand (the filters, the advisor's dialogs). The
// member's words are the API's (functions/domain/requests.py, STATUS_LABELS); the advisors'
// queue names the same states from her side.

export const REQUEST_STATUSES = Object.freeze([
  { id: "sent", open: true, label: "Envoyée", queue: "À prendre en charge" },
  { id: "in_progress", open: true, label: "En cours de traitement", queue: "En cours de traitement" },
  { id: "info_needed", open: true, label: "Informations demandées", queue: "En attente de l'adhérent" },
  { id: "payment_requested", open: true, label: "Transmise pour paiement", queue: "Transmises pour paiement" },
  { id: "processed", label: "Acceptée", queue: "Acceptées" },
  { id: "refused", label: "Refusée", queue: "Refusées" },
]);

export const REQUEST_STATUS_IDS = Object.freeze(REQUEST_STATUSES.map((status) => status.id));

/** A request in one of these states still waits for someone (the advisor or the member). */
export const isOpenRequest = (id) => Boolean(REQUEST_STATUSES.find((status) => status.id === id)?.open);

/** The member's word for a state: "Envoyée", "Acceptée"… ("" for an unknown state). */
export function requestStatusLabel(id) {
  return REQUEST_STATUSES.find((status) => status.id === id)?.label ?? "";
}

/** Options of a <select> of states, after the options already there ("Tous les états"). */
export function requestStatusOptions(select, { words = "label" } = {}) {
  for (const status of REQUEST_STATUSES) {
    const option = document.createElement("option");
    option.value = status.id;
    option.textContent = status[words];
    select.append(option);
  }
  return select;
}

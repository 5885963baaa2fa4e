// The procurations as cards: those she gave (status, until when, « Mettre fin maintenant ») and
// those she received (« Vous agissez pour … », « Ouvrir son espace », « Renoncer »). « Mes
// procurations » and « Choisir un espace » show them.

import { SCOPE_LABELS } from "../lib/acting.js";

// What she may do for the member, said from her side.
const RECEIVED_LABELS = {
  read: "Consulter son espace",
  act: "Consulter son espace, envoyer des demandes et des messages en son nom",
};
import { api } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { dateLongFr } from "../lib/formats.js";
import { openSpaceOf } from "./acting.js";
import { confirmDialog } from "./confirm-dialog.js";
import { statusBadge } from "./status-badge.js";

const STATUS_LABELS = { invited: "Invitation envoyée", active: "Active", ended: "Terminée" };
const BADGES = { invited: "pending", active: "done", ended: "ended" };

function badge(procuration) {
  return statusBadge(BADGES[procuration.status] ?? "ended", STATUS_LABELS[procuration.status] ?? procuration.status);
}

/** When it ends, or ended, in words. */
function period(procuration) {
  if (procuration.status === "ended") {
    const when = procuration.ended_at ? `Terminée le ${dateLongFr(procuration.ended_at.slice(0, 10))}` : "Terminée";
    return procuration.end_label ? `${when} (${procuration.end_label})` : when;
  }
  const until = `Jusqu'au ${dateLongFr(procuration.until)} inclus`;
  return procuration.status === "invited" ? `${until}, une fois l'invitation acceptée` : until;
}

function endProcuration(procuration, { title, message, confirmLabel, onEnded }) {
  return confirmDialog({
    title,
    message,
    confirmLabel,
    busyLabel: "Un instant…",
    action: () => api(`/members/procurations/${encodeURIComponent(procuration.id)}/end`, { method: "POST", asSelf: true }),
  }).then((ended) => {
    if (ended) onEnded();
  });
}

/** One procuration she gave. */
export function givenCard(procuration, { onEnded }) {
  const open = procuration.status !== "ended";
  return h(
    "li",
    { class: "ea-card", "data-testid": "procuration-given" },
    h("h3", { class: "ea-card__title" }, procuration.grantee_name ?? "", " ", badge(procuration)),
    h("p", { class: "ea-procuration__meta" }, SCOPE_LABELS[procuration.scope] ?? procuration.scope_label ?? "", h("br"), period(procuration)),
    procuration.grantee_email && procuration.status === "invited"
      ? h("p", { class: "ea-hint", text: `Invitation envoyée à ${procuration.grantee_email}. Votre proche a 7 jours pour l'accepter avec le code reçu.` })
      : null,
    open
      ? h(
          "p",
          { class: "ea-procuration__actions" },
          h("button", {
            type: "button",
            class: "ea-button ea-button--danger",
            text: "Mettre fin maintenant",
            "aria-label": `Mettre fin maintenant à la procuration de ${procuration.grantee_name}`,
            onclick: () =>
              endProcuration(procuration, {
                title: `Mettre fin à la procuration de ${procuration.grantee_name} ?`,
                message:
                  procuration.status === "invited"
                    ? "L'invitation ne pourra plus être acceptée. Vous pourrez en envoyer une nouvelle plus tard."
                    : `${procuration.grantee_name} ne pourra plus consulter votre espace ni agir pour vous, dès maintenant. Ce qui a déjà été fait reste dans votre espace.`,
                confirmLabel: "Mettre fin maintenant",
                onEnded,
              }),
          }),
        )
      : null,
  );
}

/** One procuration she received; `onEnded` after she renounced it. */
export function receivedCard(procuration, { onEnded }) {
  const active = procuration.status === "active";
  return h(
    "li",
    { class: "ea-card", "data-testid": "procuration-received" },
    h("h3", { class: "ea-card__title" }, active ? `Vous agissez pour ${procuration.principal_name}` : procuration.principal_name ?? "", " ", badge(procuration)),
    h("p", { class: "ea-procuration__meta" }, RECEIVED_LABELS[procuration.scope] ?? procuration.scope_label ?? "", h("br"), period(procuration)),
    active
      ? h(
          "p",
          { class: "ea-procuration__actions" },
          h("button", {
            type: "button",
            class: "ea-button ea-button--primary",
            text: "Ouvrir son espace",
            "aria-label": `Ouvrir l'espace de ${procuration.principal_name}`,
            "data-testid": "open-space",
            onclick: () => openSpaceOf(procuration),
          }),
          h("button", {
            type: "button",
            class: "ea-button ea-button--secondary",
            text: "Renoncer",
            "aria-label": `Renoncer à la procuration de ${procuration.principal_name}`,
            onclick: () =>
              endProcuration(procuration, {
                title: `Renoncer à agir pour ${procuration.principal_name} ?`,
                message: `Vous n'aurez plus accès à son espace, dès maintenant. ${procuration.principal_name} en sera prévenu par e-mail et pourra vous inviter de nouveau.`,
                confirmLabel: "Renoncer",
                onEnded,
              }),
          }),
        )
      : null,
  );
}

/** A list of cards, or a sentence when there is none. */
export function cardList(items, card, { label, empty, onEnded }) {
  if (!items.length) return h("p", { class: "ea-status ea-status--empty", text: empty });
  return h("ul", { class: "ea-cards", "aria-label": label }, items.map((item) => card(item, { onEnded })));
}

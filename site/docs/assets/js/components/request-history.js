// What members and advisors both see of a request: its messages (line breaks kept, set as
// text), its documents and its history as a timeline, oldest step first.

import { h } from "../lib/dom.js";
import { dateTimeFr, fileSize } from "../lib/formats.js";
import { statusBadge } from "./status-badge.js";

const ACTIONS = {
  member: {
    send: "Demande envoyée",
    take: "Prise en charge par un conseiller",
    ask: "Informations demandées",
    answer: "Votre réponse",
    accept: "Demande traitée",
    refuse: "Demande refusée",
    note: "Note",
  },
  advisor: {
    send: "Demande envoyée par l'adhérent",
    take: "Prise en charge",
    ask: "Informations demandées à l'adhérent",
    answer: "Réponse de l'adhérent",
    accept: "Demande acceptée",
    refuse: "Demande refusée",
    note: "Note interne",
  },
};

/** A message typed by a member or an advisor: shown as text, its line breaks kept. */
export function messageText(text, { class: className = "" } = {}) {
  return h("p", { class: `ea-message ${className}`.trim(), text: text ?? "" });
}

/** « par Marc L. pour Fatima L. »: what a trusted person did for the member (procuration). */
export function byLabel(item) {
  return item?.by_label ? h("span", { class: "ea-by", "data-testid": "by-label", text: item.by_label }) : null;
}

/** The documents of a request (or of one step): name, type and size. */
export function fileList(files, { label = "Documents" } = {}) {
  if (!files?.length) return null;
  return h("ul", { class: "ea-doc-list", "aria-label": label },
    files.map((file) => h("li", { class: "ea-doc-list__item" },
      h("span", { class: "ea-doc-list__name", text: file.filename }),
      h("span", { class: "ea-doc-list__meta", text: [typeLabel(file.content_type), file.size ? fileSize(file.size) : ""].filter(Boolean).join(", ") }))));
}

function typeLabel(contentType) {
  return { "application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG" }[contentType] ?? "";
}

/** The last step that says something to the member for `actions` (e.g. ["ask"]). */
export function lastEvent(request, actions) {
  return [...(request.history ?? [])].reverse().find((event) => actions.includes(event.action)) ?? null;
}

/**
 * The history as an ordered list. `audience` ("member" or "advisor") picks the words; for
 * advisors, steps the member does not see are marked as internal.
 */
export function requestHistory(history, { audience = "member" } = {}) {
  const words = ACTIONS[audience] ?? ACTIONS.member;
  return h("ol", { class: "ea-timeline" },
    (history ?? []).map((event) => {
      const internal = audience === "advisor" && event.visible_to_member === false;
      const fromMember = event.action === "send" || event.action === "answer";
      return h("li", { class: `ea-timeline__item ea-timeline__item--${fromMember ? "member" : "advisor"}${internal ? " ea-timeline__item--internal" : ""}` },
        h("p", { class: "ea-timeline__head" },
          h("strong", { class: "ea-timeline__title", text: words[event.action] ?? event.action }),
          " ",
          statusBadge(event.status, event.status_label),
          internal ? h("span", { class: "ea-tag ea-tag--internal", text: "Interne, non visible par l'adhérent" }) : null),
        h("p", { class: "ea-timeline__meta" },
          h("time", { datetime: event.at, text: dateTimeFr(event.at) }),
          event.who ? ` — ${event.who}` : "",
          event.by_label ? " — " : "",
          byLabel(event)),
        event.message ? messageText(event.message, { class: "ea-timeline__message" }) : null,
        fileList(event.attachments, { label: `Documents joints : ${words[event.action] ?? ""}`.trim() }));
    }));
}

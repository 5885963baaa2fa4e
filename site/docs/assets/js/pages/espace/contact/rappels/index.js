// « Mes rappels »: every call-back she asked for, newest first, a page at a time: when (Paris
// time), the number and the reason she gave, and whether it is to come, past or cancelled.

import { facts } from "../../../../components/facts.js";
import { memberPage } from "../../../../components/layout.js";
import { pagedList } from "../../../../components/paged-list.js";
import { slotText } from "../../../../components/slot-picker.js";
import { statusBadge } from "../../../../components/status-badge.js";
import { h } from "../../../../lib/dom.js";

const badgeOf = (callback) => (callback.upcoming ? "processing" : callback.status === "cancelled" ? "rejected" : "done");

function card(callback) {
  const when = slotText(callback);
  return h("li", { class: "ea-card", "data-testid": "my-callback" },
    h("p", { class: "ea-card__title" },
      h("strong", { text: when.charAt(0).toUpperCase() + when.slice(1) }), " ", statusBadge(badgeOf(callback), callback.status_label)),
    facts([
      ["Au numéro", callback.phone],
      ["Motif", callback.topic],
    ], { class: "ea-card__facts" }));
}

const callbacks = pagedList({
  list: "my-callbacks-list",
  status: "my-callbacks-status",
  error: "my-callbacks-error",
  more: "my-callbacks-more",
  path: "/support/callbacks",
  pageSize: 20,
  item: '[data-testid="my-callback"]',
  render: (items) => h("ul", { class: "ea-cards ea-cards--grid", "aria-label": "Mes rappels" }, items.map(card)),
  noun: ["rappel", "rappels"],
  shown: ["affiché", "affichés"],
  empty: () => ({ message: "Vous n'avez pas encore demandé de rappel.", hint: "Choisissez un créneau dans « Être rappelé » : un conseiller vous appelle au numéro que vous indiquez." }),
  loading: "Chargement de vos rappels…",
});

await memberPage();
callbacks.reload();

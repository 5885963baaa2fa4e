// « Mes messages »: her conversations, latest activity first, with an unread marker.

import { pagedList } from "../../../components/paged-list.js";
import { statusBadge } from "../../../components/status-badge.js";
import { pagePath } from "../../../lib/config.js";
import { h } from "../../../lib/dom.js";
import { dateTimeFr, plural } from "../../../lib/formats.js";

function card(thread) {
  return h(
    "li",
    { class: `ea-card ea-thread${thread.unread ? " ea-thread--unread" : ""}`, "data-testid": "thread-row" },
    h(
      "p",
      { class: "ea-card__title" },
      h("a", { href: pagePath("espace/contact/conversation/", { id: thread.id }), text: thread.subject }),
      " ",
      thread.unread ? h("span", { class: "ea-badge ea-badge--new", "data-testid": "unread", text: "Nouveau message" }) : null,
      " ",
      statusBadge(thread.last_author_role === "member" ? "pending" : "done", thread.status_label),
    ),
    h(
      "p",
      { class: "ea-thread__meta" },
      `Dernier message le ${dateTimeFr(thread.last_message_at)} · ${plural(thread.message_count, "message", "messages")}`,
      thread.advisor_name ? ` · Conseiller : ${thread.advisor_name}` : "",
    ),
  );
}

export const threads = pagedList({
  list: "threads-list",
  status: "threads-status",
  error: "threads-error",
  more: "threads-more",
  path: "/support/threads",
  pageSize: 10,
  item: '[data-testid="thread-row"]',
  render: (items) => h("ul", { class: "ea-cards", "aria-label": "Mes messages" }, items.map(card)),
  noun: ["conversation", "conversations"],
  shown: ["affichée", "affichées"],
  suffix: () => "",
  empty: () => ({ message: "Vous n'avez encore écrit à aucun conseiller.", hint: "" }),
  loading: "Chargement de vos messages…",
});

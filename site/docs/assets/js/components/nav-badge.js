// Counters of the space's menu (`badge:` of an entry in mkdocs.yml): today the member's requests
// with news she has not read yet. The number is shown on the icon and said in the link's name.

import { getPage } from "../lib/api.js";
import { plural } from "../lib/formats.js";

const COUNTERS = {
  "unread-requests": {
    // No count route in the API: the newest requests (where news are) are read and counted.
    count: async () => {
      const page = await getPage("/support/requests", { query: { limit: 100 } });
      return page.items.filter((item) => item.unread).length;
    },
    text: (count) => ` (${plural(count, "mise à jour non lue", "mises à jour non lues")})`,
  },
};

let generation = 0;

function show(name, count) {
  const text = COUNTERS[name].text(count);
  for (const badge of document.querySelectorAll(`[data-nav-badge="${name}"]`)) {
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.hidden = count === 0;
  }
  for (const slot of document.querySelectorAll(`[data-nav-badge-text="${name}"]`)) {
    slot.textContent = count ? text : "";
  }
}

/** Fills (or refreshes, e.g. once a request is read) every counter of the menu. */
export async function refreshNavBadges() {
  const current = ++generation;
  const names = new Set([...document.querySelectorAll("[data-nav-badge]")].map((node) => node.dataset.navBadge));
  await Promise.all(
    [...names].filter((name) => COUNTERS[name]).map(async (name) => {
      try {
        const count = await COUNTERS[name].count();
        // A later refresh (after a read) knows better than an earlier one still on its way.
        if (current === generation) show(name, count);
      } catch {
        // The menu stays usable without its counter; the page says what went wrong, if anything.
      }
    }),
  );
}

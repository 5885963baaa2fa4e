// The member space as a trusted person sees it (procuration): the « Vous agissez pour … »
// banner on every page, the account menu's entries to switch spaces, links beyond her
// procuration hidden, and her own space's messages when a procuration ends.

import { backToOwnSpace, beyondScope, getActing, setActing, takeActingNotice } from "../lib/acting.js";
import { siteUrl } from "../lib/config.js";
import { h } from "../lib/dom.js";
import { dateLongFr } from "../lib/formats.js";

/** Opens the space of the member a procuration received is for. */
export function openSpaceOf(procuration) {
  setActing(procuration);
  location.assign(siteUrl("espace/remboursements/"));
}

/** The banner under the header, on every page of the space she acts in. */
export function showActingBanner(acting) {
  const banner = document.querySelector("[data-acting-banner]");
  if (!banner) return;
  const back = h("button", { type: "button", class: "ea-link-button", "data-testid": "acting-back", text: "Revenir à mon espace", onclick: () => backToOwnSpace() });
  const scope = acting.scope === "read" ? "consultation seulement" : "consultation et envoi";
  banner.replaceChildren(
    h(
      "p",
      {},
      "Vous agissez pour ",
      h("strong", { text: acting.principal_name }),
      ` (procuration, ${scope}${acting.until ? `, jusqu'au ${dateLongFr(acting.until)}` : ""}) — `,
      back,
    ),
  );
  banner.hidden = false;
}

/** A message carried from the page that brought her back (a procuration that ended). */
export function showActingNotice() {
  const text = takeActingNotice();
  if (!text) return;
  const title = document.querySelector(".ea-page__title");
  const notice = h("div", { class: "ea-notice ea-notice--info", role: "alert", "data-testid": "acting-notice" }, h("p", { text }));
  if (title) title.after(notice);
}

function hideLink(link) {
  const item = link.parentElement;
  const target = item?.tagName === "LI" && item.children.length === 1 ? item : link.closest(".ea-nav__item") ?? link;
  target.hidden = true;
  target.classList.add("ea-acting-hidden");
}

function hideBeyond(root) {
  if (!(root instanceof Element)) return;
  const links = root.matches("a[href]") ? [root] : root.querySelectorAll("a[href]");
  for (const link of links) {
    let url;
    try {
      url = new URL(link.getAttribute("href"), location.href);
    } catch {
      continue;
    }
    if (url.origin === location.origin && beyondScope(url.pathname)) hideLink(link);
  }
}

/**
 * While she acts: every link to a page her procuration does not open is hidden, now and as
 * the page's scripts draw more (lists, details); the forms marked `data-acting="act"` (sending
 * in the member's name) are hidden with a read-only procuration, and `data-acting="never"`
 * (payments, credentials) always (CSS, from the <html> element's data-acting).
 */
export function hideBeyondScope() {
  hideBeyond(document.body);
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) hideBeyond(node);
  }).observe(document.body, { childList: true, subtree: true });
}

/** The account menu's ways between spaces: her own, and each member she acts for. */
export function addSpaceSwitcher(spaces) {
  const menu = document.getElementById("ea-account-menu");
  if (!menu || !spaces) return;
  for (const old of menu.querySelectorAll("[data-space-switch]")) old.remove();
  const acting = getActing();
  const logout = menu.querySelector('[data-action="logout"]')?.closest("li");
  const entries = [];
  if (acting) {
    entries.push(h("li", { "data-space-switch": "" }, h("button", { type: "button", class: "ea-account__item", "data-testid": "space-own", text: spaces.has_file ? "Revenir à mon espace" : "Mes procurations reçues", onclick: () => backToOwnSpace() })));
  }
  for (const procuration of spaces.acting_for ?? []) {
    if (procuration.id === acting?.id) continue;
    entries.push(
      h("li", { "data-space-switch": "" }, h("button", { type: "button", class: "ea-account__item", "data-testid": "space-switch", text: `Espace de ${procuration.principal_name}`, onclick: () => openSpaceOf(procuration) })),
    );
  }
  for (const entry of entries) menu.insertBefore(entry, logout ?? null);
  // Her own entries (« Mon espace », « Mes infos perso »…) would mix the two spaces: while she
  // acts, « Revenir à mon espace » replaces them.
  if (acting) {
    for (const link of menu.querySelectorAll("a.ea-account__item")) link.closest("li").hidden = true;
  }
}

// The tiers payant card kept on this device, so that it opens without network (at the
// pharmacy, in a basement surgery). Only the card is kept: its own cache, written by the card
// page, read by the card page and the offline page, removed at sign-out (lib/session.js) or
// when someone else signs in on the device (pages/connexion/index.js). The service worker never stores
// an API answer; it only keeps the static files of those pages.

import { siteUrl } from "./config.js";

const CACHE = "ea-carte";
// A name inside the site, never fetched: the cache only needs a URL as a key.
const entry = () => siteUrl("espace/contrat/carte/carte-enregistree.json").href;

function available() {
  return typeof caches !== "undefined";
}

/** Keeps `card` (the API's answer) for `owner` (the token's `sub`). Resolves true when kept. */
export async function keepCard(card, owner) {
  if (!available()) return false;
  try {
    const cache = await caches.open(CACHE);
    const body = JSON.stringify({ card, owner, saved_at: new Date().toISOString() });
    await cache.put(entry(), new Response(body, { headers: { "Content-Type": "application/json" } }));
    return true;
  } catch {
    return false; // storage full or refused (private browsing): the card just is not kept
  }
}

/** {card, owner, saved_at} kept on this device, or null. */
export async function keptCard() {
  if (!available()) return null;
  try {
    const response = await caches.match(entry(), { cacheName: CACHE });
    const kept = response ? await response.json() : null;
    return kept && kept.card && typeof kept.card === "object" ? kept : null;
  } catch {
    return null;
  }
}

/** Removes the kept card. */
export async function forgetCard() {
  if (!available()) return;
  try {
    await caches.delete(CACHE);
  } catch {
    // Nothing kept, or storage unavailable: nothing to remove.
  }
}

/** Removes the kept card unless it is `owner`'s (another member signed in on this device). */
export async function forgetCardOfOthers(owner) {
  const kept = await keptCard();
  if (kept && kept.owner !== owner) await forgetCard();
}

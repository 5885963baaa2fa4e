// The service worker of the member space (registered by components/layout.js). It keeps the
// pages that must open without network, the tiers payant card and the offline page, with
// every static file they load, and nothing else: no API answer, no other page. The card's data
// is kept by the card page itself in its own cache (lib/offline-card.js) and removed at
// sign-out; this worker never reads nor deletes it.
//
// The build (hooks/bundle.py) fills PAGES and FILES with the offline pages and their files
// (content-hashed names), and VERSION with a hash of them: a new build makes a new worker,
// which keeps the new files and drops the old ones.

const PAGES = []; // filled at build
const FILES = []; // filled at build
const VERSION = "dev"; // filled at build
const OFFLINE_PAGE = "hors-connexion/";

const PREFIX = "ea-pages-";
const CACHE = `${PREFIX}${VERSION}`;
const scope = new URL(self.registration.scope);
const absolute = (path) => new URL(path, scope).href;
const pageUrls = new Set(PAGES.map(absolute));
const fileUrls = new Set(FILES.map(absolute));

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([...pageUrls, ...fileUrls].map((url) => new Request(url, { cache: "no-cache" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
      await self.clients.claim();
    })(),
  );
});

async function fromNetwork(event) {
  const preloaded = await event.preloadResponse;
  return preloaded ?? fetch(event.request);
}

/**
 * An offline page: fresh from the network when there is one, else the copy kept with its files
 * (never replaced by a fresher page, which may name files this version does not keep).
 */
async function offlinePage(event, url) {
  try {
    return await fromNetwork(event);
  } catch {
    const kept = await caches.match(url, { cacheName: CACHE });
    if (kept) return kept;
    throw new Error("offline and not kept");
  }
}

/** Any other page: the network; without it, the offline page (which links to the card). */
async function otherPage(event) {
  try {
    return await fromNetwork(event);
  } catch (error) {
    const offline = absolute(OFFLINE_PAGE);
    if (!(await caches.match(offline, { cacheName: CACHE }))) throw error;
    const from = new URL(event.request.url);
    return Response.redirect(`${offline}?depuis=${encodeURIComponent(from.pathname + from.search)}`, 303);
  }
}

/** A kept static file (its name carries a hash of its content): the kept copy first. */
async function keptFile(request) {
  const kept = await caches.match(request.url, { cacheName: CACHE });
  return kept ?? fetch(request);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin) return;
  url.search = "";
  url.hash = "";
  if (request.mode === "navigate") {
    event.respondWith(pageUrls.has(url.href) ? offlinePage(event, url.href) : otherPage(event));
  } else if (fileUrls.has(url.href)) {
    event.respondWith(keptFile(request));
  }
  // Everything else (the API above all) goes to the network as if there were no worker.
});

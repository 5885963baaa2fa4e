// The layout of the signed-in spaces (member, advisor), loaded by their templates: guards the
// session and the role, then wires the header. Page scripts await memberPage() or
// advisorPage() before calling the API.

import { siteUrl } from "../lib/config.js";
import { getMe } from "../lib/me.js";
import { requireSession, tokenClaims } from "../lib/session.js";
import { setupAccountMenu } from "./account-menu.js";
import { refreshNavBadges } from "./nav-badge.js";
import { setupNavMenu } from "./nav-menu.js";

let started = null;

function showName(name) {
  const slot = document.querySelector('[data-mount="display-name"]');
  if (slot && name) slot.textContent = name;
}

function startSpace(role) {
  if (!started) {
    started = requireSession(role).then((session) => {
      setupAccountMenu();
      refreshNavBadges();
      if (role === "member") {
        getMe().then(
          (me) => showName(me?.display_name),
          () => {
            // The page shows its own error; the header keeps its neutral label.
          },
        );
      } else {
        // Advisors have no member record: their account's name, if it has one.
        const claims = tokenClaims(session.idToken);
        showName(claims.name ?? claims.given_name);
      }
      return session;
    });
  }
  return started;
}

export const memberPage = () => startSpace("member");
export const advisorPage = () => startSpace("advisor");

/**
 * The service worker (site root, sw.js) keeps the pages that open without network (the card
 * and the offline page) with their files; the member space installs it, once the page has
 * loaded so that it never competes with the page's own requests.
 */
function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  const register = () =>
    navigator.serviceWorker.register(siteUrl("sw.js").pathname, { scope: siteUrl("").pathname }).catch(() => {
      // No offline pages on this browser: the space works the same online.
    });
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}

const space = document.querySelector('meta[name="ea-layout"]')?.content;
// Pages that open without network (`offline:` in their front matter) guard themselves: without
// a session, or without network, they may still show what this device keeps.
const guardsItself = Boolean(document.querySelector('meta[name="ea-offline"]'));
if (space === "member" || space === "advisor") setupNavMenu();
if ((space === "member" || space === "advisor") && !guardsItself) startSpace(space);
if (space === "member") registerServiceWorker();

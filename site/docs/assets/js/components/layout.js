// The layout of the signed-in spaces (member, advisor), loaded by their templates: guards the
// session and the role, then wires the header. Page scripts await memberPage() or
// advisorPage() before calling the API. In discovery mode (lib/demo.js) the member pages run
// without a session, on the demo snapshot, under a « Démonstration » banner.
// `?visite=<tour>` starts a guided tour once the page is ready; the first visit of a member
// offers the welcome tour. The tour code is loaded only then (components/tour.js).

import { CHOOSER, choiceOffered, clearActing, getActing, getSpaces, beyondScope, leaveActing, setActingNotice, setSpaces } from "../lib/acting.js";
import { HOME } from "../lib/session.js";
import { sitePath, siteUrl } from "../lib/config.js";
import { demoFromUrl, isDemo, leaveDemo } from "../lib/demo.js";
import { getMe, getOwnMe } from "../lib/me.js";
import { getSession, requireSession, tokenClaims } from "../lib/session.js";
import { addSpaceSwitcher, hideBeyondScope, showActingBanner, showActingNotice } from "./acting.js";
import { setupAccountMenu } from "./account-menu.js";
import { showEndedAccess } from "./ended-access.js";
import { refreshNavBadges } from "./nav-badge.js";
import { setupNavMenu } from "./nav-menu.js";

let started = null;

function showName(name) {
  const slot = document.querySelector('[data-mount="display-name"]');
  if (slot && name) slot.textContent = name;
}

function showDemo() {
  const banner = document.querySelector("[data-demo-banner]");
  if (banner) banner.hidden = false;
  document.documentElement.classList.add("ea-demo");
  document.querySelector("[data-demo-leave]")?.addEventListener("click", () => leaveDemo());
}

/** Whether the welcome tour is still to be offered to this account on this device. The mark
 * is kept in localStorage under a hash of the account's id (no member data in clear). */
async function welcomeKey(session) {
  const sub = tokenClaims(session.accessToken).sub;
  if (!sub || !crypto.subtle) return null;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(sub));
  return `ea.bienvenue.${[...new Uint8Array(digest)].slice(0, 8).map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

async function tours(session, demo) {
  const tour = new URLSearchParams(location.search).get("visite");
  if (tour) {
    const { startTour } = await import("./tour.js");
    startTour(tour);
    return;
  }
  if (demo || location.pathname !== sitePath(HOME.member)) return;
  const key = await welcomeKey(session);
  let seen = true;
  try {
    seen = !key || localStorage.getItem(key) === "1";
  } catch {
    // No storage: never offer rather than offer at every visit.
  }
  if (seen) return;
  const { offerWelcome } = await import("./tour.js");
  offerWelcome(() => {
    try {
      localStorage.setItem(key, "1");
    } catch {
      // Offered again next time: harmless.
    }
  });
}

const here = (path) => location.pathname === sitePath(path);
// « … pour Fatima L. », not « Fatima L.. »
const sentence = (text) => (text.endsWith(".") ? text : `${text}.`);

/**
 * Which space this page opens, for a member's account (before the page calls the API): a
 * trusted person acting stays within her procuration; an account without a file of its own
 * lists the spaces she may open; one with procurations received chooses at sign-in. Resolves
 * false when the page is left for another.
 */
async function chooseSpace(session) {
  if (here(CHOOSER)) clearActing();
  const acting = getActing();
  if (acting && beyondScope(location.pathname)) {
    setActingNotice(sentence(`Cette page n'est pas ouverte aux personnes de confiance : vous restez dans l'espace de ${acting.principal_name}`));
    location.replace(siteUrl(HOME.member));
    return false;
  }
  const sub = tokenClaims(session.accessToken).sub;
  const own = getOwnMe().then((me) => setSpaces(sub, me));
  own.catch(() => {}); // the page shows its own errors
  const spaces = getSpaces(sub) ?? (await own.catch(() => null));
  const firstPage = !choiceOffered();
  if (!acting && spaces && !here(CHOOSER)) {
    const choose = spaces.has_file === false || (firstPage && here(HOME.member) && spaces.acting_for.length > 0);
    if (choose) {
      location.replace(siteUrl(CHOOSER));
      return false;
    }
  }
  if (acting) {
    document.documentElement.dataset.acting = acting.scope;
    showActingBanner(acting);
    hideBeyondScope();
  }
  own.then((fresh) => {
    addSpaceSwitcher(fresh);
    showName(fresh.display_name);
    // Ended since she opened it (by the member, or its end date): back to her own space.
    if (acting && !fresh.acting_for.some((item) => item.id === acting.id)) {
      leaveActing(sentence(`Cette procuration a pris fin : vous ne pouvez plus agir pour ${acting.principal_name}`));
    }
  }, () => {});
  return true;
}

function startSpace(role) {
  if (!started) {
    const demo = role === "member" && !getSession() && demoFromUrl();
    if (!demo) leaveDemo();
    const ready = demo ? Promise.resolve({ demo: true }) : requireSession(role);
    started = ready.then(async (session) => {
      if (role === "member" && !demo && !(await chooseSpace(session))) return new Promise(() => {});
      setupAccountMenu({ demo });
      if (demo) showDemo();
      showActingNotice();
      refreshNavBadges();
      if (role === "member") {
        // Acting, her own name stays in the header (chooseSpace) and the banner says whose
        // space it is.
        if (!getActing()) {
          getMe().then(
            (me) => {
              showName(me?.display_name);
              if (me?.access?.closed) showEndedAccess(me.access);
            },
            (error) => {
              // Even her documents are closed now (the time the law keeps them has passed).
              if (error?.code === "access_expired") showEndedAccess({ message: error.message });
              // Otherwise the page shows its own error; the header keeps its neutral label.
            },
          );
          // After the page's own scripts have started (they await this promise first).
          setTimeout(() => tours(session, demo).catch(() => {}), 0);
        }
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
// Discovery mode keeps nothing on the device, not even the offline pages.
if (space === "member" && !isDemo() && !new URLSearchParams(location.search).has("demo")) registerServiceWorker();

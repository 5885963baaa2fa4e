// The layout of the signed-in spaces (member, advisor), loaded by their templates: guards the
// session and the role, then wires the header. Page scripts await memberPage() or
// advisorPage() before calling the API.

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

const space = document.querySelector('meta[name="ea-layout"]')?.content;
if (space === "member" || space === "advisor") {
  setupNavMenu();
  startSpace(space);
}

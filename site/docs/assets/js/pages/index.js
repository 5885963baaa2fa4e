// Home page: offer a shortcut to the caller's space when a session is already open.

import { sitePath } from "../lib/config.js";
import { getSession, HOME, roleOf } from "../lib/session.js";

const session = getSession();
if (session) {
  const shortcut = document.querySelector("[data-home-session]");
  const login = document.querySelector("[data-home-login]");
  if (shortcut) {
    shortcut.hidden = false;
    shortcut.querySelector("a")?.setAttribute("href", sitePath(HOME[roleOf(session)]));
  }
  if (login) login.closest("p").hidden = true;
}

// Home page: offer a shortcut to the member space when a session is already open.

import { getSession } from "./session.js";

if (getSession()) {
  const session = document.querySelector("[data-home-session]");
  const login = document.querySelector("[data-home-login]");
  if (session) session.hidden = false;
  if (login) login.closest("p").hidden = true;
}

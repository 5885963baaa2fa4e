// The account menu of the header (menu button pattern: ↓/↑ open and move, Échap closes) and
// its « Se déconnecter ».

import { siteUrl } from "../lib/config.js";
import { leaveDemo } from "../lib/demo.js";
import { logout } from "../lib/session.js";

/** `demo`: the discovery mode, where « Se déconnecter » becomes « Quitter la démonstration ». */
export function setupAccountMenu({ demo = false } = {}) {
  const button = document.getElementById("ea-account-button");
  const menu = document.getElementById("ea-account-menu");
  if (!button || !menu) return;
  const items = () => [...menu.querySelectorAll("a, button")];
  const isOpen = () => button.getAttribute("aria-expanded") === "true";

  function open(focus) {
    menu.hidden = false;
    button.setAttribute("aria-expanded", "true");
    if (focus === "first") items()[0]?.focus();
    if (focus === "last") items().at(-1)?.focus();
  }
  function close(returnFocus = false) {
    if (!isOpen()) return;
    menu.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (returnFocus) button.focus();
  }

  button.addEventListener("click", () => (isOpen() ? close() : open()));
  button.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      open("first");
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      open("last");
    } else if (event.key === "Escape") {
      close(true);
    }
  });
  menu.addEventListener("keydown", (event) => {
    const list = items();
    const index = list.indexOf(document.activeElement);
    const moves = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: list.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      list[(moves[event.key] + list.length) % list.length]?.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(true);
    }
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest("[data-account]")) close();
  });
  document.addEventListener("focusin", (event) => {
    if (!event.target.closest("[data-account]")) close();
  });
  const logoutButton = menu.querySelector('[data-action="logout"]');
  if (demo && logoutButton) {
    logoutButton.querySelector("[data-label]").textContent = "Quitter la démonstration";
    logoutButton.addEventListener("click", () => {
      leaveDemo();
      location.replace(siteUrl("tutoriel/"));
    });
  } else {
    logoutButton?.addEventListener("click", async (event) => {
      const target = event.currentTarget;
      target.disabled = true;
      const label = target.querySelector("[data-label]");
      if (label) label.textContent = "Déconnexion en cours…";
      await logout();
    });
  }
  // The menu answers from now on (a click before its script ran did nothing).
  button.dataset.ready = "true";
}

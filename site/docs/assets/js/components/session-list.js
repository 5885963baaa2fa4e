// Her open sessions (a member's or an advisor's): device, place, since when, « Cet appareil »
// for this one, « Fermer cette session » on each (after a confirmation). A closed session's
// next request is refused by the API at once; closing this one reloads into the sign-in.

import { api } from "../lib/api.js";
import { isDemo } from "../lib/demo.js";
import { logout } from "../lib/session.js";
import { byId, h } from "../lib/dom.js";
import { dateTimeFr, plural } from "../lib/formats.js";
import { confirmDialog } from "./confirm-dialog.js";
import { setLoaded, setLoading, showError, showNotice } from "./states.js";

const KINDS = { phone: "Téléphone", tablet: "Tablette", computer: "Ordinateur" };
const regions = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames(["fr"], { type: "region" }) : null;

function placeOf(country) {
  if (!country) return "lieu inconnu";
  try {
    return regions?.of(country) ?? country;
  } catch {
    return country;
  }
}

/** `path`: the list's route; its sessions close at `${path}/<id>/close`. */
export function sessionList({ path, list = "devices-list", status = "devices-status", error = "devices-error", notice = "devices-notice" }) {
  const region = byId(list);
  const statusLine = byId(status);
  const errorBox = byId(error);
  const noticeBox = byId(notice);

  function row(session) {
    const kind = KINDS[session.device_kind] ?? "Appareil";
    const since = dateTimeFr(session.started_at);
    return h("li", { class: `ea-card ea-signin${session.current ? " ea-signin--current" : ""}`, "data-testid": "session-row" },
      h("p", { class: "ea-card__title" }, session.device,
        session.current ? " " : null,
        session.current ? h("span", { class: "ea-badge ea-badge--done", "data-testid": "session-current", text: "Cet appareil" }) : null),
      h("p", { class: "ea-signin__meta" }, `${kind} · ${placeOf(session.country)} · ouverte le ${since}`),
      h("p", {}, h("button", {
        type: "button",
        class: "ea-button ea-button--secondary",
        "data-testid": "session-close",
        text: "Fermer cette session",
        "aria-label": `Fermer cette session : ${session.device}, ouverte le ${since}`,
        onclick: () => closeOne(session),
      })));
  }

  async function closeOne(session) {
    const done = await confirmDialog({
      title: session.current ? "Fermer la session de cet appareil ?" : "Fermer cette session ?",
      message: session.current
        ? "Vous serez déconnecté de cet appareil et devrez vous reconnecter."
        : `La session « ${session.device} » ouverte le ${dateTimeFr(session.started_at)} se ferme aussitôt : sur cet appareil, il faudra se reconnecter.`,
      confirmLabel: "Fermer la session",
      busyLabel: "Fermeture…",
      action: () => api(`${path}/${encodeURIComponent(session.id)}/close`, { method: "POST", body: {} }),
    });
    if (!done) return;
    if (session.current) {
      location.reload(); // this session is over: the page's next call leads to the sign-in
      return;
    }
    await load();
    showNotice(noticeBox, `Session fermée : ${session.device}, ouverte le ${dateTimeFr(session.started_at)}.`, { focus: true });
  }

  async function load() {
    errorBox.replaceChildren();
    setLoading(region, statusLine, "Chargement de vos sessions…");
    try {
      const { items = [] } = await api(path);
      region.replaceChildren(h("ul", { class: "ea-cards", "aria-label": "Sessions ouvertes" }, items.map(row)));
      setLoaded(region, statusLine, plural(items.length, "session ouverte", "sessions ouvertes"));
    } catch (problem) {
      setLoaded(region, statusLine, "", { visible: false });
      showError(errorBox, problem, { onRetry: load });
    }
  }

  return { load };
}

/** « Me déconnecter partout » after a confirmation: every session ends, this tab signs in again. */
export function logoutEverywhere(button, { message }) {
  byId(button).addEventListener("click", () =>
    confirmDialog({
      title: "Se déconnecter de tous les appareils ?",
      message,
      confirmLabel: "Me déconnecter partout",
      busyLabel: "Déconnexion en cours…",
      // Discovery mode has no session to close: the dialog says what would happen.
      action: () => (isDemo()
        ? Promise.reject(new Error("Démonstration : dans votre espace, toutes vos sessions seraient fermées et vous vous reconnecteriez. Ici, rien n'est envoyé ni conservé."))
        : logout({ everywhere: true })),
    }),
  );
}

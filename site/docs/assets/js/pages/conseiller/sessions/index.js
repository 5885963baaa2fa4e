// « Mes sessions » of an advisor: her open sessions (a working day at most), each closable,
// and « Me déconnecter partout ».

import { confirmDialog } from "../../../components/confirm-dialog.js";
import { advisorPage } from "../../../components/layout.js";
import { sessionList } from "../../../components/session-list.js";
import { logout } from "../../../lib/session.js";

const sessions = sessionList({ path: "/support/advisor/sessions" });
document.getElementById("advisor-logout-everywhere").addEventListener("click", () =>
  confirmDialog({
    title: "Se déconnecter de tous les appareils ?",
    message: "Toutes vos sessions de conseiller se ferment, sur ce poste comme ailleurs. Vous vous reconnecterez avec votre mot de passe et votre second facteur.",
    confirmLabel: "Me déconnecter partout",
    busyLabel: "Déconnexion en cours…",
    action: () => logout({ everywhere: true }),
  }),
);
await advisorPage();
sessions.load();

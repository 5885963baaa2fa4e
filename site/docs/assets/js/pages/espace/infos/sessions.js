// « Se déconnecter de tous les appareils »: after a confirmation, every session of hers ends
// (the API revokes them all) and this tab goes to the sign-in page.

import { confirmDialog } from "../../../components/confirm-dialog.js";
import { isDemo } from "../../../lib/demo.js";
import { logout } from "../../../lib/session.js";

// Discovery mode has no session to close: the dialog says what would happen, and stops there.
const DEMO_STOP = "Démonstration : dans votre espace, toutes vos sessions seraient fermées et vous vous reconnecteriez. Ici, rien n'est envoyé ni conservé.";

export function setupSessions() {
  const button = document.getElementById("logout-everywhere");
  button.addEventListener("click", () =>
    confirmDialog({
      title: "Se déconnecter de tous les appareils ?",
      message:
        "Toutes vos sessions ouvertes se ferment, sur cet appareil comme sur vos autres ordinateurs, tablettes et téléphones. Vous devrez vous reconnecter partout.",
      confirmLabel: "Me déconnecter partout",
      busyLabel: "Déconnexion en cours…",
      action: () => (isDemo() ? Promise.reject(new Error(DEMO_STOP)) : logout({ everywhere: true })),
    }),
  );
}

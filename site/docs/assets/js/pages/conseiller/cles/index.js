// « Mes clés d'accès » of an advisor: the shared passkeys component on the advisors' routes.

import { advisorPage } from "../../../components/layout.js";
import { setupPasskeys } from "../../../components/passkeys.js";

advisorPage().then(() => setupPasskeys({
  base: "/support/advisor/passkeys",
  empty: "Aucune clé d'accès pour l'instant : vous vous connectez avec votre mot de passe et le code de votre application.",
}));

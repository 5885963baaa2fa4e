// « Mes clés d'accès » of an advisor: the shared passkeys component on the advisors' routes.

import { advisorPage } from "../../../components/layout.js";
import { setupPasskeys } from "../../../components/passkeys.js";

advisorPage().then(() => setupPasskeys({ base: "/support/advisor/passkeys" }));

// « Mes clés d'accès » of a member: the shared passkeys component on the members' routes.

import { memberPage } from "../../../../components/layout.js";
import { setupPasskeys } from "../../../../components/passkeys.js";

memberPage().then(() => setupPasskeys({ base: "/members/passkeys" }));

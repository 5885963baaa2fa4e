// « Mes appareils et sessions »: her open sessions, each closable, and « Me déconnecter
// partout » as on « Mes infos perso ».

import { memberPage } from "../../../../components/layout.js";
import { logoutEverywhere, sessionList } from "../../../../components/session-list.js";

const sessions = sessionList({ path: "/members/me/sessions" });
logoutEverywhere("logout-everywhere", {
  message: "Toutes vos sessions ouvertes se ferment, sur cet appareil comme sur vos autres ordinateurs, tablettes et téléphones. Vous devrez vous reconnecter partout.",
});
await memberPage();
sessions.load();

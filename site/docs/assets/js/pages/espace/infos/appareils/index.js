// « Mes appareils et sessions »: her open sessions, each closable, and « Me déconnecter
// partout » as on « Mes infos perso ».

import { memberPage } from "../../../../components/layout.js";
import { sessionList } from "../../../../components/session-list.js";
import { setupSessions } from "../sessions.js";

const sessions = sessionList({ path: "/members/me/sessions" });
setupSessions();
await memberPage();
sessions.load();

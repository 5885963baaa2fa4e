// « Mes sessions » of an advisor: her open sessions (a working day at most), each closable,
// and « Me déconnecter partout ».

import { advisorPage } from "../../../components/layout.js";
import { logoutEverywhere, sessionList } from "../../../components/session-list.js";

const sessions = sessionList({ path: "/support/advisor/sessions" });
logoutEverywhere("advisor-logout-everywhere", {
  message: "Toutes vos sessions de conseiller se ferment, sur ce poste comme ailleurs. Vous vous reconnecterez avec votre mot de passe et votre second facteur.",
});
await advisorPage();
sessions.load();

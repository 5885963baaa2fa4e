// « Mes infos perso »: her details and preferences, her email address (a code sent to the new
// one), her beneficiaries, her password and her sessions.

import { memberPage } from "../../../components/layout.js";
import { loadBeneficiaries } from "./beneficiaries.js";
import { setupEmail } from "./email.js";
import { setupPassword } from "./password.js";
import { loadProfile, setupDetails, setupPreferences } from "./profile.js";
import { setupSessions } from "./sessions.js";

setupDetails();
setupPreferences();
setupEmail();
setupPassword();
setupSessions();
await memberPage();
loadProfile();
loadBeneficiaries();

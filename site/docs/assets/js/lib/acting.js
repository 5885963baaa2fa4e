// Acting for someone else (procuration): which member's space this tab shows, kept in
// sessionStorage for the tab's life (cleared at sign-out), and what a trusted person may open
// there. The API decides (every call carries `X-Act-For` and is checked against the
// procuration at once); this only spares her links that would be refused.

import { siteUrl } from "./config.js";

const KEY = "ea.acting";

/** The procuration this tab acts through: {id, principal_name, scope, until}, or null. */
export function getActing() {
  try {
    const acting = JSON.parse(sessionStorage.getItem(KEY));
    return acting && typeof acting.id === "string" ? acting : null;
  } catch {
    return null;
  }
}

export function setActing({ id, principal_name, scope, until }) {
  sessionStorage.setItem(KEY, JSON.stringify({ id, principal_name, scope, until }));
}

export function clearActing() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Storage disabled: nothing was kept.
  }
}

// Pages of the space a trusted person never opens (the API's allow-list of a procuration,
// functions/domain/procurations.py, does not reach them): the member's credentials and
// contact details, bank details, changes to her contract, teleconsultations. Parts of other
// pages are marked `data-acting="never"` (card payments, attestations, exports).
const NEVER = [
  "espace/infos/",
  "espace/contrat/coordonnees-bancaires/",
  "espace/contrat/beneficiaire/",
  "espace/contrat/portabilite/",
  "espace/services/teleconsultation/",
];
// Pages that send something in the member's name: only with the scope « act ».
const SENDING = [
  "espace/demande-remboursement/",
  "espace/demandes/nouvelle/",
  "espace/estimation/",
];

/** Whether the page at `pathname` is beyond what `acting` allows. */
export function beyondScope(pathname, acting = getActing()) {
  if (!acting) return false;
  const prefixes = acting.scope === "act" ? NEVER : [...NEVER, ...SENDING];
  return prefixes.some((prefix) => pathname.startsWith(siteUrl(prefix).pathname));
}

/** Whether this tab may send in the name of the member whose space it shows. */
export function canSend(acting = getActing()) {
  return !acting || acting.scope === "act";
}

/** French words for a scope, as the pages and the summary say it. */
export const SCOPE_LABELS = Object.freeze({
  read: "Consulter mon espace",
  act: "Consulter et envoyer des demandes et des messages pour moi",
});

// ---- her own account's spaces (GET /members/me without X-Act-For) -------------------------

const SPACES_KEY = "ea.spaces";
const NOTICE_KEY = "ea.acting.notice";
const OFFERED_KEY = "ea.spaces.offered";
/** The page listing the spaces she may open (accounts without a file of their own land there). */
export const CHOOSER = "espace/choisir/";
const OWN_HOME = "espace/remboursements/";

/** What her own account is, as last read: {sub, has_file, display_name, acting_for}. */
export function getSpaces(sub) {
  try {
    const spaces = JSON.parse(sessionStorage.getItem(SPACES_KEY));
    return spaces && spaces.sub === sub ? spaces : null;
  } catch {
    return null;
  }
}

export function setSpaces(sub, me) {
  const spaces = {
    sub,
    has_file: me?.has_file !== false,
    display_name: me?.display_name ?? "",
    acting_for: Array.isArray(me?.acting_for) ? me.acting_for : [],
  };
  try {
    sessionStorage.setItem(SPACES_KEY, JSON.stringify(spaces));
  } catch {
    // Storage disabled: read again on the next page.
  }
  return spaces;
}

/** Where her own space starts: her reimbursements, or the list of spaces without a file. */
export function ownHome(spaces) {
  return spaces && spaces.has_file === false ? CHOOSER : OWN_HOME;
}

/** A message for the next page (read once by the layout). */
export function setActingNotice(text) {
  try {
    sessionStorage.setItem(NOTICE_KEY, text);
  } catch {
    // The next page shows no message.
  }
}

export function takeActingNotice() {
  try {
    const text = sessionStorage.getItem(NOTICE_KEY);
    sessionStorage.removeItem(NOTICE_KEY);
    return text ?? "";
  } catch {
    return "";
  }
}

/** The procuration has ended (or does not reach this far): back to her own space, told why. */
export function leaveActing(message) {
  if (!getActing()) return;
  let spaces = null;
  try {
    spaces = JSON.parse(sessionStorage.getItem(SPACES_KEY));
  } catch {
    // Unknown: her reimbursements, which send an account without a file to the list.
  }
  clearActing();
  if (message) setActingNotice(message);
  location.assign(siteUrl(ownHome(spaces)));
}

/** Her own space again, by her choice. */
export function backToOwnSpace() {
  leaveActing("");
}

/** At sign-out: nothing of the spaces she opened stays in the tab. */
export function forgetSpaces() {
  for (const key of [KEY, SPACES_KEY, NOTICE_KEY, OFFERED_KEY]) {
    try {
      sessionStorage.removeItem(key);
    } catch {
      // Storage disabled: nothing was kept.
    }
  }
}

/** The choice of a space is offered once per sign-in, on the first page of her space. */
export function choiceOffered() {
  try {
    if (sessionStorage.getItem(OFFERED_KEY) === "1") return true;
    sessionStorage.setItem(OFFERED_KEY, "1");
  } catch {
    return true;
  }
  return false;
}

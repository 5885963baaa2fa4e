// « Ma carte mutualiste »: the tiers payant card as a health professional reads it (the
// harmonised inter-AMC block, the « R » of a contrat responsable, the holders, the tiers payant
// line, the QR code of the public check), its PDF, and the copy kept on this device so that it
// opens without network until she signs out (lib/offline-card.js, sw.js).

import { setupAccountMenu } from "../../../../components/account-menu.js";
import { startDownload } from "../../../../components/document-download.js";
import { memberPage } from "../../../../components/layout.js";
import { setLoaded, setLoading, showError } from "../../../../components/states.js";
import { api } from "../../../../lib/api.js";
import { brand } from "../../../../lib/config.js";
import { isDemo } from "../../../../lib/demo.js";
import { setupWallet } from "./wallet.js";
import { h } from "../../../../lib/dom.js";
import { dateFr, dateTimeFr, todayIso } from "../../../../lib/formats.js";
import { forgetCard, keepCard, keptCard } from "../../../../lib/offline-card.js";
import { getSession, loginUrl, tokenClaims } from "../../../../lib/session.js";

const mount = document.getElementById("card");
const status = document.getElementById("card-status");
const errorBox = document.getElementById("card-error");
const keptBox = document.getElementById("card-kept");
const tools = document.getElementById("card-tools");
// Under the card, not above it: the note arrives after the card and must not push it down.
const savedBox = document.getElementById("card-saved");
const pdfButton = document.getElementById("card-pdf");
const pdfStatus = document.getElementById("card-pdf-status");
const pdfError = document.getElementById("card-pdf-error");

/** "01 99 00 12 34" -> "tel:+33199001234" */
function telHref(phone) {
  const digits = String(phone).replace(/\D/g, "");
  return digits.startsWith("0") && digits.length === 10 ? `tel:+33${digits.slice(1)}` : `tel:${digits}`;
}

function amcBlock(card) {
  const cell = (label, value, wide = false) =>
    h("div", { class: `ea-tp__field${wide ? " ea-tp__field--wide" : ""}` }, h("dt", { text: label }), h("dd", { text: value }));
  return h(
    "dl",
    { class: "ea-tp__amc", "aria-label": "Bloc inter-AMC" },
    cell("N° AMC", card.amc_number),
    cell("Type de convention", card.convention_type),
    cell("Critère de routage", card.routing),
    cell("N° d'adhérent", card.member_number),
    cell("Période de validité", `du ${dateFr(card.valid_from)} au ${dateFr(card.valid_to)}`, true),
  );
}

function holders(card) {
  return h(
    "table",
    { class: "ea-tp__holders" },
    h("caption", { text: "Bénéficiaires couverts" }),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col", text: "Rang" }),
      h("th", { scope: "col", text: "Nom" }),
      h("th", { scope: "col", text: "Naissance" }),
      h("th", { scope: "col", text: "Régime" }))),
    h("tbody", {}, (card.holders ?? []).map((holder) => h("tr", {},
      h("td", { text: holder.rank }),
      h("th", { scope: "row", text: holder.name }),
      h("td", { text: dateFr(holder.birth_date) }),
      h("td", { text: holder.regime_label })))),
  );
}

function render(card) {
  const year = String(card.valid_to ?? "").slice(0, 4);
  return h(
    "section",
    { class: "ea-tp", "aria-labelledby": "tp-title" },
    h("div", { class: "ea-tp__head" },
      h("div", {},
        h("p", { class: "ea-tp__brand", text: card.brand_name || brand.name }),
        h("h2", { class: "ea-tp__title", id: "tp-title", text: `Carte de tiers payant ${year}` })),
      card.responsable
        ? h("p", { class: "ea-tp__r", "data-testid": "card-responsable" },
            h("span", { "aria-hidden": "true", text: "R" }),
            h("span", { class: "ea-visually-hidden", text: "Contrat responsable" }))
        : null),
    amcBlock(card),
    holders(card),
    h("div", { class: "ea-tp__foot" },
      h("p", { class: "ea-tp__phone" },
        "Professionnels de santé, tiers payant : ",
        h("a", { href: telHref(card.tiers_payant_phone), text: card.tiers_payant_phone })),
      h("figure", { class: "ea-tp__qr" },
        h("img", { src: card.qr_data_url, alt: "Code QR de vérification de la carte", width: "120", height: "120" }),
        h("figcaption", { text: "Scanner pour vérifier la validité" }))),
  );
}

function notice(kind, ...content) {
  return h("div", { class: `ea-notice ea-notice--${kind}` }, ...content);
}

function expiryNotice(card) {
  if (!card.valid_to || card.valid_to >= todayIso()) return null;
  return notice("error", h("p", {
    text: `Cette carte n'est plus valable depuis le ${dateFr(card.valid_to)}. Connectez-vous avec une connexion internet pour afficher votre nouvelle carte.`,
  }));
}

function show(card) {
  mount.replaceChildren(render(card));
  document.title = `Carte ${card.valid_to?.slice(0, 4) ?? ""} – ${baseTitle}`;
}

/** The copy kept on this device: without network, or after her session closed. */
function showKept(kept, reason) {
  show(kept.card);
  setLoaded(mount, status, "");
  tools.hidden = true;
  const when = dateTimeFr(kept.saved_at);
  keptBox.replaceChildren(
    reason === "offline"
      ? notice("info", h("p", { text: `Vous n'êtes pas connecté à internet : voici votre carte telle qu'elle a été enregistrée sur cet appareil${when ? ` le ${when}` : ""}.` }))
      : notice("info",
          h("p", { text: `Votre session est fermée : voici la carte enregistrée sur cet appareil${when ? ` le ${when}` : ""}.` }),
          h("p", {}, h("a", { href: loginUrl().href, text: "Se connecter pour l'actualiser" }))),
    expiryNotice(kept.card),
  );
}

/** Keeps the card only while she is signed in: a sign-out during the request wins. */
async function keepSignedIn(card, owner) {
  if (!getSession()) return false;
  const saved = await keepCard(card, owner);
  if (saved && !getSession()) {
    await forgetCard();
    return false;
  }
  return saved;
}

async function load(kept, owner) {
  errorBox.replaceChildren();
  setLoading(mount, status, "Chargement de votre carte…");
  try {
    const card = await api("/contract/card");
    show(card);
    keptBox.replaceChildren();
    setLoaded(mount, status, "Carte affichée.", { visible: false });
    tools.hidden = false;
    setupWallet();
    const saved = await keepSignedIn(card, owner);
    savedBox.replaceChildren(
      saved ? h("p", { class: "ea-note", "data-testid": "card-kept", text: "Carte enregistrée sur cet appareil : elle reste lisible sans connexion jusqu'à votre déconnexion." }) : "",
    );
  } catch (error) {
    if (error.status === 0 && kept) {
      showKept(kept, "offline");
      return;
    }
    setLoaded(mount, status, "");
    mount.replaceChildren();
    showError(errorBox, error, { onRetry: () => load(kept, owner) });
  }
}

pdfButton.addEventListener("click", async () => {
  if (pdfButton.disabled) return;
  pdfButton.disabled = true;
  pdfError.replaceChildren();
  pdfStatus.textContent = "Préparation de votre carte en PDF…";
  try {
    const file = await api("/contract/card/exports", { method: "POST" });
    startDownload(file, pdfStatus, { ready: "Votre carte en PDF est prête", valid: "deux minutes", fallback: "la carte" });
  } catch (error) {
    pdfStatus.textContent = "";
    showError(pdfError, error, { onRetry: () => pdfButton.click() });
  } finally {
    pdfButton.disabled = false;
  }
});

const baseTitle = document.title;
const session = getSession();
const owner = session ? tokenClaims(session.accessToken).sub ?? null : null;
// Discovery mode shows the demo member's card, never one this device keeps.
const demo = !session && (isDemo() || new URLSearchParams(location.search).get("demo") === "1");
let kept = demo ? null : await keptCard();
if (kept && session && kept.owner !== owner) {
  // Someone else's card, left by a session that was not closed: never show it.
  await forgetCard();
  kept = null;
}

if (kept && (!session || !navigator.onLine)) {
  setupAccountMenu();
  showKept(kept, session ? "offline" : "signed-out");
  if (session) {
    // Back online: the card from the API again (it may have changed). The header is wired
    // already: the API client refreshes or ends the session by itself.
    window.addEventListener("online", () => load(kept, owner), { once: true });
  }
} else {
  await memberPage();
  load(kept, owner);
}

// The page the service worker opens when a page of the space cannot be reached: what to do,
// the way back to the page she wanted, and her card when this device keeps it.

import { setupAccountMenu } from "../../components/account-menu.js";
import { h } from "../../lib/dom.js";
import { keptCard } from "../../lib/offline-card.js";
import { getSession, safeReturnPath, tokenClaims } from "../../lib/session.js";

const box = document.getElementById("offline");
const cardLink = document.getElementById("offline-card");
const retry = document.getElementById("offline-retry");

const wanted = safeReturnPath(new URLSearchParams(location.search).get("depuis") ?? "");
if (wanted) retry.href = wanted;

async function update() {
  const session = getSession();
  const kept = await keptCard();
  const mine = kept && (!session || kept.owner === tokenClaims(session.accessToken).sub);
  cardLink.hidden = !mine;
  const lines = navigator.onLine
    ? ["La connexion semble revenue : réessayez pour ouvrir la page."]
    : ["Cette page de votre espace a besoin d'une connexion internet. Vérifiez le Wi-Fi ou les données mobiles de votre appareil, puis réessayez."];
  lines.push(mine
    ? "Votre carte mutualiste est enregistrée sur cet appareil : vous pouvez l'afficher sans connexion."
    : "Aucune carte mutualiste n'est enregistrée sur cet appareil. Affichez-la une fois avec une connexion (Mon contrat, puis « Afficher la carte mutualiste ») : elle restera lisible hors connexion jusqu'à votre déconnexion.");
  box.replaceChildren(...lines.map((text) => h("p", { text })));
}

setupAccountMenu();
update();
window.addEventListener("online", update);
window.addEventListener("offline", update);

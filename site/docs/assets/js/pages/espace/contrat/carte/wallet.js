// « Ajouter à Apple Wallet » / « Ajouter à Google Wallet » on the card page: the section shows
// once the API says which wallets are offered; a wallet not offered (its keys not configured)
// says so instead of its button. Apple: the .pkpass is downloaded (an iPhone opens it in
// Wallet, a computer saves it for AirDrop or a Mac). Google: the browser goes to Google's
// « save » address, which opens Google Wallet on Android or the Google account elsewhere.

import { startDownload } from "../../../../components/document-download.js";
import { showError } from "../../../../components/states.js";
import { api } from "../../../../lib/api.js";
import { h } from "../../../../lib/dom.js";
import { idempotencyKeeper } from "../../../../lib/idempotency.js";

const section = document.getElementById("card-wallet");
const appleButton = document.getElementById("wallet-apple");
const googleButton = document.getElementById("wallet-google");
const status = document.getElementById("wallet-status");
const errorBox = document.getElementById("wallet-error");
let ready = false;

/** One creating call per click; a double click or « Réessayer » reuses the key. */
function wire(button, path, done) {
  const keys = idempotencyKeeper();
  button.addEventListener("click", async () => {
    if (button.disabled) return;
    button.disabled = true;
    errorBox.replaceChildren();
    status.textContent = "Préparation de votre carte pour le téléphone…";
    try {
      const answer = await api(path, { method: "POST", body: {}, idempotencyKey: keys.keyFor({ at: button.dataset.round ?? "0" }) });
      button.dataset.round = String(Number(button.dataset.round ?? "0") + 1);
      done(answer);
    } catch (error) {
      status.textContent = "";
      showError(errorBox, error, { onRetry: () => button.click() });
    } finally {
      button.disabled = false;
    }
  });
}

function offered(button, offer) {
  if (offer?.available) return null;
  button.hidden = true;
  return offer?.message ?? null;
}

export async function setupWallet() {
  if (ready) return;
  ready = true;
  let offer;
  try {
    offer = await api("/contract/card/wallet");
  } catch {
    ready = false; // the card works without it: nothing shown, tried again at the next load
    return;
  }
  const notes = [offered(appleButton, offer.apple), offered(googleButton, offer.google)].filter(Boolean);
  if (notes.length) {
    section.append(h("p", { class: "ea-note", "data-testid": "wallet-unavailable", text: notes[0] }));
  }
  section.hidden = false;
  wire(appleButton, "/contract/card/wallet/apple", (file) => {
    startDownload(file, status, { ready: "Votre carte pour Apple Wallet est prête", valid: "deux minutes", fallback: "la carte" });
  });
  wire(googleButton, "/contract/card/wallet/google", (answer) => {
    const link = h("a", { href: answer.save_url, "data-testid": "wallet-google-link", text: "Ouvrir Google Wallet" });
    status.replaceChildren("Votre carte est prête : Google Wallet s'ouvre. Sinon, utilisez ce lien : ", link);
    window.location.assign(answer.save_url);
  });
}

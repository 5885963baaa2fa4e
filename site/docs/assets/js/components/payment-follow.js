// Back from the payment provider's page (late instalments, a trop-perçu): what became of the
// payment, as our API knows it (the provider tells it server to server). While its confirmation has not arrived, ask again a
// few times, then say plainly what to expect.

import { api } from "../lib/api.js";
import { h } from "../lib/dom.js";

const WAITS = [700, 1000, 1500, 2000, 3000, 4000, 5000]; // about 17 s in all
const TONES = { succeeded: "success", refund_due: "info", pending: "info" };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function notice(payment, extra = []) {
  const tone = TONES[payment.status] ?? "error";
  return h("div", { class: `ea-notice ea-notice--${tone}`, "data-status": payment.status, tabindex: "-1" },
    h("h2", { class: "ea-pay-result__title", text: payment.status_label }),
    h("p", { text: payment.message }),
    ...extra);
}

function receiptLink(payment) {
  if (!payment.receipt?.url) return [];
  return [h("p", {}, h("a", { href: payment.receipt.url, download: payment.receipt.filename, "data-testid": "receipt-link", text: "Télécharger le reçu (PDF)" }))];
}

/**
 * Shows the payment's outcome in `region`; calls `onSettled` once it is known, so the
 * schedule shows the instalments as they now are.
 */
export async function followPayment(paymentId, region, { onSettled, notFound = "Nous ne trouvons pas ce paiement : consultez votre échéancier ci-dessous." } = {}) {
  if (!/^[A-Za-z0-9_-]{1,60}$/.test(paymentId)) return;
  region.replaceChildren(h("p", { class: "ea-status", text: "Vérification de votre paiement…" }));
  for (let attempt = 0; ; attempt += 1) {
    let payment;
    try {
      payment = await api(`/contract/payments/${paymentId}`);
    } catch (error) {
      region.replaceChildren(h("div", { class: `ea-notice ${error.notFound ? "ea-notice--info" : "ea-notice--error"}` },
        h("p", { text: error.notFound ? notFound : error.message })));
      return;
    }
    if (payment.status !== "pending") {
      const shown = notice(payment, receiptLink(payment));
      region.replaceChildren(shown);
      shown.focus();
      onSettled?.();
      return;
    }
    if (attempt >= WAITS.length) {
      region.replaceChildren(notice(payment, [
        h("p", { text: "La confirmation n'est pas encore arrivée. Si vous avez validé le paiement, il apparaîtra dans quelques minutes ; sinon, aucune somme n'a été prélevée." }),
        h("button", { type: "button", class: "ea-button ea-button--secondary", text: "Vérifier à nouveau", onclick: () => followPayment(paymentId, region, { onSettled, notFound }) }),
      ]));
      return;
    }
    await sleep(WAITS[attempt]);
  }
}

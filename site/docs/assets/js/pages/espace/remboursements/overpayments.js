// « Un remboursement vous a été versé en trop »: the trop-perçus she still owes (or has just
// settled), each with its amount, deadline and a link to its page. Nothing shows when there
// are none; a failure to read them leaves the rest of the page as it is.

import { overpaymentBadge } from "../../../components/overpayment-badge.js";
import { api } from "../../../lib/api.js";
import { pagePath } from "../../../lib/config.js";
import { h } from "../../../lib/dom.js";
import { dateFr, dateLongFr, euros } from "../../../lib/formats.js";

const OWED = new Set(["due", "paying", "instalments_requested", "contested"]);

function row(op) {
  const owed = OWED.has(op.status);
  const what = `${op.care_label} de ${op.beneficiary_name}${op.care_date ? ` du ${dateFr(op.care_date)}` : ""}`;
  return h("li", { class: "ea-overpay", "data-testid": "overpayment", "data-id": op.id },
    h("p", { class: "ea-overpay__amount" },
      h("strong", { text: owed ? `${euros(op.remaining_cents)} à rembourser` : euros(op.amount_cents) }),
      " ", overpaymentBadge(op)),
    h("p", { text: `Sur le remboursement : ${what}.` }),
    owed && op.status !== "contested" ? h("p", { text: `À rembourser avant le ${dateLongFr(op.due_date)}.` }) : null,
    h("p", {}, h("a", {
      class: `ea-button ${owed ? "ea-button--primary" : "ea-button--secondary"}`,
      href: pagePath("espace/remboursements/trop-percu/", { id: op.id }),
      "aria-label": `${owed ? "Voir et régler" : "Voir"} le trop-perçu ${op.reference}`,
      text: owed ? "Voir et régler" : "Voir le détail",
    })));
}

export async function showOverpayments() {
  const section = document.getElementById("overpayments");
  if (!section) return;
  let items;
  try {
    items = (await api("/claims/overpayments")).items ?? [];
  } catch {
    return; // The reimbursements below still show.
  }
  const owed = items.filter((op) => OWED.has(op.status));
  if (!owed.length) return;
  const intro = owed.length === 1
    ? "La mutuelle vous a versé une somme de trop sur un remboursement. Sa page vous dit pourquoi, combien et avant quand la rendre : vous pouvez la rembourser par carte, demander un échéancier ou la contester."
    : `La mutuelle vous a versé trop sur ${owed.length} remboursements : ouvrez chacun pour savoir pourquoi, combien et avant quand. Vous pouvez les rembourser par carte, demander un échéancier ou les contester.`;
  document.getElementById("overpayments-list").replaceChildren(
    h("p", { text: intro }),
    h("ul", { class: "ea-plain-list ea-overpay-list" }, owed.map(row)));
  section.hidden = false;
}

// « Mes bénéficiaires »: each person covered, with her situation and the account her
// reimbursements go to (masked), as « Mon contrat » knows them (GET /contract).

import { facts } from "../../../components/facts.js";
import { setLoaded, setLoading, showError } from "../../../components/states.js";
import { api } from "../../../lib/api.js";
import { h } from "../../../lib/dom.js";
import { dateFr, plural } from "../../../lib/formats.js";

const list = document.getElementById("benef-list");
const status = document.getElementById("benef-status");
const errorBox = document.getElementById("benef-error");

function card(person) {
  return h(
    "li",
    { class: "ea-card", "data-testid": "beneficiary" },
    h("h3", { class: "ea-card__title", text: person.name }),
    facts([
      ["Lien avec vous", person.relationship_label],
      ["Date de naissance", dateFr(person.birth_date)],
      ["Rang", person.rank],
      ["Régime", person.regime_label],
      ["Situation", person.situations.length ? person.situations.join(" ; ") : "Aucune situation particulière"],
      ["Compte de remboursement", person.benefit_account ?? "Celui du contrat"],
    ]),
  );
}

export async function loadBeneficiaries() {
  errorBox.replaceChildren();
  setLoading(list, status, "Chargement de vos bénéficiaires…");
  try {
    const contract = await api("/contract");
    const people = contract.beneficiaries ?? [];
    list.replaceChildren(h("ul", { class: "ea-cards ea-infos__people", "data-tour": "profile-beneficiaries" }, people.map(card)));
    setLoaded(list, status, `${plural(people.length, "personne couverte", "personnes couvertes")} par votre contrat.`, { visible: false });
  } catch (error) {
    setLoaded(list, status, "");
    showError(errorBox, error, { onRetry: loadBeneficiaries });
  }
}

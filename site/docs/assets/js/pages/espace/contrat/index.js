// « Mon contrat »: the formula and its dates, the family with each one's situation and account,
// the contributions' account, what is under way, and the way to every change she can ask for.

import { facts } from "../../../components/facts.js";
import { memberPage } from "../../../components/layout.js";
import { setLoaded, setLoading, showError } from "../../../components/states.js";
import { api } from "../../../lib/api.js";
import { pagePath } from "../../../lib/config.js";
import { h } from "../../../lib/dom.js";
import { dateFr, dateLongFr, de, plural } from "../../../lib/formats.js";

const mount = document.getElementById("contract");
const status = document.getElementById("contract-status");
const errorBox = document.getElementById("contract-error");

const link = (path, text, params, extra = {}) => h("a", { href: pagePath(path, params), text, ...extra });
const account = (masked) => (masked ? h("span", { class: "ea-account-number", text: masked }) : "Non renseigné");

function lateNotice(contract) {
  const late = Number(contract.late_instalments) || 0;
  if (!late) return null;
  return h("div", { class: "ea-notice ea-notice--error", "data-testid": "late-instalments" },
    h("p", {}, h("strong", { text: `${plural(late, "échéance de cotisation est", "échéances de cotisation sont")} en retard.` }),
      ` Régularisez-${late > 1 ? "les" : "la"} pour garder vos remboursements : le détail et le paiement sont sur une seule page.`),
    h("p", {}, link("espace/contrat/situation/", "Vérifier ma situation")));
}

function formulaSection(contract) {
  const kind = contract.collective
    ? `Contrat collectif${contract.employer ? `, souscrit par ${contract.employer}` : ""}`
    : "Contrat individuel";
  return h("section", { class: "ea-card", "aria-labelledby": "contract-formula" },
    h("h2", { id: "contract-formula", text: `Formule ${contract.formula_label}` }),
    h("p", { text: contract.formula_description }),
    facts([
      ["N° de contrat", contract.number ?? ""],
      ["Adhésion depuis le", dateLongFr(contract.start_date)],
      ["Fin du contrat", contract.end_date ? dateLongFr(contract.end_date) : ""],
      ["Type de contrat", kind],
      ["Contrat responsable", contract.responsable ? "Oui (mention R sur la carte)" : "Non"],
      ["Portabilité", contract.portability
        ? `du ${dateFr(contract.portability.start)}${contract.portability.end ? ` au ${dateFr(contract.portability.end)}` : ""}`
        : ""],
    ]),
    h("p", { class: "ea-links" },
      link("espace/contrat/garanties/", "Afficher les garanties de remboursement", undefined, { "data-tour": "contract-guarantees" }),
      link("garanties/", "Comparer les formules")));
}

function pendingSection(contract) {
  const pending = contract.pending_changes ?? [];
  if (!pending.length) return null;
  return h("section", { class: "ea-notice ea-notice--info", "aria-labelledby": "contract-pending", "data-testid": "pending-changes" },
    h("h2", { id: "contract-pending", class: "ea-notice__title", text: "Demandes en cours sur votre contrat" }),
    h("ul", { class: "ea-plain-list" }, pending.map((text) => h("li", { text }))),
    h("p", {}, link("espace/demandes/", "Suivre mes demandes")));
}

/** The NOEMIE link (Sécurité sociale → mutuelle): active, or what to do while it is not. */
function noemie(person) {
  const link = person.noemie;
  if (!link) return null;
  const active = link.status === "active";
  return h("div", { class: `ea-noemie ea-noemie--${link.status}`, "data-testid": "noemie" },
    h("p", { class: "ea-noemie__label" }, h("strong", { text: link.label })),
    h("p", { text: link.explanation }),
    active
      ? null
      : h("details", { class: "ea-noemie__todo" },
          h("summary", { text: `Que faire pour les remboursements ${de(person.name)} ?` }),
          h("ul", {}, link.what_to_do.map((text) => h("li", { text })))));
}

function beneficiaryCard(person) {
  const titleId = `benef-${person.id}`;
  return h("li", {},
    h("article", { class: "ea-card", "aria-labelledby": titleId, "data-testid": "beneficiary" },
      h("h3", { class: "ea-card__title", id: titleId, text: person.name }),
      facts([
        ["Lien", person.relationship_label],
        ["Rang", person.rank],
        ["Date de naissance", dateFr(person.birth_date)],
        ["Régime", person.regime_label],
      ], { class: "ea-card__facts" }),
      person.situations?.length
        ? h("ul", { class: "ea-situations", "aria-label": `Situation ${de(person.name)}` },
            person.situations.map((text) => h("li", { text })))
        : null,
      facts([["Remboursements versés sur", account(person.benefit_account)]], { class: "ea-card__facts" }),
      noemie(person),
      h("p", { class: "ea-card__actions" },
        link("espace/contrat/coordonnees-bancaires/", "Changer le compte de remboursement", { beneficiaire: person.id },
          { "aria-label": `Changer le compte de remboursement ${de(person.name)}`, "data-tour": "contract-bank-benefits" }))));
}

function familySection(contract) {
  const people = contract.beneficiaries ?? [];
  return h("section", { class: "ea-section", "aria-labelledby": "contract-family", "data-tour": "contract-family" },
    h("h2", { id: "contract-family", text: "Mes bénéficiaires" }),
    h("p", { text: `${plural(people.length, "personne est couverte", "personnes sont couvertes")} par votre contrat. Les remboursements de chacune sont versés sur le compte indiqué.` }),
    h("ul", { class: "ea-family" }, people.map(beneficiaryCard)),
    h("p", { class: "ea-more" },
      h("a", { class: "ea-button ea-button--secondary", href: pagePath("espace/contrat/beneficiaire/"), text: "Ajouter un bénéficiaire", "data-tour": "contract-add-beneficiary" })));
}

function contributionsSection(contract) {
  return h("section", { class: "ea-section", "aria-labelledby": "contract-contributions", "data-tour": "contract-contributions" },
    h("h2", { id: "contract-contributions", text: "Mes cotisations" }),
    h("div", { class: "ea-card" },
      facts([
        ["Prélevées sur le compte", account(contract.contribution_account)],
        ["Titulaire du compte", contract.contribution_holder ?? ""],
      ]),
      h("p", { class: "ea-links" },
        link("espace/contrat/coordonnees-bancaires/", "Changer le compte de prélèvement", { pour: "cotisations" }, { "data-tour": "contract-bank-contribution" }),
        link("espace/contrat/situation/", "Vérifier ma situation", undefined, { "data-tour": "contract-situation" }))));
}

function portabilitySection(contract) {
  if (!contract.collective) return null;
  return h("section", { class: "ea-section", "aria-labelledby": "contract-portability" },
    h("h2", { id: "contract-portability", text: "Vous quittez votre emploi ?" }),
    h("p", { text: "Votre contrat est souscrit par votre employeur. Si votre contrat de travail prend fin et que vous avez droit à l'allocation chômage, votre couverture peut continuer gratuitement jusqu'à 12 mois : c'est la portabilité." }),
    h("p", {}, h("a", { class: "ea-button ea-button--secondary", href: pagePath("espace/contrat/portabilite/"), text: "Faire une déclaration de portabilité", "data-tour": "contract-portability" })));
}

/** A termination asked and not yet in effect: said at the top, nothing else changes. */
function terminationNotice(contract) {
  const asked = contract.termination;
  if (!asked) return null;
  return h("div", { class: "ea-notice ea-notice--info", "data-testid": "termination-notice" },
    h("p", {}, h("strong", { text: `Résiliation demandée le ${dateLongFr(asked.requested_on)} — prend effet le ${dateLongFr(asked.effective_on)}` })),
    h("p", {}, `Demande n° ${asked.reference}. Jusque-là, votre contrat continue comme avant. `,
      link("espace/contrat/resiliation/", "Voir le détail")));
}

function terminationSection(contract) {
  if (contract.termination) return null;
  return h("section", { class: "ea-section", "aria-labelledby": "contract-termination" },
    h("h2", { id: "contract-termination", text: "Résilier mon contrat" }),
    h("p", {
      text: contract.collective
        ? "Votre contrat est souscrit par votre employeur : voyez pourquoi vous ne pouvez pas le résilier vous-même, et ce que vous pouvez faire."
        : "Voyez ce que vous pouvez résilier et à quelle date, puis envoyez votre demande en trois étapes.",
    }),
    h("p", {}, link("espace/contrat/resiliation/", "Résilier mon contrat", undefined, { class: "ea-button ea-button--secondary", "data-tour": "contract-termination", "data-testid": "termination-entry" })));
}

function render(contract) {
  return [
    lateNotice(contract),
    terminationNotice(contract),
    formulaSection(contract),
    pendingSection(contract),
    familySection(contract),
    contributionsSection(contract),
    portabilitySection(contract),
    terminationSection(contract),
  ].filter(Boolean);
}

async function load() {
  errorBox.replaceChildren();
  setLoading(mount, status, "Chargement de votre contrat…");
  try {
    const contract = await api("/contract");
    mount.replaceChildren(...render(contract));
    setLoaded(mount, status, "Contrat affiché.", { visible: false });
  } catch (error) {
    setLoaded(mount, status, "");
    showError(errorBox, error, { onRetry: load });
  }
}

await memberPage();
load();

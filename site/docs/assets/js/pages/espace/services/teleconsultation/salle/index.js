// The waiting room of a teleconsultation, as the sandbox provider offers it: it says plainly
// that it is a simulation (no doctor, no video), and when the consultation would start.

import { detailPage } from "../../../../../components/detail-page.js";
import { facts } from "../../../../../components/facts.js";
import { memberPage } from "../../../../../components/layout.js";
import { startText } from "../../../../../components/slot-picker.js";
import { h } from "../../../../../lib/dom.js";

function render(consultation) {
  const nodes = [];
  if (consultation.simulation) {
    nodes.push(
      h(
        "div",
        { class: "ea-notice ea-notice--info ea-room__simulation", "data-testid": "tele-simulation" },
        h("p", {}, h("strong", { text: "Simulation : aucun médecin ne vous rejoindra." })),
        h("p", { text: "Cette salle d'attente est celle du fournisseur de démonstration. Aucune vidéo n'est lancée, rien n'est transmis à un médecin ; avec un vrai fournisseur, le lien mène à sa salle d'attente sécurisée." }),
      ),
    );
  }
  nodes.push(
    facts([
      ["Pour", consultation.beneficiary_name],
      ["Heure prévue", `${startText(consultation.starts_at)} (heure de Paris)`],
      ["Avec", consultation.provider_label],
      ["État", consultation.status_label],
    ]),
  );
  if (consultation.status === "cancelled") {
    nodes.push(h("p", { text: "Cette téléconsultation a été annulée." }));
  } else if (!consultation.upcoming) {
    nodes.push(h("p", { text: "Cette téléconsultation est passée." }));
  } else if (consultation.can_join) {
    nodes.push(h("p", { class: "ea-room__wait", text: "Vous êtes dans la salle d'attente. Gardez cette page ouverte : le médecin vous rejoint à l'heure prévue." }));
  } else {
    nodes.push(h("p", { text: "La salle d'attente ouvre un quart d'heure avant l'heure prévue : revenez à ce moment-là." }));
  }
  return nodes;
}

const page = detailPage({
  mount: "room",
  status: "room-status",
  error: "room-error",
  path: (id) => `/services/teleconsultations/${encodeURIComponent(id)}`,
  render,
  title: () => "Salle d'attente",
  loading: "Ouverture de la salle d'attente…",
  loaded: "",
  notFound: {
    missingId: "Aucune téléconsultation n'est indiquée : revenez à vos téléconsultations.",
    message: "Cette téléconsultation est introuvable.",
  },
});

await memberPage();
page.load();

// « Choisir un espace »: after sign-in, an account with procurations received chooses her own
// space or a relative's; an account without a file of its own lands here, the only page of
// hers (no broken pages of a space she does not have).

import { memberPage } from "../../../components/layout.js";
import { cardList, receivedCard } from "../../../components/procurations.js";
import { setLoaded, setLoading, showError, showNotice } from "../../../components/states.js";
import { api } from "../../../lib/api.js";
import { byId } from "../../../lib/dom.js";
import { getOwnMe } from "../../../lib/me.js";

const list = byId("spaces-list");
const status = byId("spaces-status");
const errorBox = byId("spaces-error");

async function load(notice = "") {
  setLoading(list, status, "Chargement de vos espaces…");
  errorBox.replaceChildren();
  try {
    const [me, data] = await Promise.all([getOwnMe(), api("/members/procurations", { asSelf: true })]);
    byId("own-section").hidden = me?.has_file === false;
    if (me?.has_file === false) {
      byId("spaces-lead").textContent =
        "Votre compte n'a pas de contrat à votre nom : il vous sert à agir pour les proches qui vous ont donné une procuration. Choisissez l'espace à ouvrir.";
    }
    const received = (data?.received ?? []).filter((item) => item.status === "active");
    list.replaceChildren(cardList(received, receivedCard, {
      label: "Les espaces de mes proches",
      empty: "Aucun proche ne vous a donné de procuration en cours. Quand un proche vous invite, ouvrez le lien de son e-mail pour l'accepter.",
      onEnded: () => load("Vous avez renoncé à cette procuration."),
    }));
    setLoaded(list, status, notice || "Espaces affichés.", { visible: false });
    if (notice) showNotice(errorBox, notice, { focus: true });
  } catch (error) {
    setLoaded(list, status, "", { visible: false });
    showError(errorBox, error, { onRetry: () => load() });
  }
}

await memberPage();
load();

// « Délai de réponse »: the estimated wait, or when the service opens, and the hours.

import { showError, setLoaded, setLoading } from "../../../components/states.js";
import { facts } from "../../../components/facts.js";
import { api } from "../../../lib/api.js";
import { h } from "../../../lib/dom.js";

const body = document.getElementById("wait-body");
const status = document.getElementById("wait-status");
const errorBox = document.getElementById("wait-error");
const hours = document.getElementById("wait-hours");

export async function loadWait() {
  errorBox.replaceChildren();
  setLoading(body, status, "Calcul du délai de réponse…");
  try {
    const wait = await api("/support/wait");
    // replaceChildren writes a null as the text « null »: only the nodes there are.
    body.replaceChildren(...[
      h("p", { class: `ea-wait__figure${wait.open ? "" : " ea-wait__figure--closed"}`, "data-testid": "wait-label", text: wait.label }),
      h("p", { class: "ea-hint", "data-testid": "wait-detail", text: wait.detail }),
      // No wait to promise (closed, or nobody on duty): what she can do now instead.
      wait.open ? null : h("p", { class: "ea-wait__actions", "data-testid": "wait-actions" },
        h("a", { class: "ea-button ea-button--secondary", href: "#new-title", text: "Écrire un message" }),
        h("a", { class: "ea-button ea-button--secondary", href: "#callback-title", text: "Être rappelé" })),
    ].filter(Boolean));
    hours.replaceChildren(...facts(wait.hours.map((line) => [line.days, line.hours])).children);
    setLoaded(body, status, "", { visible: false });
  } catch (error) {
    setLoaded(body, status, "");
    showError(errorBox, error, { onRetry: loadWait });
  }
}

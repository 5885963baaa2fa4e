// « Demander une estimation »: the form, then the result with the split and the explanations.

import { setupCareFields } from "../../../components/care-fields.js";
import { explanationList } from "../../../components/explanation-list.js";
import { clearErrorsOnInput, clearFormErrors, showApiError, showFormErrors } from "../../../components/form.js";
import { memberPage } from "../../../components/layout.js";
import { splitFigure } from "../../../components/split-figure.js";
import { showError } from "../../../components/states.js";
import { api } from "../../../lib/api.js";
import { brand, pagePath } from "../../../lib/config.js";
import { focusAtTop, h } from "../../../lib/dom.js";
import { dateFr, euros, todayIso } from "../../../lib/formats.js";
import { idempotencyKeeper } from "../../../lib/idempotency.js";
import { getMe } from "../../../lib/me.js";

const form = document.getElementById("estimate-form");
const summary = document.getElementById("estimate-errors");
const submit = document.getElementById("estimate-submit");
const status = document.getElementById("estimate-status");
const errorBox = document.getElementById("estimate-error");
const result = document.getElementById("estimate-result");
const labelInput = document.getElementById("est-label");
const care = setupCareFields("est", { amountLabel: "le prix annoncé" });
const keys = idempotencyKeeper();
clearErrorsOnInput(form);
let me = null;

function startOver() {
  result.hidden = true;
  result.replaceChildren();
  form.reset();
  care.reset();
  care.fill(me);
  keys.reset();
  document.getElementById("est-date").value = todayIso();
  document.getElementById("est-act").focus();
}

function renderResult(estimate) {
  const totals = estimate.totals ?? {};
  const heading = h("h2", { id: "estimate-result-title", text: "Votre estimation" });
  result.replaceChildren(
    heading,
    h("p", { class: "ea-result__summary" },
      `Pour « ${estimate.act_label} » à ${euros(estimate.price_cents)}, le ${dateFr(estimate.care_date)}, pour ${estimate.beneficiary_name} : `,
      h("strong", { text: `${euros(totals.out_of_pocket_cents)} resteraient à votre charge` }),
      `, après ${euros(totals.social_security_cents)} de la Sécurité sociale et ${euros(totals.mutual_cents)} de ${brand.name || "votre mutuelle"}.`),
    splitFigure(totals, `Répartition estimée des ${euros(totals.real_cost_cents ?? estimate.price_cents)} de frais`),
    h("h3", { text: "Le calcul, ligne par ligne" }),
    explanationList(estimate.lines),
    h("p", {
      class: "ea-note",
      text: "Cette estimation est indicative : elle repose sur ce que vous avez saisi et sur vos garanties à la date des soins. Le remboursement réel dépendra de ce que le professionnel facturera et déclarera.",
    }),
    h("p", { class: "ea-result__actions" },
      // The discovery mode keeps nothing: no saved estimate to open.
      estimate.demo ? null : h("a", { class: "ea-button ea-button--secondary", href: pagePath("espace/estimations/detail/", { id: estimate.id }), text: "Voir le détail de cette estimation" }),
      h("a", { class: "ea-button ea-button--secondary", href: pagePath("espace/estimations/"), text: "Toutes mes estimations" }),
      h("button", { type: "button", class: "ea-button ea-button--primary", text: "Faire une autre estimation", onclick: startOver })),
  );
  result.hidden = false;
  // The heading, not the whole panel: screen readers start there, and it shows at the top.
  focusAtTop(heading);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (submit.disabled) return;
  clearFormErrors(form, summary);
  errorBox.replaceChildren();
  const { values, errors } = care.read();
  if (errors.length) {
    showFormErrors(summary, errors);
    return;
  }
  const body = {
    beneficiary_id: values.beneficiary_id,
    act_code: values.act_code,
    care_date: values.care_date,
    price_cents: values.amount_cents,
    quantity: values.quantity ?? 1,
    practitioner: values.practitioner ?? { sector: 1, optam: false },
    care_pathway: values.care_pathway ?? true,
  };
  for (const flag of ["ald_related", "work_accident", "sight_change", "frame_misfit"]) {
    if (values[flag]) body[flag] = true;
  }
  const label = labelInput.value.trim();
  if (label) body.label = label;

  submit.disabled = true;
  form.setAttribute("aria-busy", "true");
  status.textContent = "Calcul de votre estimation en cours…";
  try {
    const estimate = await api("/claims/estimates", { method: "POST", body, idempotencyKey: keys.keyFor(body) });
    status.textContent = "Estimation calculée.";
    renderResult(estimate);
  } catch (error) {
    status.textContent = "";
    showApiError({
      error,
      summary,
      errorBox,
      fieldFor: (name) => (name === "label" ? labelInput : care.fieldFor(name)),
      onRetry: () => form.requestSubmit(),
    });
  } finally {
    submit.disabled = false;
    form.removeAttribute("aria-busy");
  }
});

await memberPage();
document.getElementById("est-date").value = todayIso();
try {
  me = await getMe();
  care.fill(me);
} catch (error) {
  showError(errorBox, error, { onRetry: () => location.reload(), retryLabel: "Recharger la page" });
}

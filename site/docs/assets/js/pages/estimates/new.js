// "Demander une estimation": the form, then the result with the split and the explanations.

import { api } from "./api.js";
import { brand, siteUrl } from "./config.js";
import { setupCareFields } from "./care-form.js";
import { dateFr, euros, todayIso } from "./format.js";
import { idempotencyKeeper } from "./idempotency.js";
import { getMe, memberPage } from "./layout.js";
import {
  clearErrorsOnInput,
  apiFieldMessages,
  clearFormErrors,
  explanationList,
  h,
  showError,
  showFormErrors,
  splitFigure,
} from "./ui.js";

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

function estimateUrl(estimate) {
  const url = siteUrl("espace/estimations/detail/");
  url.searchParams.set("id", estimate.id);
  return url.pathname + url.search;
}

function renderResult(estimate) {
  const totals = estimate.totals ?? {};
  result.replaceChildren(
    h("h2", { id: "estimate-result-title", text: "Votre estimation" }),
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
    h(
      "p",
      { class: "ea-result__actions" },
      h("a", { class: "ea-button ea-button--secondary", href: estimateUrl(estimate), text: "Voir le détail de cette estimation" }),
      h("a", { class: "ea-button ea-button--secondary", href: siteUrl("espace/estimations/").pathname, text: "Toutes mes estimations" }),
      h("button", {
        type: "button",
        class: "ea-button ea-button--primary",
        text: "Faire une autre estimation",
        onclick: () => {
          result.hidden = true;
          result.replaceChildren();
          form.reset();
          care.reset();
          care.fill(me);
          keys.reset();
          document.getElementById("est-date").value = todayIso();
          document.getElementById("est-act").focus();
        },
      }),
    ),
  );
  result.hidden = false;
  result.focus();
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
    const messages = apiFieldMessages(error.fields);
    const fieldErrors = Object.entries(messages)
      .map(([name, message]) => ({ field: care.fieldFor(name), message }))
      .filter((item) => item.field);
    if (fieldErrors.length) showFormErrors(summary, fieldErrors);
    showError(errorBox, error, error.retryable ? { onRetry: () => form.requestSubmit() } : {});
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

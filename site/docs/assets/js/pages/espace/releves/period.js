// « Un relevé sur mesure »: a statement for any period and any of the beneficiaries.

import { apiFieldMessages, clearErrorsOnInput, clearFormErrors, setFieldError, showFormErrors } from "../../../components/form.js";
import { h } from "../../../lib/dom.js";
import { dateFr, isIsoDate, todayIso } from "../../../lib/formats.js";
import { beneficiaryName, getMe } from "../../../lib/me.js";
import { clearDownloadMessages, download } from "./downloads.js";

const form = document.getElementById("period-form");
const summary = document.getElementById("period-errors");
const fromInput = document.getElementById("period-from");
const toInput = document.getElementById("period-to");
const beneficiaries = document.getElementById("period-beneficiaries");
const beneficiariesMount = document.getElementById("period-beneficiary-list");
clearErrorsOnInput(form);

function fillBeneficiaries(me) {
  beneficiariesMount.replaceChildren(
    ...(me?.beneficiaries ?? []).map((beneficiary) =>
      h("div", { class: "ea-choice" },
        h("input", { type: "checkbox", id: `period-beneficiary-${beneficiary.id}`, value: beneficiary.id, checked: true, name: "beneficiary" }),
        h("label", { for: `period-beneficiary-${beneficiary.id}` }, beneficiaryName(beneficiary),
          beneficiary.relationship_label ? h("span", { class: "ea-choice__detail", text: ` (${beneficiary.relationship_label.toLowerCase()})` }) : null)),
    ),
  );
}

/** Where an API error about a field of the period is shown. */
const fieldFor = (name) => ({ from: fromInput, to: toInput, beneficiary_ids: beneficiaries })[name] ?? null;

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearFormErrors(form, summary);
  clearDownloadMessages();
  const format = event.submitter?.value === "csv" ? "csv" : "pdf";
  const errors = [];
  const from = fromInput.value;
  const to = toInput.value;
  if (!isIsoDate(from)) errors.push({ field: fromInput, message: "Indiquez la date de début de la période." });
  if (!isIsoDate(to)) errors.push({ field: toInput, message: "Indiquez la date de fin de la période." });
  if (isIsoDate(from) && isIsoDate(to) && from > to) errors.push({ field: toInput, message: "La date de fin doit être après la date de début." });
  const boxes = [...beneficiaries.querySelectorAll('input[type="checkbox"]')];
  const chosen = boxes.filter((box) => box.checked).map((box) => box.value);
  if (boxes.length && !chosen.length) errors.push({ field: beneficiaries, message: "Cochez au moins un bénéficiaire." });
  if (errors.length) {
    showFormErrors(summary, errors);
    return;
  }
  download({
    from,
    to,
    // Every beneficiary ticked: send the empty list, which the API reads as "all".
    beneficiaryIds: chosen.length === boxes.length ? [] : chosen,
    format,
    what: `le relevé du ${dateFr(from)} au ${dateFr(to)}`,
    button: event.submitter,
    place: "period",
  }).catch((error) => {
    // download() shows the message; the fields it names get their own words.
    for (const [name, message] of Object.entries(apiFieldMessages(error.fields))) {
      const field = fieldFor(name);
      if (field) setFieldError(field, `${message.charAt(0).toUpperCase()}${message.slice(1)}.`);
    }
  });
});

/** Sets the period form up; the page calls it once the member is known. */
export async function startPeriod() {
  const today = todayIso();
  fromInput.value = `${today.slice(0, 4)}-01-01`;
  toInput.value = today;
  try {
    fillBeneficiaries(await getMe());
  } catch {
    beneficiariesMount.replaceChildren(h("p", { class: "ea-hint", text: "La liste des bénéficiaires n'a pas pu être chargée : le relevé portera sur tous les bénéficiaires." }));
  }
}

// Fields shared by the estimate and the reimbursement request forms: beneficiary, care (with
// search), date, amount, practitioner sector/OPTAM (only when the act needs it) and the care
// pathway (consultations only). Ids follow the pattern `<prefix>-<name>` in the page markup.

import { isIsoDate, parseEurosToCents, todayIso } from "../lib/formats.js";
import { fillBeneficiarySelect } from "./beneficiary-select.js";
import { setupActCombobox } from "./care-search.js";

/** "Secteur 2 (dépassements d'honoraires possibles), adhérent à l'OPTAM" */
export function sectorLabel(practitioner) {
  if (!practitioner?.sector) return "";
  const sector =
    Number(practitioner.sector) === 1
      ? "Secteur 1 (tarifs conventionnés, sans dépassement)"
      : "Secteur 2 (dépassements d'honoraires possibles)";
  if (Number(practitioner.sector) !== 2) return sector;
  const optam = { true: "adhérent à l'OPTAM", false: "non adhérent à l'OPTAM" }[practitioner.optam] ?? "adhésion à l'OPTAM inconnue";
  return `${sector}, ${optam}`;
}

export function isConsultation(act) {
  return /consult/i.test(`${act?.category ?? ""} ${act?.category_label ?? ""}`);
}

export function setupCareFields(prefix, { amountLabel = "le prix du soin", allowFuture = true } = {}) {
  const byId = (name) => document.getElementById(`${prefix}-${name}`);
  const fields = {
    beneficiary: byId("beneficiary"),
    act: byId("act"),
    date: byId("date"),
    amount: byId("amount"),
    quantity: byId("quantity"),
    sector: byId("sector"),
    optam: byId("optam"),
    pathwayField: byId("pathway-field"),
    pathway: byId("pathway"),
    aldField: byId("ald-field"),
    ald: byId("ald"),
    aldHint: byId("ald-hint"),
    work: byId("work"),
    opticsField: byId("optics-field"),
    sight: byId("sight"),
    frame: byId("frame"),
  };
  let people = [];
  const checked = (fieldset) => fieldset.querySelector("input:checked")?.value ?? "";

  /** The ALDs on file for the chosen beneficiary: the box only shows for her. */
  function updateSituation() {
    const person = people.find((beneficiary) => beneficiary.id === fields.beneficiary.value);
    const ald = person?.situation?.ald ?? [];
    if (!fields.aldField) return;
    fields.aldField.hidden = ald.length === 0;
    if (ald.length === 0) fields.ald.checked = false;
    fields.aldHint.textContent = ald.length
      ? `Sur son dossier : ${ald.map((item) => item.label).join(", ")}. La Sécurité sociale prend alors en charge 100 % du tarif de base ; la participation forfaitaire et les franchises restent dues.`
      : "";
  }

  function updateConditionalFields(act) {
    const needsSector = Boolean(act?.needs_sector);
    fields.sector.hidden = !needsSector;
    fields.optam.hidden = !needsSector || checked(fields.sector) !== "2";
    fields.pathwayField.hidden = !isConsultation(act);
    if (fields.opticsField) {
      fields.opticsField.hidden = act?.category !== "optics";
      if (fields.opticsField.hidden) fields.sight.checked = fields.frame.checked = false;
    }
  }

  const combobox = setupActCombobox({
    input: fields.act,
    listbox: byId("act-list"),
    status: byId("act-status"),
    onChange: updateConditionalFields,
  });
  fields.sector.addEventListener("change", () => updateConditionalFields(combobox.value));
  fields.beneficiary.addEventListener("change", updateSituation);
  if (!allowFuture) fields.date.max = todayIso();

  /** Returns {values, errors}; errors is a list of {field, message}. */
  function read() {
    const errors = [];
    const act = combobox.value;
    const values = {
      beneficiary_id: fields.beneficiary.value,
      act_code: act?.code ?? act?.id ?? "",
      care_date: fields.date.value,
      amount_cents: parseEurosToCents(fields.amount.value),
    };
    if (!values.beneficiary_id) errors.push({ field: fields.beneficiary, message: "Choisissez le bénéficiaire des soins." });
    if (!act) {
      errors.push({
        field: fields.act,
        message: fields.act.value.trim()
          ? "Choisissez le soin dans la liste proposée sous le champ."
          : "Indiquez le soin : tapez au moins 2 lettres, puis choisissez dans la liste.",
      });
    }
    if (!values.care_date) errors.push({ field: fields.date, message: "Indiquez la date des soins." });
    else if (!isIsoDate(values.care_date)) errors.push({ field: fields.date, message: "Indiquez une date valide, au format jj/mm/aaaa." });
    else if (!allowFuture && values.care_date > todayIso()) errors.push({ field: fields.date, message: "La date des soins ne peut pas être dans le futur." });
    if (!fields.amount.value.trim()) errors.push({ field: fields.amount, message: `Indiquez ${amountLabel} en euros.` });
    else if (values.amount_cents === null) errors.push({ field: fields.amount, message: "Indiquez un montant en euros, avec des chiffres, par exemple 45,50." });
    else if (values.amount_cents <= 0) errors.push({ field: fields.amount, message: "Le montant doit être supérieur à 0 €." });
    if (fields.quantity) {
      const quantity = Number(fields.quantity.value || 1);
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > 99) {
        errors.push({ field: fields.quantity, message: "Indiquez un nombre entier entre 1 et 99." });
      } else values.quantity = quantity;
    }
    if (act?.needs_sector) {
      const sector = checked(fields.sector);
      const optam = checked(fields.optam);
      if (!sector) errors.push({ field: fields.sector, message: "Indiquez si le professionnel est en secteur 1 ou en secteur 2." });
      else if (sector === "2" && !optam) {
        errors.push({ field: fields.optam, message: "Indiquez si le médecin adhère à l'OPTAM, ou choisissez « Je ne sais pas »." });
      }
      // « Je ne sais pas » is sent as it is (null): the engine assumes the less favourable case.
      values.practitioner = { sector: Number(sector) || 1, optam: sector === "2" ? ({ oui: true, non: false }[optam] ?? null) : false };
    }
    if (isConsultation(act)) values.care_pathway = fields.pathway.checked;
    if (fields.ald && !fields.aldField.hidden) values.ald_related = fields.ald.checked;
    if (fields.work) values.work_accident = fields.work.checked;
    if (fields.opticsField && !fields.opticsField.hidden) {
      values.sight_change = fields.sight.checked;
      values.frame_misfit = fields.frame.checked;
    }
    return { values, errors, act };
  }

  /** Where to show an error returned by the API for a field name. */
  function fieldFor(name) {
    const key = String(name).split(/[.[]/)[0];
    const map = {
      beneficiary_id: fields.beneficiary,
      act_code: fields.act,
      care_date: fields.date,
      price_cents: fields.amount,
      amount_cents: fields.amount,
      quantity: fields.quantity,
      practitioner: String(name).includes("optam") ? fields.optam : fields.sector,
      care_pathway: fields.pathway,
      ald_related: fields.ald,
      work_accident: fields.work,
      sight_change: fields.sight,
      frame_misfit: fields.frame,
    };
    const field = map[key];
    return field && !field.closest("[hidden]") ? field : null;
  }

  return {
    fields,
    read,
    fieldFor,
    fill(me) {
      const member = me?.beneficiaries?.find((beneficiary) => beneficiary.relationship === "member");
      people = me?.beneficiaries ?? [];
      fillBeneficiarySelect(fields.beneficiary, me, fields.beneficiary.value || member?.id || "");
      updateSituation();
    },
    reset() {
      combobox.reset();
      updateConditionalFields(null);
      updateSituation();
    },
  };
}

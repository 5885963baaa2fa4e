// « Mes procurations »: give one (a form, then its summary before the invitation leaves), the
// ones she gave (« Mettre fin maintenant ») and the ones she received (« Ouvrir son espace »,
// « Renoncer »). Everything here is her own account's: no call goes through a procuration.

import { clearErrorsOnInput, clearFormErrors, showApiError, showFormErrors } from "../../../../components/form.js";
import { memberPage } from "../../../../components/layout.js";
import { cardList, givenCard, receivedCard } from "../../../../components/procurations.js";
import { setLoaded, setLoading, showError, showNotice } from "../../../../components/states.js";
import { SCOPE_LABELS } from "../../../../lib/acting.js";
import { api } from "../../../../lib/api.js";
import { byId, focusAtTop, h } from "../../../../lib/dom.js";
import { addDaysIso, dateLongFr, isIsoDate, todayIso } from "../../../../lib/formats.js";
import { idempotencyKeeper } from "../../../../lib/idempotency.js";

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_MONTHS = 12;

const status = byId("procurations-status");
const errorBox = byId("procurations-error");
const givenList = byId("given-list");
const receivedList = byId("received-list");
const form = byId("give-form");
const summary = byId("give-summary");
const errors = byId("give-errors");
const fields = {
  first_name: byId("give-first-name"),
  last_name: byId("give-last-name"),
  email: byId("give-email"),
  scope: byId("give-scope"),
  until: byId("give-until"),
};
const keys = idempotencyKeeper();

/** The same day 12 months on (the last day of the month when it has no such day). */
export function latestUntil(today) {
  const [year, month, day] = today.split("-").map(Number);
  const last = new Date(Date.UTC(year + 1, month, 0)).getUTCDate();
  return `${year + 1}-${String(month).padStart(2, "0")}-${String(Math.min(day, last)).padStart(2, "0")}`;
}

const today = todayIso();
const earliest = addDaysIso(today, 1);
const latest = latestUntil(today);
fields.until.min = earliest;
fields.until.max = latest;
byId("give-until-hint").textContent = `${MAX_MONTHS} mois au plus : au plus tard le ${dateLongFr(latest)}. Vous pourrez y mettre fin plus tôt à tout moment.`;

function scopeValue() {
  return form.querySelector('input[name="scope"]:checked')?.value ?? "";
}

function filled() {
  return {
    first_name: fields.first_name.value.trim(),
    last_name: fields.last_name.value.trim(),
    email: fields.email.value.trim(),
    scope: scopeValue(),
    until: fields.until.value,
  };
}

function validate(body) {
  const problems = [];
  if (!body.first_name) problems.push({ field: fields.first_name, message: "Saisissez le prénom de votre proche." });
  if (!body.last_name) problems.push({ field: fields.last_name, message: "Saisissez le nom de votre proche." });
  if (!body.email) problems.push({ field: fields.email, message: "Saisissez l'adresse e-mail de votre proche." });
  else if (!EMAIL_PATTERN.test(body.email)) {
    problems.push({ field: fields.email, message: "Saisissez une adresse e-mail complète, par exemple nom@exemple.fr." });
  }
  if (!body.scope) problems.push({ field: fields.scope, message: "Choisissez ce que votre proche pourra faire." });
  if (!body.until) problems.push({ field: fields.until, message: "Choisissez jusqu'à quand la procuration vaut." });
  else if (!isIsoDate(body.until)) problems.push({ field: fields.until, message: "Saisissez une date complète, par exemple 31/12/2027." });
  else if (body.until < earliest) problems.push({ field: fields.until, message: "Choisissez une date de fin après aujourd'hui." });
  else if (body.until > latest) {
    problems.push({ field: fields.until, message: `Une procuration dure ${MAX_MONTHS} mois au plus : choisissez une date au plus tard le ${dateLongFr(latest)}.` });
  }
  return problems;
}

// ---- the lists ------------------------------------------------------------------------------

async function load() {
  setLoading(givenList, status, "Chargement de vos procurations…");
  receivedList.setAttribute("aria-busy", "true");
  errorBox.replaceChildren();
  try {
    const data = await api("/members/procurations", { asSelf: true });
    const given = data?.given ?? [];
    const received = data?.received ?? [];
    givenList.replaceChildren(cardList(given, givenCard, {
      label: "Les procurations que j'ai données",
      empty: "Vous n'avez donné aucune procuration.",
      onEnded: () => reload("La procuration a pris fin. Votre proche n'a plus accès à votre espace."),
    }));
    receivedList.replaceChildren(cardList(received, receivedCard, {
      label: "Les procurations que j'ai reçues",
      empty: "Personne ne vous a confié de procuration.",
      onEnded: () => reload("Vous avez renoncé à cette procuration."),
    }));
    receivedList.setAttribute("aria-busy", "false");
    setLoaded(givenList, status, "Procurations affichées.", { visible: false });
  } catch (error) {
    setLoaded(givenList, status, "", { visible: false });
    receivedList.setAttribute("aria-busy", "false");
    showError(errorBox, error, { onRetry: load });
  }
}

async function reload(message) {
  await load();
  const notice = showNotice(byId("give-notice"), message, { focus: false });
  focusAtTop(notice);
}

// ---- giving one -----------------------------------------------------------------------------

function showSummary(body) {
  const rows = [
    ["Votre proche", `${body.first_name} ${body.last_name}`],
    ["Son adresse e-mail", body.email],
    ["Ce qu'il pourra faire", SCOPE_LABELS[body.scope]],
    ["Jusqu'au", `${dateLongFr(body.until)} inclus (vous pourrez y mettre fin plus tôt)`],
  ];
  summary.querySelector("[data-mount]").replaceChildren(...rows.flatMap(([term, value]) => [h("dt", { text: term }), h("dd", { text: value })]));
  byId("give-send-error").replaceChildren();
  form.hidden = true;
  summary.hidden = false;
  summary.focus();
}

clearErrorsOnInput(form);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearFormErrors(form, errors);
  byId("give-error").replaceChildren();
  byId("give-notice").replaceChildren();
  const body = filled();
  const problems = validate(body);
  if (problems.length) {
    showFormErrors(errors, problems);
    return;
  }
  showSummary(body);
});

byId("give-edit").addEventListener("click", () => {
  summary.hidden = true;
  form.hidden = false;
  fields.first_name.focus();
});

const send = byId("give-send");
send.addEventListener("click", async () => {
  if (send.disabled) return;
  const body = filled();
  send.disabled = true;
  byId("give-status").textContent = "Envoi de l'invitation…";
  try {
    await api("/members/procurations", { method: "POST", body, idempotencyKey: keys.keyFor(body), asSelf: true });
  } catch (error) {
    byId("give-status").textContent = "";
    send.disabled = false;
    if (error.status === 400 || error.status === 422) {
      // Back to the form, the API's words under the fields they are about.
      summary.hidden = true;
      form.hidden = false;
      const marked = showApiError({ error, summary: errors, fieldFor: (name) => fields[name] ?? null });
      if (!marked) showError(byId("give-error"), error);
    } else {
      showError(byId("give-send-error"), error);
    }
    return;
  }
  send.disabled = false;
  byId("give-status").textContent = "";
  keys.reset();
  form.reset();
  summary.hidden = true;
  form.hidden = false;
  await reload(`Invitation envoyée à ${body.first_name} ${body.last_name} (${body.email}). Votre proche a 7 jours pour l'accepter avec le code reçu par e-mail ; vous serez prévenu par e-mail quand la procuration commencera.`);
});

await memberPage();
load();

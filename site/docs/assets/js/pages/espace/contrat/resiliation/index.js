// « Résilier mon contrat », the steps the 2023 decree on online termination asks for: what she
// can terminate and when (the rules and their sources, from the API), the reason chosen from a
// list, a summary she can go back from, then « Confirmer ma demande de résiliation ». The
// answer is the acknowledgement: dates, effects, the letter filed in « Mes documents ».
// A collective contract gets the explanation and what she can do instead, never the form.

import { clearErrorsOnInput, clearFieldError, clearFormErrors, showFormErrors } from "../../../../components/form.js";
import { facts } from "../../../../components/facts.js";
import { memberPage } from "../../../../components/layout.js";
import { showError } from "../../../../components/states.js";
import { setupUploadField } from "../../../../components/upload-field.js";
import { requestPath, showRefusal } from "../../../../components/filed-request.js";
import { api } from "../../../../lib/api.js";
import { pagePath } from "../../../../lib/config.js";
import { focusAtTop, h } from "../../../../lib/dom.js";
import { addDaysIso, dateLongFr, isIsoDate } from "../../../../lib/formats.js";
import { idempotencyKeeper } from "../../../../lib/idempotency.js";

const $ = (id) => document.getElementById(id);
const intro = $("termination-intro");
const status = $("termination-status");
const errorBox = $("termination-error");
const form = $("termination-form");
const summaryErrors = $("termination-errors");
const reasonsBox = $("term-reasons");
const eventField = $("term-event-field");
const eventInput = $("term-event");
const filesField = $("term-files-field");
const filesInput = $("term-files");
const message = $("term-message");
const summary = $("termination-summary");
const done = $("termination-done");
const keys = idempotencyKeeper();
const uploads = setupUploadField({
  input: filesInput,
  list: $("term-file-list"),
  hint: $("term-files-hint"),
  announce: (text) => {
    $("term-files-status").textContent = text;
  },
});
clearErrorsOnInput(form);
filesInput.addEventListener("change", () => clearFieldError(filesInput));

let view = null; // GET /contract/termination
let chosen = null; // {reason, body} once step 1 holds

const reasonOf = (code) => view.reasons.find((r) => r.code === code);
const checkedReason = () => form.querySelector('input[name="reason"]:checked')?.value ?? null;
const link = (path, text, extra = {}) => h("a", { href: pagePath(path), text, ...extra });

function sourceLine(reason) {
  return h("span", { class: "ea-choice__detail" }, ` Source : ${reason.source}.${reason.confirmed ? "" : " (Lecture du texte en cours de confirmation par nos juristes.)"}`);
}

/** What the termination would take effect on, sent today (the API answers for certain). */
function effectiveFor(reason, eventDate) {
  if (reason.effective_on) return reason.effective_on;
  if (!eventDate) return null;
  if (reason.code === "death") return eventDate;
  if (reason.code === "c2s") {
    const tomorrow = addDaysIso(view.today, 1);
    return eventDate > tomorrow ? eventDate : tomorrow;
  }
  return null;
}

function contractFacts() {
  return facts([
    ["N° de contrat", view.contract_number ?? ""],
    ["Adhésion depuis le", dateLongFr(view.start_date)],
    ["Fin du contrat", view.end_date ? dateLongFr(view.end_date) : ""],
  ]);
}

function collectiveIntro() {
  return [
    h("div", { class: "ea-notice ea-notice--info", "data-testid": "termination-collective" },
      h("h2", { class: "ea-notice__title", text: "Ce contrat ne peut pas être résilié depuis votre espace" }),
      h("p", { text: view.why_not })),
    h("section", { class: "ea-section", "aria-labelledby": "term-what-to-do" },
      h("h2", { id: "term-what-to-do", text: "Ce que vous pouvez faire" }),
      h("ul", { class: "ea-plain-list" },
        h("li", { text: `Adressez-vous au service des ressources humaines de ${view.employer ?? "votre employeur"} : c'est lui qui gère votre affiliation au contrat collectif.` }),
        h("li", {}, "Vous quittez votre emploi ? Votre couverture peut continuer gratuitement jusqu'à 12 mois : ", link("espace/contrat/portabilite/", "déclarer une portabilité"), "."),
        h("li", {}, "Une question sur votre situation ? ", link("espace/contact/", "Écrivez à un conseiller"), ".")),
      h("h3", { text: "Les cas de dispense d'affiliation" }),
      h("p", { text: "Votre employeur peut vous dispenser d'adhérer dans les cas suivants, sur votre demande écrite et avec un justificatif :" }),
      h("ul", { class: "ea-plain-list", "data-testid": "dispense-cases" },
        view.dispense.map((d) => h("li", {}, d.case, h("span", { class: "ea-choice__detail", text: ` (${d.source})` }))))),
  ];
}

function pendingIntro() {
  const p = view.pending;
  return h("div", { class: "ea-notice ea-notice--info", "data-testid": "termination-pending" },
    h("h2", { class: "ea-notice__title", text: `Résiliation demandée le ${dateLongFr(p.requested_on)} — prend effet le ${dateLongFr(p.effective_on)}` }),
    h("p", { text: `${p.reason_label}. Demande n° ${p.reference} : ${p.status_label.toLowerCase()}. Jusqu'au ${dateLongFr(p.effective_on)} inclus, rien ne change dans votre espace.` }),
    h("p", { class: "ea-links" },
      h("a", { href: requestPath(p.id), text: "Suivre ma demande" }),
      link("espace/documents/", "Voir mon accusé de réception dans Mes documents")));
}

function openIntro() {
  return [
    h("h2", { id: "term-what", text: "Ce que vous pouvez résilier, et quand" }),
    h("p", { class: "ea-lead", text: "Vous pouvez résilier ici votre contrat santé individuel, pour vous et tous ses bénéficiaires. La date à laquelle la résiliation prend effet dépend du motif : chaque motif ci-dessous dit sa règle et sa date." }),
    contractFacts(),
    h("p", { class: "ea-hint", text: `Cette démarche en ligne suit les étapes prévues par la loi : ${view.online_source}.` }),
  ];
}

function reasonChoice(reason) {
  const id = `term-reason-${reason.code}`;
  const hintId = `${id}-hint`;
  const when = reason.available && reason.effective_on
    ? ` Envoyée aujourd'hui, la résiliation prendrait effet le ${dateLongFr(reason.effective_on)}.`
    : "";
  return h("div", { class: "ea-choice" },
    h("input", { type: "radio", name: "reason", id, value: reason.code, "aria-describedby": hintId, ...(reason.available ? {} : { disabled: "" }) }),
    h("label", { for: id, text: reason.label }),
    h("p", { class: "ea-hint", id: hintId },
      reason.available ? `${reason.rule}${when}` : reason.why_not,
      sourceLine(reason)));
}

function showReasonFields() {
  const code = checkedReason();
  const reason = code ? reasonOf(code) : null;
  eventField.hidden = !reason?.needs_event_date;
  if (reason?.needs_event_date) {
    $("term-event-label").textContent = reason.event_label;
    $("term-event-hint").textContent = `Entre le ${dateLongFr(reason.event_min)} et le ${dateLongFr(reason.event_max)}.`;
    eventInput.min = reason.event_min;
    eventInput.max = reason.event_max;
  }
  filesField.hidden = !reason?.needs_document;
  if (reason?.needs_document) $("term-files-what").textContent = reason.document_hint;
}
reasonsBox.addEventListener("change", showReasonFields);

function render() {
  if (view.collective) {
    intro.replaceChildren(...collectiveIntro());
    form.hidden = true;
    return;
  }
  if (view.pending) {
    intro.replaceChildren(pendingIntro(), contractFacts());
    form.hidden = true;
    return;
  }
  if (!view.can_request) {
    intro.replaceChildren(h("div", { class: "ea-notice ea-notice--info", "data-testid": "termination-closed" }, h("p", { text: view.why_not })));
    form.hidden = true;
    return;
  }
  intro.replaceChildren(...openIntro());
  reasonsBox.replaceChildren(...view.reasons.map(reasonChoice));
  form.hidden = false;
  showReasonFields();
}

/** Step 1 checked in the page; the API checks it all again. */
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearFormErrors(form, summaryErrors);
  errorBox.replaceChildren();
  const code = checkedReason();
  const errors = [];
  if (!code) errors.push({ field: $("term-reason"), message: "Choisissez le motif de votre résiliation." });
  const reason = code ? reasonOf(code) : null;
  const body = { reason: code };
  if (reason?.needs_event_date) {
    const value = eventInput.value;
    if (!value) errors.push({ field: eventInput, message: `Indiquez la ${reason.event_label.toLowerCase()}.` });
    else if (!isIsoDate(value)) errors.push({ field: eventInput, message: "Cette date n'existe pas : vérifiez le jour et le mois." });
    else if (value < reason.event_min || value > reason.event_max) {
      errors.push({ field: eventInput, message: `Pour ce motif, la date doit être comprise entre le ${dateLongFr(reason.event_min)} et le ${dateLongFr(reason.event_max)}.` });
    } else body.event_date = value;
  }
  if (reason?.needs_document) {
    if (uploads.busy()) {
      $("termination-form-status").textContent = "Envoi de vos fichiers en cours…";
      await uploads.whenIdle();
      $("termination-form-status").textContent = "";
    }
    if (!uploads.entries.length) errors.push({ field: filesInput, message: `Joignez le justificatif : ${reason.document_hint}` });
    for (const { message: text, focus } of uploads.errors()) errors.push({ field: filesInput, message: text, focus });
    body.upload_ids = uploads.readyIds();
  }
  if (message.value.trim()) body.message = message.value.trim();
  if (errors.length) {
    showFormErrors(summaryErrors, errors);
    return;
  }
  chosen = { reason, body };
  showSummary();
});

function showSummary() {
  const { reason, body } = chosen;
  const effective = effectiveFor(reason, body.event_date);
  const heading = h("h2", { id: "termination-summary-title", tabindex: "-1", text: "Étape 2 sur 3 : vérifiez votre demande" });
  const files = uploads.entries.map((entry) => entry.file?.name ?? entry.name).filter(Boolean);
  summary.replaceChildren(
    heading,
    facts([
      ["Contrat", view.contract_number ?? ""],
      ["Motif", reason.label],
      [reason.event_label ?? "Date de l'événement", body.event_date ? dateLongFr(body.event_date) : ""],
      ["Justificatif", files.length ? files.join(", ") : ""],
      ["Message", body.message ?? ""],
      ["Demande reçue le", `${dateLongFr(view.today)} (aujourd'hui)`],
      ["La résiliation prendra effet le", effective ? dateLongFr(effective) : ""],
    ]),
    h("p", { text: reason.rule }),
    h("p", { class: "ea-hint", text: `Source : ${reason.source}.` }),
    h("p", { text: "Jusqu'à cette date, rien ne change : vos garanties, votre carte et vos remboursements restent les mêmes. Vous recevrez un accusé de réception, rangé dans « Mes documents » et envoyé par courriel." }),
    h("div", { id: "termination-confirm-error", role: "alert" }),
    h("p", { class: "ea-result__actions" },
      h("button", { type: "button", class: "ea-button ea-button--secondary", id: "termination-back", text: "Modifier ma demande" }),
      h("button", { type: "button", class: "ea-button ea-button--primary", id: "termination-confirm", "data-tour": "termination-confirm", text: "Confirmer ma demande de résiliation" })),
    h("p", { class: "ea-status", id: "termination-confirm-status", role: "status", "aria-live": "polite" }),
  );
  form.hidden = true;
  intro.hidden = true;
  summary.hidden = false;
  $("termination-back").addEventListener("click", back);
  $("termination-confirm").addEventListener("click", confirm);
  focusAtTop(heading);
}

function back() {
  summary.hidden = true;
  intro.hidden = false;
  form.hidden = false;
  focusAtTop($("termination-step1"));
}

async function confirm() {
  const button = $("termination-confirm");
  if (button.disabled) return;
  const confirmStatus = $("termination-confirm-status");
  const confirmError = $("termination-confirm-error");
  confirmError.replaceChildren();
  button.disabled = true;
  confirmStatus.textContent = "Envoi de votre demande…";
  try {
    const created = await api("/contract/termination", { method: "POST", body: chosen.body, idempotencyKey: keys.keyFor(chosen.body) });
    confirmStatus.textContent = "";
    showDone(created);
  } catch (error) {
    confirmStatus.textContent = "";
    if (error.status === 422 && error.fields) {
      back();
      const fieldFor = (name) => (name.startsWith("upload") ? filesInput : name === "event_date" ? eventInput : name === "reason" ? $("term-reason") : name === "message" ? message : null);
      showRefusal({ error, summary: summaryErrors, errorBox, fieldFor, onRetry: null });
    } else {
      showError(confirmError, error, error.retryable ? { onRetry: confirm } : {});
    }
  } finally {
    button.disabled = false;
  }
}

function showDone(created) {
  const heading = h("h2", { id: "termination-done-title", tabindex: "-1", text: "Étape 3 sur 3 : votre demande de résiliation est enregistrée" });
  done.setAttribute("aria-labelledby", heading.id);
  done.replaceChildren(
    heading,
    h("p", { class: "ea-success__reference" }, "Numéro de votre demande : ", h("strong", { "data-testid": "request-reference", text: created.reference })),
    facts([
      ["Demande reçue le", dateLongFr(created.requested_on)],
      ["La résiliation prend effet le", dateLongFr(created.effective_on)],
    ]),
    h("h3", { text: "Ce que cela change" }),
    h("ul", { class: "ea-plain-list" }, created.effects.map((text) => h("li", { text }))),
    h("p", { text: "Votre accusé de réception est dans « Mes documents » et vous a été envoyé par courriel. Un conseiller vérifie votre demande : vous n'avez rien d'autre à faire." }),
    h("p", { class: "ea-result__actions" },
      h("a", { class: "ea-button ea-button--primary", href: pagePath("espace/documents/"), "data-testid": "termination-letter", text: "Voir mon accusé de réception" }),
      h("a", { class: "ea-button ea-button--secondary", href: requestPath(created.id), text: "Suivre ma demande" })),
  );
  summary.hidden = true;
  form.hidden = true;
  intro.hidden = true;
  done.hidden = false;
  focusAtTop(heading);
}

async function load() {
  errorBox.replaceChildren();
  status.textContent = "Chargement de votre contrat…";
  intro.setAttribute("aria-busy", "true");
  try {
    view = await api("/contract/termination");
    status.textContent = "";
    render();
  } catch (error) {
    status.textContent = "";
    showError(errorBox, error, { onRetry: load });
  } finally {
    intro.setAttribute("aria-busy", "false");
  }
}

await memberPage();
load();

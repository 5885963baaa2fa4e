// A member's file for an advisor, on a need-to-know basis: through a request, a message or a
// call-back of her team's (`?via=`), it opens at once; otherwise the page asks why (a reason
// from a fixed list, a note with « Autre »), and the API refuses without one. Every opening is
// recorded and shown to the member: the page says so before and after.

import { facts } from "../../../components/facts.js";
import { advisorPage } from "../../../components/layout.js";
import { clearErrorsOnInput, clearFormErrors, showFormErrors } from "../../../components/form.js";
import { setLoaded, setLoading, showError } from "../../../components/states.js";
import { statusBadge } from "../../../components/status-badge.js";
import { advisorRequestPath } from "../../../components/advisor-words.js";
import { api } from "../../../lib/api.js";
import { pagePath } from "../../../lib/config.js";
import { byId, focusAtTop, h } from "../../../lib/dom.js";
import { dateFr, dateLongFr, dateTimeFr } from "../../../lib/formats.js";

const REASONS = ["member_call", "mail_received", "complaint", "quality_check", "other"];
const mount = byId("member-file");
const status = byId("file-status");
const errorBox = byId("file-error");
const section = byId("file-reason-section");
const form = byId("file-reason-form");
const summary = byId("file-reason-errors");
const intro = byId("file-reason-intro");
const fields = { adherent: byId("file-member"), motif: byId("file-reason"), note: byId("file-note") };
const formError = byId("file-reason-error");

const params = new URLSearchParams(location.search);
const wanted = {
  adherent: (params.get("adherent") ?? "").trim(),
  via: params.get("via") ?? "",
  motif: REASONS.includes(params.get("motif")) ? params.get("motif") : "",
  note: (params.get("note") ?? "").trim().slice(0, 200),
};

function askReason(message) {
  section.hidden = false;
  fields.adherent.value = wanted.adherent;
  fields.motif.value = wanted.motif;
  fields.note.value = wanted.note;
  if (message) intro.textContent = message;
}

function list(items, render, empty) {
  return items.length ? h("ul", { class: "ea-recent" }, items.map(render)) : h("p", { class: "ea-hint", text: empty });
}

function render(file) {
  return h("section", { class: "ea-card ea-member-file", "aria-labelledby": "member-file-title" },
    h("h2", { id: "member-file-title", text: `Dossier de ${file.name}` }),
    h("p", { class: "ea-notice ea-notice--success", "data-testid": "file-opened-for" },
      `Ouverture enregistrée. L'adhérent lira : « ${file.opened_for} ».`),
    facts([
      ["N° d'adhérent", file.member_number],
      ["Année de naissance", file.birth_year ? String(file.birth_year) : "Non renseignée"],
      ["Formule", file.formula_label ?? "Pas de contrat actif"],
      ["Adhérent depuis le", file.contract_start ? dateLongFr(file.contract_start) : ""],
      ["Bénéficiaires", file.beneficiaries.map((b) => `${b.first_name} (${b.relationship_label})`).join(", ") || "Aucun"],
    ]),
    h("h3", { text: "Ses demandes récentes" }),
    list(file.recent_requests, (item) => h("li", { class: "ea-recent__item" },
      h("a", { href: pagePath(advisorRequestPath, { id: item.ref }) }, item.subject,
        h("span", { class: "ea-visually-hidden", text: ` : demande n° ${item.reference}` })),
      h("span", { class: "ea-recent__meta" }, `N° ${item.reference}, ${item.kind_label.toLowerCase()}, ${dateFr(item.created_at)} · ${item.status_label}`)),
      "Aucune demande."),
    h("h3", { text: "Ses conversations" }),
    list(file.threads, (item) => h("li", { class: "ea-recent__item" },
      h("a", { href: pagePath("conseiller/messages/conversation/", { id: item.ref }) }, item.subject),
      h("span", { class: "ea-recent__meta" }, `Dernier message le ${dateTimeFr(item.last_message_at)} `, statusBadge(item.status_label === "Répondu" ? "done" : "pending", item.status_label))),
      "Aucune conversation."),
    h("h3", { text: "Ses rappels à venir" }),
    list(file.upcoming_callbacks, (item) => h("li", { class: "ea-recent__item" },
      h("span", { text: `Le ${dateTimeFr(item.starts_at)} : ${item.topic}` })),
      "Aucun rappel prévu."));
}

async function open() {
  errorBox.replaceChildren();
  setLoading(mount, status, "Ouverture du dossier…");
  try {
    const query = wanted.via ? { via: wanted.via } : {};
    if (wanted.motif) Object.assign(query, { reason: wanted.motif, note: wanted.note || undefined });
    const file = await api(`/support/advisor/members/${encodeURIComponent(wanted.adherent)}`, { query });
    section.hidden = true;
    mount.replaceChildren(render(file));
    setLoaded(mount, status, `Dossier de ${file.name} ouvert.`);
    focusAtTop(mount);
  } catch (error) {
    setLoaded(mount, status, "", { visible: false });
    if (error.code === "reason_required") {
      askReason(error.message);
      fields.motif.focus();
    } else if (error.code === "note_required") {
      askReason();
      showFormErrors(summary, [{ field: fields.note, message: error.message }]);
    } else {
      askReason();
      showError(errorBox, error, { onRetry: open });
    }
  }
}

clearErrorsOnInput(form);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearFormErrors(form, summary);
  formError.replaceChildren();
  const errors = [];
  const number = fields.adherent.value.trim();
  if (!/^[0-9A-Za-z]{1,20}$/.test(number)) errors.push({ field: fields.adherent, message: "Indiquez le numéro d'adhérent (chiffres et lettres, 20 au plus)." });
  if (!REASONS.includes(fields.motif.value)) errors.push({ field: fields.motif, message: "Choisissez le motif de l'ouverture." });
  if (fields.motif.value === "other" && !fields.note.value.trim()) errors.push({ field: fields.note, message: "Avec « Autre », précisez le motif en quelques mots." });
  if (errors.length) {
    showFormErrors(summary, errors);
    return;
  }
  Object.assign(wanted, { adherent: number, via: "", motif: fields.motif.value, note: fields.note.value.trim() });
  const url = new URL(location.href);
  url.search = new URLSearchParams({ adherent: number, motif: wanted.motif, ...(wanted.note ? { note: wanted.note } : {}) }).toString();
  history.replaceState(null, "", url);
  open();
});

await advisorPage();
if (wanted.adherent && (wanted.via || wanted.motif)) open();
else askReason(wanted.adherent ? null : "Indiquez le numéro de l'adhérent et le motif de l'ouverture. L'adhérent le lira tel quel.");

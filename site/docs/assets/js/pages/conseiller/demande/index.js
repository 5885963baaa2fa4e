// A request in the advisors' workspace: the request and its documents, the member's file
// (formula, beneficiaries and their situations, recent requests), for a reimbursement the
// engine's split, the whole history (internal steps included), and the actions allowed now,
// each with a message to the member and checked against the version read (409 → reload).

import { detailPage } from "../../../components/detail-page.js";
import { explanationList } from "../../../components/explanation-list.js";
import { facts } from "../../../components/facts.js";
import { formDialog } from "../../../components/form-dialog.js";
import { advisorPage } from "../../../components/layout.js";
import { byLabel, fileList, messageText, requestHistory } from "../../../components/request-history.js";
import { splitFigure } from "../../../components/split-figure.js";
import { showNotice } from "../../../components/states.js";
import { statusBadge } from "../../../components/status-badge.js";
import { apiFieldMessages } from "../../../components/form.js";
import { api } from "../../../lib/api.js";
import { pagePath } from "../../../lib/config.js";
import { focusAtTop, h } from "../../../lib/dom.js";
import { dateFr, dateLongFr, dateTimeFr, de, euros, plural } from "../../../lib/formats.js";
import { isOpenRequest, requestStatusLabel } from "../../../lib/request-statuses.js";
import { advisorRequestPath, assignee, deadlineText } from "../../../components/advisor-words.js";

const MAX_MESSAGE = 2000;

/** Each action: its button, its dialog, whether the message is required, what is said after,
 * and where the member reads what (the email says what happened and what to do, never the
 * message: it may hold a health detail). */
const ACTIONS = {
  take: {
    button: "Prendre en charge",
    title: "Prendre en charge cette demande",
    intro: () => `La demande vous est attribuée et passe « ${requestStatusLabel("in_progress")} ». L'adhérent en est informé par e-mail.`,
    label: "Message à l'adhérent (facultatif)",
    hint: "Par exemple pour accuser réception d'une réclamation.",
    reads: "L'e-mail lui dit que sa demande est prise en charge, sans votre message\u00a0: il le lit dans son espace, rubrique «\u00a0Mes demandes\u00a0».",
    required: false,
    done: "Demande prise en charge : elle vous est attribuée. L'adhérent est informé par e-mail.",
  },
  ask: {
    button: "Demander des informations",
    title: "Demander des informations à l'adhérent",
    intro: () => `La demande passe « ${requestStatusLabel("info_needed")} ». L'adhérent reçoit un e-mail et vous répond depuis son espace, avec de nouveaux documents s'il le faut.`,
    label: "Votre question à l'adhérent",
    hint: "Dites précisément ce qui manque : l'information, le document, et pour quelle personne.",
    reads: "L'e-mail lui dit qu'une information lui est demandée et comment répondre, sans votre question\u00a0: il la lit et y répond dans son espace, rubrique «\u00a0Mes demandes\u00a0».",
    required: "Écrivez votre question à l'adhérent : dites-lui quelles informations ou quels documents manquent.",
    done: "Votre question est envoyée : la demande attend la réponse de l'adhérent.",
  },
  accept: {
    button: "Accepter",
    title: "Accepter la demande",
    // An accepted reimbursement is sent for payment: the management system pays it.
    intro: (request) => [request.accept_effect, `La demande passe « ${requestStatusLabel(request.kind === "reimbursement" ? "payment_requested" : "processed")} » et l'adhérent reçoit un e-mail qui le lui dit.`].filter(Boolean),
    label: "Message à l'adhérent (facultatif)",
    hint: "Sans message, l'adhérent lit que sa demande est acceptée (et, pour un remboursement, transmise pour paiement).",
    reads: "L'e-mail lui dit que sa demande est acceptée et ce qui change, sans votre message\u00a0: il le lit dans son espace, rubrique «\u00a0Mes demandes\u00a0», et dans le courrier de réponse rangé dans «\u00a0Mes documents\u00a0».",
    required: false,
    done: "Demande acceptée. L'adhérent est informé par e-mail.",
  },
  refuse: {
    button: "Refuser",
    title: "Refuser la demande",
    intro: () => `La demande passe « ${requestStatusLabel("refused")} » et l'adhérent reçoit un e-mail qui le lui dit. Votre message lui est montré tel quel.`,
    label: "Motif du refus, pour l'adhérent",
    hint: "Expliquez pourquoi la demande est refusée et ce que l'adhérent peut faire.",
    reads: "L'e-mail lui dit que sa demande est refusée, sans le motif\u00a0: il le lit dans son espace, rubrique «\u00a0Mes demandes\u00a0», et dans le courrier de réponse rangé dans «\u00a0Mes documents\u00a0».",
    required: "Expliquez à l'adhérent pourquoi sa demande est refusée et ce qu'il peut faire.",
    danger: true,
    done: "Demande refusée. L'adhérent est informé par e-mail.",
  },
};

function card(id, title, ...content) {
  return h("section", { class: "ea-card", "aria-labelledby": id }, h("h2", { id, text: title }), ...content);
}

const topic = (request) =>
  request.category_label && request.category_label !== request.kind_label ? `${request.kind_label} · ${request.category_label}` : request.kind_label;

function summary(request) {
  const due = request.deadlines;
  const acknowledged = (request.history ?? []).find((event) => event.action !== "send" && event.action !== "answer");
  return h("section", { class: "ea-card ea-detail__summary", "aria-labelledby": "advisor-subject" },
    h("h2", { id: "advisor-subject", text: request.subject }),
    h("p", { class: "ea-detail__status" }, statusBadge(request.status, request.status_label)),
    h("p", { class: "ea-request-number" }, "N° de demande : ", h("strong", { "data-testid": "request-reference", text: request.reference })),
    facts([
      ["Adhérent", request.member?.name],
      ["Type", topic(request)],
      ["Reçue le", dateTimeFr(request.created_at)],
      ["Envoyée", byLabel(request) ?? ""],
      ["Dernière mise à jour", request.updated_at !== request.created_at ? dateTimeFr(request.updated_at) : ""],
      ["Suivie par", assignee(request)],
      ["Accusé de réception", due ? (acknowledged ? `Fait le ${dateFr(acknowledged.at)}` : deadlineText(due.acknowledge_by)) : ""],
      ["Réponse due", due ? deadlineText(due.answer_by) : ""],
    ]),
    duplicates(request));
}

/** The member's other requests for the same care (person, care, date, amount). */
function duplicates(request) {
  if (!request.duplicates?.length) return null;
  return h("div", { class: "ea-notice ea-notice--info", "data-testid": "advisor-duplicates" },
    h("h3", { text: "Doublon probable" }),
    h("p", { text: "L'adhérent a envoyé une autre demande pour le même bénéficiaire, le même soin, la même date et le même montant. Vérifiez qu'il ne s'agit pas du même soin avant d'accepter." }),
    h("ul", { class: "ea-plain-list" }, request.duplicates.map((item) => h("li", {},
      h("a", { href: pagePath(advisorRequestPath, { id: `${request.member?.member_id}_${item.id}` }), text: `Demande n° ${item.reference}` }),
      ` reçue le ${dateFr(item.created_at)} `, statusBadge(item.status, item.status_label)))));
}

/** Why no action is possible now, in words. */
function noActionText(request) {
  if (request.status === "processed" || request.status === "refused") return "Cette demande est close : aucune action n'est plus possible.";
  if (request.status === "info_needed") return `La demande attend la réponse de l'adhérent. Elle reviendra dans la file « ${requestStatusLabel("in_progress")} » dès qu'il aura répondu.`;
  if (request.status === "in_progress" && !request.mine) return `${request.assigned_name || "Un autre conseiller"} traite cette demande : vous ne pouvez pas agir dessus.`;
  return "Aucune action n'est possible sur cette demande pour le moment.";
}

function actions(request) {
  const allowed = (request.allowed ?? []).filter((action) => ACTIONS[action]);
  return h("section", { class: "ea-card ea-advisor-actions", "aria-labelledby": "advisor-actions", "data-testid": "advisor-actions" },
    h("h2", { id: "advisor-actions", text: "Traiter la demande" }),
    allowed.length
      ? [
          request.accept_effect && allowed.includes("accept") ? h("p", { class: "ea-hint", text: `Si vous acceptez : ${request.accept_effect}` }) : null,
          h("div", { class: "ea-advisor-actions__buttons" },
            allowed.map((action) => h("button", {
              type: "button",
              class: `ea-button ${action === "refuse" ? "ea-button--secondary ea-button--warn" : action === "accept" || action === "take" ? "ea-button--primary" : "ea-button--secondary"}`,
              "data-action": action,
              text: ACTIONS[action].button,
              onclick: () => act(action),
            }))),
        ]
      : h("p", { text: noActionText(request) }));
}

function theRequest(request) {
  return card("advisor-content", "La demande",
    facts((request.details ?? []).map((detail) => [detail.label, detail.value])),
    h("h3", { text: "Message de l'adhérent" }),
    request.message ? messageText(request.message) : h("p", { class: "ea-hint", text: "Pas de message." }),
    h("h3", { text: `Documents (${request.attachments?.length ?? 0})` }),
    fileList(request.attachments, { label: "Documents de la demande" }) ?? h("p", { class: "ea-hint", text: "Aucun document joint." }));
}


/** The engine's split, while the decision is to be made; once accepted, the décompte made. */
function split(request) {
  if (request.kind !== "reimbursement") return null;
  if (request.claim_id) {
    return card("advisor-split", "Remboursement",
      h("p", { class: "ea-notice ea-notice--success", text: request.status === "payment_requested"
        ? `Le remboursement est transmis pour paiement (décompte ${request.claim_id}) : l'adhérent le voit « en cours de traitement » dans « Mes remboursements », avec le détail du calcul, jusqu'à son versement.`
        : `Le remboursement a été enregistré (décompte ${request.claim_id}) : l'adhérent le voit dans « Mes remboursements », avec le détail du calcul.` }));
  }
  if (!isOpenRequest(request.status)) return null;
  if (request.split) {
    const { totals, lines, situations, notes } = request.split;
    return card("advisor-split", "Calcul du remboursement",
      h("p", { class: "ea-hint", text: "Le calcul du moteur de remboursement pour le soin décrit, selon la formule de l'adhérent et ce qui a déjà été retenu cette année. C'est ce qui sera transmis pour paiement si vous acceptez." }),
      splitFigure(totals, `Répartition des ${euros(totals.real_cost_cents)} de frais réels`),
      h("h3", { text: "Le calcul, ligne par ligne" }),
      explanationList(lines),
      situations?.length ? h("p", {}, "Situations prises en compte : ", situations.join(", "), ".") : null,
      notes?.length ? h("ul", { class: "ea-plain-list" }, notes.map((note) => h("li", { text: note }))) : null);
  }
  if (request.split_problem) {
    return card("advisor-split", "Calcul du remboursement",
      h("div", { class: "ea-notice ea-notice--error" },
        h("p", { text: "Le moteur ne peut pas calculer ce remboursement :" }),
        h("p", { text: request.split_problem })),
      h("p", { class: "ea-hint", text: "Demandez à l'adhérent l'information qui manque, ou refusez la demande en lui expliquant pourquoi." }));
  }
  return null;
}

function beneficiary(person) {
  return h("li", { class: "ea-person" },
    h("p", { class: "ea-person__name" }, h("strong", { text: person.name }), ` — ${person.relationship_label}, ${plural(person.age, "an", "ans")}`),
    person.situations?.length
      ? h("ul", { class: "ea-tags", "aria-label": `Situations ${de(person.name)}` }, person.situations.map((situation) => h("li", { class: "ea-tag ea-tag--situation", text: situation })))
      : null);
}

function recent(request, member) {
  if (!member.recent_requests?.length) return h("p", { class: "ea-hint", text: "Pas d'autre demande de cet adhérent." });
  return h("ul", { class: "ea-recent" },
    member.recent_requests.map((item) => h("li", { class: "ea-recent__item" },
      h("a", { href: pagePath(advisorRequestPath, { id: `${member.member_id}_${item.id}` }) }, item.subject,
        h("span", { class: "ea-visually-hidden", text: ` : demande n° ${item.reference}` })),
      h("span", { class: "ea-recent__meta" }, `N° ${item.reference}, ${dateFr(item.created_at)} `, statusBadge(item.status, item.status_label)))));
}

function memberFile(request) {
  const member = request.member;
  if (!member) return null;
  return h("section", { class: "ea-card ea-member-file", "aria-labelledby": "advisor-member", "data-testid": "advisor-member" },
    h("h2", { id: "advisor-member", text: "Le dossier de l'adhérent" }),
    facts([
      ["Adhérent", member.name],
      ["N° d'adhérent", member.member_id],
      ["Formule", member.formula_label ?? "Pas de contrat actif"],
      ["Adhérent depuis le", member.contract_start ? dateLongFr(member.contract_start) : ""],
    ]),
    h("h3", { text: "Bénéficiaires" }),
    member.beneficiaries?.length ? h("ul", { class: "ea-people" }, member.beneficiaries.map(beneficiary)) : h("p", { class: "ea-hint", text: "Aucun bénéficiaire." }),
    h("h3", { text: "Ses autres demandes récentes" }),
    recent(request, member),
    // The whole file (conversations, call-backs), opened through this request: recorded.
    h("p", {}, h("a", { href: pagePath("conseiller/dossier/", { adherent: member.member_id, via: request.ref }), "data-testid": "open-member-file", text: "Voir le dossier de l'adhérent" })));
}

function render(request) {
  return [
    h("div", { id: "advisor-notice", role: "status" }),
    h("div", { class: "ea-advisor-grid" },
      h("div", { class: "ea-advisor-grid__main" },
        summary(request),
        actions(request),
        theRequest(request),
        split(request),
        card("advisor-history", "Historique", requestHistory(request.history, { audience: "advisor" }))),
      h("div", { class: "ea-advisor-grid__side" }, memberFile(request))),
  ];
}

const page = detailPage({
  mount: "advisor-request",
  status: "advisor-request-status",
  error: "advisor-request-error",
  path: (ref) => `/support/advisor/requests/${encodeURIComponent(ref)}`,
  render,
  title: (request) => `${request.subject} (n° ${request.reference})`,
  loading: "Chargement de la demande…",
  loaded: "Demande affichée.",
  notFound: {
    missingId: "Cette demande est introuvable : le lien est incomplet. Retournez à la file des demandes pour l'ouvrir.",
    message: "Cette demande est introuvable. Elle relève peut-être d'une autre équipe, ou le lien est ancien.",
  },
});

async function reload() {
  await page.load();
  focusAtTop(document.getElementById("advisor-subject") ?? document.getElementById("advisor-request-error"));
}

/** The action's dialog: a message to the member (required for some), then the call. */
async function act(action) {
  const spec = ACTIONS[action];
  const request = page.object;
  const message = h("textarea", { id: `advisor-message-${action}`, name: "message", rows: "6", maxlength: String(MAX_MESSAGE), required: Boolean(spec.required), "aria-describedby": `advisor-message-${action}-hint` });
  const field = h("div", { class: "ea-field" },
    h("label", { for: message.id, text: spec.label }),
    h("p", { class: "ea-hint", id: `advisor-message-${action}-hint`, text: `${spec.hint} ${spec.reads}` }),
    message);
  const updated = await formDialog({
    title: spec.title,
    intro: spec.intro(request),
    fields: field,
    submitLabel: spec.button,
    busyLabel: "Enregistrement…",
    danger: Boolean(spec.danger),
    testId: "advisor-action-dialog",
    submit: async () => {
      const text = message.value.trim();
      if (spec.required && !text) throw { field: message, message: spec.required };
      try {
        return await api(`/support/advisor/requests/${encodeURIComponent(request.ref)}/${action}`, {
          method: "POST",
          body: text ? { version: request.version, message: text } : { version: request.version },
        });
      } catch (error) {
        const named = apiFieldMessages(error.fields).message;
        if (error.status === 422 && (named || error.code === "message_missing")) {
          throw { field: message, message: error.message || named };
        }
        if (error.status === 409 || error.notFound) {
          // The request changed meanwhile, someone else has it, or the action is no longer
          // possible: the message says which; reloading shows where it stands now.
          throw { message: error.message, actions: [{ label: "Recharger la demande", run: reload }] };
        }
        throw error;
      }
    },
  });
  if (!updated) return;
  // The action's answer carries neither the member's other requests nor the split: keep
  // those read with the page (the split only shows while the request is open).
  page.show({
    ...updated,
    member: { ...updated.member, recent_requests: request.member?.recent_requests ?? [] },
    split: updated.split ?? request.split,
    split_problem: updated.split_problem ?? request.split_problem,
    duplicates: updated.duplicates?.length ? updated.duplicates : request.duplicates,
  });
  const notice = document.getElementById("advisor-notice");
  showNotice(notice, spec.done);
  focusAtTop(notice.firstElementChild);
}

await advisorPage();
page.load();

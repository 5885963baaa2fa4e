// One of « Mes demandes »: its facts, what happens next, the deadlines of a complaint, the
// décompte a reimbursement made, its documents and its history; when the advisor needs
// information, the form to answer. Opening it marks its news as read.

import { detailPage } from "../../../../components/detail-page.js";
import { facts } from "../../../../components/facts.js";
import { clearErrorsOnInput, clearFormErrors, showApiError, showFormErrors } from "../../../../components/form.js";
import { memberPage } from "../../../../components/layout.js";
import { refreshNavBadges } from "../../../../components/nav-badge.js";
import { byLabel, fileList, lastEvent, messageText, requestHistory } from "../../../../components/request-history.js";
import { showError, showNotice } from "../../../../components/states.js";
import { statusBadge } from "../../../../components/status-badge.js";
import { setupUploadField } from "../../../../components/upload-field.js";
import { canSend, getActing } from "../../../../lib/acting.js";
import { api } from "../../../../lib/api.js";
import { brand, pagePath } from "../../../../lib/config.js";
import { focusAtTop, h } from "../../../../lib/dom.js";
import { dateLongFr, dateTimeFr, todayIso } from "../../../../lib/formats.js";

const MAX_MESSAGE = 2000;

function card(id, title, ...content) {
  return h("section", { class: "ea-card", "aria-labelledby": id }, h("h2", { id, text: title }), ...content);
}

function summary(request) {
  return h("section", { class: "ea-card ea-detail__summary", "aria-labelledby": "request-subject" },
    h("h2", { id: "request-subject", text: request.subject }),
    h("p", { class: "ea-detail__status" }, statusBadge(request.status, request.status_label)),
    h("p", { class: "ea-request-number" }, "N° de demande : ", h("strong", { "data-testid": "request-reference", text: request.reference })),
    facts([
      ["Type", request.kind_label],
      ...(request.details ?? []).map((detail) => [detail.label, detail.value]),
      ["Envoyée le", dateTimeFr(request.created_at)],
      ["Envoyée", byLabel(request) ?? ""],
      ["Dernière mise à jour", request.updated_at !== request.created_at ? dateTimeFr(request.updated_at) : ""],
    ]));
}

function complaintLink(text) {
  return h("a", { href: pagePath("espace/demandes/nouvelle/", { categorie: "complaint" }), text });
}

/** What the member can expect now, or the advisor's last word once it is decided. */
function outcome(request) {
  switch (request.status) {
    case "sent":
      return h("p", { class: "ea-notice ea-notice--info", text: "Votre demande nous est bien parvenue. Un conseiller va la prendre en charge : vous recevrez un e-mail à chaque étape, et sa réponse s'affichera sur cette page." });
    case "in_progress":
      return h("p", { class: "ea-notice ea-notice--info", text: "Un conseiller examine votre demande. Vous recevrez un e-mail dès qu'il vous aura répondu ; vous n'avez rien à faire d'ici là." });
    case "payment_requested":
    case "processed": {
      // Accepted; a reimbursement is first sent for payment (the management system pays it).
      const answer = lastEvent(request, ["accept"]);
      const waiting = request.status === "payment_requested";
      return h("section", { class: "ea-card ea-answer ea-answer--processed", "aria-labelledby": "request-answer", "data-testid": "request-answer" },
        h("h2", { id: "request-answer", text: "La réponse de votre conseiller" }),
        answer ? h("p", { class: "ea-answer__meta", text: `${answer.who ? `${answer.who}, le ` : "Le "}${dateTimeFr(answer.at)}` }) : null,
        answer?.message ? messageText(answer.message) : null,
        request.claim_id
          ? h("p", { class: "ea-answer__claim" },
              waiting
                ? "Le remboursement est calculé selon vos garanties et transmis pour paiement : il reste « En cours de traitement » dans « Mes remboursements » jusqu'à son versement, et un e-mail vous préviendra. "
                : "Le remboursement a été calculé selon vos garanties. ",
              h("a", { href: pagePath("espace/remboursements/decompte/", { id: request.claim_id }), "data-testid": "request-claim-link", text: "Voir le décompte du remboursement" }))
          : null);
    }
    case "refused": {
      const answer = lastEvent(request, ["refuse"]);
      return h("section", { class: "ea-card ea-answer ea-answer--refused", "aria-labelledby": "request-answer", "data-testid": "request-answer" },
        h("h2", { id: "request-answer", text: "La réponse de votre conseiller" }),
        answer ? h("p", { class: "ea-answer__meta", text: `${answer.who ? `${answer.who}, le ` : "Le "}${dateTimeFr(answer.at)}` }) : null,
        answer?.message ? messageText(answer.message) : null,
        request.category === "complaint"
          ? null
          : h("p", { class: "ea-hint" }, "Vous n'êtes pas d'accord avec cette réponse ? ", complaintLink("Faites une réclamation"), " en rappelant le numéro de cette demande."));
    }
    default:
      return null;
  }
}

/** A complaint's two deadlines, whether they are met, and the mediator afterwards. */
function deadlines(request) {
  const due = request.deadlines;
  if (!due) return null;
  const acknowledged = (request.history ?? []).find((event) => event.action !== "send");
  const answered = request.status === "processed" || request.status === "refused";
  const late = !answered && due.answer_by < todayIso();
  const step = (title, date, done, doneText) =>
    h("li", { class: `ea-deadlines__item${done ? " ea-deadlines__item--done" : ""}` },
      h("strong", { text: title }),
      h("span", { text: done ? doneText : `Au plus tard le ${dateLongFr(date)}` }));
  return card("request-deadlines", "Les délais de traitement de votre réclamation",
    h("ul", { class: "ea-deadlines" },
      step("Accusé de réception, sous 10 jours ouvrés", due.acknowledge_by, Boolean(acknowledged),
        acknowledged ? `Fait le ${dateLongFr(acknowledged.at)}` : ""),
      step("Réponse, sous 2 mois", due.answer_by, answered, "Vous avez reçu notre réponse")),
    h("p", {
      class: late ? "ea-notice ea-notice--error" : "ea-hint",
      text: `${late ? `Le délai de réponse a expiré le ${dateLongFr(due.answer_by)}. ` : ""}Si notre réponse ne vous satisfait pas, ou si vous n'avez pas de réponse le ${dateLongFr(due.answer_by)}, vous pouvez saisir gratuitement le médiateur de la consommation dont relève ${brand.name || "votre mutuelle"}. Ses coordonnées figurent dans les conditions générales de votre contrat.`,
    }));
}

function yourRequest(request) {
  return card("request-content", "Votre demande",
    request.message ? messageText(request.message) : h("p", { class: "ea-hint", text: "Pas de message avec cette demande." }),
    h("h3", { text: "Documents envoyés" }),
    fileList(request.attachments, { label: "Documents envoyés" }) ?? h("p", { class: "ea-hint", text: "Aucun document envoyé." }));
}

// ---- the answer, when information is needed ------------------------------------------------

function answerForm(request) {
  const question = lastEvent(request, ["ask"]);
  const errors = h("div", { class: "ea-error-summary", id: "answer-errors", tabindex: "-1", hidden: true });
  const message = h("textarea", { id: "answer-message", name: "message", rows: "6", maxlength: String(MAX_MESSAGE), required: true, "aria-describedby": "answer-message-hint" });
  const files = h("input", { type: "file", id: "answer-files", name: "files", multiple: true, accept: ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png", "aria-describedby": "answer-files-hint" });
  const fileItems = h("ul", { class: "ea-files", id: "answer-file-list", "aria-label": "Fichiers joints" });
  const filesHint = h("p", { class: "ea-hint", id: "answer-files-hint" }, h("span", { "data-upload-limits": "" }), "Les documents demandés par votre conseiller, par exemple une photo nette prise avec votre téléphone.");
  const filesStatus = h("p", { class: "ea-visually-hidden", role: "status", "aria-live": "polite" });
  const errorBox = h("div", { role: "alert" });
  const submit = h("button", { type: "submit", class: "ea-button ea-button--primary", text: "Envoyer ma réponse" });
  const status = h("p", { class: "ea-status", role: "status", "aria-live": "polite" });
  const form = h("form", { class: "ea-form", id: "answer-form", novalidate: true, "aria-labelledby": "answer-title" },
    errors,
    h("div", { class: "ea-field" },
      h("label", { for: "answer-message", text: "Votre réponse" }),
      h("p", { class: "ea-hint", id: "answer-message-hint", text: `Répondez à la question de votre conseiller, en ${MAX_MESSAGE.toLocaleString("fr-FR")} caractères au plus.` }),
      message),
    h("div", { class: "ea-field ea-upload" },
      h("label", { for: "answer-files", text: "Documents (facultatif)" }),
      filesHint, files, fileItems, filesStatus),
    errorBox,
    h("div", { class: "ea-form__actions" }, submit),
    status);

  const uploads = setupUploadField({ input: files, list: fileItems, hint: filesHint, announce: (text) => { filesStatus.textContent = text; } });
  clearErrorsOnInput(form);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearFormErrors(form, errors);
    errorBox.replaceChildren();
    submit.disabled = true;
    try {
      if (uploads.busy()) {
        status.textContent = "Envoi de vos fichiers en cours : votre réponse partira dès qu'ils seront prêts…";
        await uploads.whenIdle();
      }
      const problems = [];
      const text = message.value.trim();
      if (!text) problems.push({ field: message, message: "Écrivez votre réponse à votre conseiller." });
      for (const { message: why, focus } of uploads.errors()) problems.push({ field: files, message: why, focus });
      if (problems.length) {
        status.textContent = "";
        showFormErrors(errors, problems);
        return;
      }
      form.setAttribute("aria-busy", "true");
      status.textContent = "Envoi de votre réponse…";
      const answered = await api(`/support/requests/${encodeURIComponent(request.id)}/answer`, {
        method: "POST",
        body: { message: text, upload_ids: uploads.readyIds() },
      });
      page.show(answered);
      const notice = document.getElementById("request-notice");
      showNotice(notice, "Votre réponse est envoyée. Votre conseiller reprend l'examen de votre demande ; vous recevrez un e-mail à la prochaine étape.");
      focusAtTop(notice.firstElementChild);
    } catch (error) {
      status.textContent = "";
      if (error.status === 409) {
        showError(errorBox, error, { onRetry: () => page.load(), retryLabel: "Recharger la demande" });
      } else {
        showApiError({
          error, summary: errors, errorBox,
          fieldFor: (name) => (name === "message" ? message : name.startsWith("upload") ? files : null),
          onRetry: () => form.requestSubmit(),
        });
      }
    } finally {
      submit.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });

  return h("section", { class: "ea-card ea-answer ea-answer--needed", "aria-labelledby": "answer-title", "data-testid": "request-answer-form" },
    h("h2", { id: "answer-title", text: "Votre conseiller a besoin d'informations" }),
    question ? h("p", { class: "ea-answer__meta", text: `${question.who ? `${question.who}, le ` : "Le "}${dateTimeFr(question.at)} :` }) : null,
    question?.message ? messageText(question.message, { class: "ea-answer__question" }) : null,
    form);
}

function render(request) {
  return [
    h("div", { id: "request-notice", role: "status" }),
    summary(request),
    request.can_answer && canSend() ? answerForm(request) : outcome(request),
    deadlines(request),
    yourRequest(request),
    card("request-history", "Suivi de la demande", requestHistory(request.history, { audience: "member" })),
  ];
}

const page = detailPage({
  mount: "request",
  status: "request-status",
  error: "request-error",
  path: (id) => `/support/requests/${encodeURIComponent(id)}`,
  render,
  title: (request) => `${request.subject} (n° ${request.reference})`,
  loading: "Chargement de votre demande…",
  loaded: "Demande affichée.",
  notFound: {
    missingId: "Cette demande est introuvable : le lien est incomplet. Retournez à « Mes demandes » pour l'ouvrir.",
    message: "Cette demande est introuvable. Elle ne fait peut-être pas partie de vos demandes, ou le lien est ancien.",
  },
});

await memberPage();
const request = await page.load();
// Someone acting for her does not make her news read: she has not seen them.
if (request?.unread && !getActing()) {
  try {
    await api(`/support/requests/${encodeURIComponent(request.id)}/read`, { method: "POST" });
    refreshNavBadges();
  } catch {
    // Still marked as new in the list: it will be read next time, nothing else depends on it.
  }
}

// The advisors' messages: on or off duty (with the queue as the model sees it), the
// conversations waiting for a first answer (oldest first) and the advisor's own.

import { facts } from "../../../components/facts.js";
import { advisorPage } from "../../../components/layout.js";
import { pagedList } from "../../../components/paged-list.js";
import { setLoaded, setLoading, showError } from "../../../components/states.js";
import { statusBadge } from "../../../components/status-badge.js";
import { api } from "../../../lib/api.js";
import { pagePath } from "../../../lib/config.js";
import { h } from "../../../lib/dom.js";
import { dateTimeFr, percentFr, plural } from "../../../lib/formats.js";

const dutyMount = document.getElementById("duty");
const dutyStatus = document.getElementById("duty-status");
const dutyError = document.getElementById("duty-error");
const number = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

function waited(minutes) {
  if (minutes < 60) return plural(minutes, "minute", "minutes");
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? plural(hours, "heure", "heures") : plural(Math.floor(hours / 24), "jour", "jours");
}

function card(thread) {
  return h(
    "li",
    { class: `ea-card ea-thread${thread.unread ? " ea-thread--unread" : ""}`, "data-testid": "advisor-thread-row" },
    h(
      "p",
      { class: "ea-card__title" },
      h("a", { href: pagePath("conseiller/messages/conversation/", { id: thread.ref }), text: thread.subject }),
      " ",
      thread.unread ? h("span", { class: "ea-badge ea-badge--new", text: "Non lu" }) : null,
      " ",
      statusBadge(thread.last_author_role === "member" ? "pending" : "done", thread.status_label),
    ),
    facts([
      ["Adhérent", thread.member_name],
      ["Écrit le", dateTimeFr(thread.created_at)],
      ["En attente depuis", thread.status === "waiting" ? waited(thread.waiting_minutes) : ""],
      ["Dernier message", thread.status === "waiting" ? "" : dateTimeFr(thread.last_message_at)],
      ["Traitée par", thread.advisor_name ?? ""],
    ], { class: "ea-card__facts" }),
  );
}

function box(name, label, empty) {
  return pagedList({
    list: `${name}-list`,
    status: `${name}-status`,
    error: `${name}-error`,
    more: `${name}-more`,
    path: "/support/advisor/threads",
    query: () => ({ box: name }),
    pageSize: 20,
    item: '[data-testid="advisor-thread-row"]',
    render: (items) => h("ul", { class: "ea-cards", "aria-label": label }, items.map(card)),
    noun: ["conversation", "conversations"],
    shown: ["affichée", "affichées"],
    empty: () => ({ message: empty, hint: "" }),
    loading: "Chargement des conversations…",
  });
}

const waiting = box("waiting", "Conversations en attente", "Aucune conversation n'attend de première réponse.");
const mine = box("mine", "Mes conversations", "Vous n'avez pas encore répondu à une conversation.");

function renderDuty(duty) {
  const load = duty.load;
  const toggle = h("button", {
    type: "button",
    class: `ea-button ${duty.on_duty ? "ea-button--secondary" : "ea-button--primary"}`,
    "aria-pressed": duty.on_duty ? "true" : "false",
    text: duty.on_duty ? "Quitter le service" : "Me mettre en service",
  });
  toggle.addEventListener("click", async () => {
    toggle.disabled = true;
    dutyError.replaceChildren();
    try {
      renderDuty(await api("/support/advisor/duty", { method: "PUT", body: { on_duty: !duty.on_duty } }));
      dutyStatus.textContent = duty.on_duty ? "Vous n'êtes plus en service." : "Vous êtes en service.";
    } catch (error) {
      toggle.disabled = false;
      showError(dutyError, error);
    }
  });
  const until = duty.until ? new Intl.DateTimeFormat("fr-FR", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Paris" }).format(new Date(duty.until)) : "";
  dutyMount.replaceChildren(
    h("p", { "data-testid": "duty-state", text: duty.on_duty ? `Vous êtes en service jusqu'à ${until}.` : "Vous n'êtes pas en service : les adhérents ne vous comptent pas dans le délai de réponse." }),
    h("p", {}, toggle),
    facts([
      ["Conversations en attente", String(load.waiting)],
      ["Conseillers en service", String(load.advisors_on_duty)],
      ["Délai annoncé aux adhérents", load.estimate_minutes === null ? "aucun conseiller en service" : `≈ ${load.estimate_minutes} min`],
      ["Temps de traitement moyen", `${number.format(load.handling_minutes)} min (${plural(load.handling_samples, "réponse mesurée", "réponses mesurées")})`],
      ["Nouvelles conversations", `${number.format(load.arrivals_per_hour)} par heure (2 dernières heures)`],
      ["Taux d'occupation", load.occupancy === null ? "" : percentFr(load.occupancy)],
      ["Probabilité d'attendre (Erlang C)", load.wait_probability === null ? "" : percentFr(load.wait_probability)],
      ["Conseillers nécessaires", load.advisors_needed === null ? "" : `${load.advisors_needed} pour traiter 80 % des conversations en moins de 20 min`],
    ]),
  );
}

async function loadDuty() {
  dutyError.replaceChildren();
  setLoading(dutyMount, dutyStatus, "Chargement…");
  try {
    renderDuty(await api("/support/advisor/duty"));
    setLoaded(dutyMount, dutyStatus, "", { visible: false });
  } catch (error) {
    setLoaded(dutyMount, dutyStatus, "");
    showError(dutyError, error, { onRetry: loadDuty });
  }
}

await advisorPage();
loadDuty();
waiting.reload();
mine.reload();

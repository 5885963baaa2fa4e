// « Mes plafonds et forfaits »: what the year's deductibles and allowances have used, per
// beneficiary, and when a new pair of glasses or hearing aids can be reimbursed.

import { setLoaded, setLoading, showError } from "../../../components/states.js";
import { api } from "../../../lib/api.js";
import { h } from "../../../lib/dom.js";
import { dateFr, euros, thisYear, todayIso } from "../../../lib/formats.js";

const yearSelect = document.getElementById("counters-year");
const counters = document.getElementById("counters");
const countersStatus = document.getElementById("counters-status");
const countersError = document.getElementById("counters-error");

function gauge(usedCents, limitCents) {
  const bar = h("span", { class: "ea-gauge__fill" });
  const ratio = limitCents > 0 ? Math.min(usedCents / limitCents, 1) : 0;
  bar.style.width = `${(ratio * 100).toFixed(1)}%`;
  return h("div", { class: `ea-gauge${ratio >= 1 ? " ea-gauge--full" : ""}`, "aria-hidden": "true" }, bar);
}

function capBlock(title, counter, what) {
  const paid = Number(counter?.paid_cents) || 0;
  const cap = Number(counter?.cap_cents) || 0;
  const text =
    cap && paid >= cap
      ? `Plafond de ${euros(cap)} atteint : plus aucune ${what} ne sera retenue cette année.`
      : `${euros(paid)} retenus sur un plafond de ${euros(cap)}. Encore ${euros(Math.max(cap - paid, 0))} avant le plafond.`;
  return h("div", { class: "ea-cap" }, h("h4", { text: title }), gauge(paid, cap), h("p", { class: "ea-cap__text", text }));
}

function nextDate(iso) {
  if (!iso) return "Pas de délai d'attente en cours.";
  if (iso <= todayIso()) return "Remboursable dès maintenant.";
  return `Remboursable à partir du ${dateFr(iso)}.`;
}

function renderCounter(counter) {
  const headingId = `counter-${counter.id}`;
  const forfaits = counter.forfaits ?? [];
  return h(
    "article",
    { class: "ea-card ea-counter", "aria-labelledby": headingId },
    h("h3", { id: headingId, text: counter.beneficiary_name }),
    capBlock("Participations forfaitaires", counter.participation, "participation"),
    capBlock("Franchises médicales", counter.franchises, "franchise"),
    forfaits.length
      ? h("div", { class: "ea-forfaits" },
          h("h4", { text: "Forfaits" }),
          h("ul", { class: "ea-forfaits__list" }, forfaits.map((forfait) =>
            h("li", { class: "ea-forfait" },
              h("p", { class: "ea-forfait__label" }, h("strong", { text: forfait.label }),
                forfait.period_label ? ` (${forfait.period_label})` : ""),
              gauge(Number(forfait.used_cents) || 0, Number(forfait.limit_cents) || 0),
              h("p", {
                class: "ea-forfait__text",
                text: `${euros(forfait.used_cents)} utilisés sur ${euros(forfait.limit_cents)} : il reste ${euros(forfait.left_cents)}.`,
              })))))
      : null,
    h("div", { class: "ea-next" },
      h("h4", { text: "Prochains équipements" }),
      h("dl", { class: "ea-facts" },
        h("div", {}, h("dt", { text: "Lunettes ou lentilles" }), h("dd", { text: nextDate(counter.optics_next_date) })),
        h("div", {}, h("dt", { text: "Aides auditives" }), h("dd", { text: nextDate(counter.hearing_next_date) })))),
  );
}

async function loadCounters() {
  const year = yearSelect.value;
  countersError.replaceChildren();
  setLoading(counters, countersStatus, `Chargement de vos plafonds ${year}…`);
  try {
    const items = (await api("/claims/counters", { query: { year } }))?.items ?? [];
    counters.replaceChildren(...items.map(renderCounter));
    setLoaded(counters, countersStatus, items.length ? `Plafonds et forfaits ${year} affichés.` : `Aucun compteur pour ${year}.`, { empty: !items.length });
  } catch (error) {
    counters.replaceChildren();
    setLoaded(counters, countersStatus, "");
    showError(countersError, error, { onRetry: loadCounters });
  }
}

/** Fills the year's counters; the page calls it once the member is known. */
export function startCounters() {
  const year = thisYear();
  yearSelect.replaceChildren(...[0, 1, 2].map((back) => h("option", { value: String(year - back), text: String(year - back) })));
  yearSelect.addEventListener("change", loadCounters);
  loadCounters();
}

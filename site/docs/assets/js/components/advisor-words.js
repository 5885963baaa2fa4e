// Words of the advisors' workspace shared by its pages.

import { h } from "../lib/dom.js";
import { dateFr, plural, todayIso } from "../lib/formats.js";

/** "aujourd'hui", "hier", "il y a 12 jours" */
export function ageText(days) {
  const count = Number(days) || 0;
  if (count <= 0) return "aujourd'hui";
  if (count === 1) return "hier";
  return `il y a ${plural(count, "jour", "jours")}`;
}

/** Who handles a request: « À moi », a colleague's name, or nobody yet. */
export function assignee(item) {
  if (item.mine) return h("span", { class: "ea-tag ea-tag--mine", text: "À moi" });
  return h("span", { class: item.assigned_name ? "" : "ea-muted", text: item.assigned_name || "Personne" });
}

/** A complaint's answer deadline, marked when it is past. */
export function deadlineText(date) {
  if (!date) return null;
  const late = date < todayIso();
  return h("span", { class: late ? "ea-tag ea-tag--late" : "" , text: `${late ? "Dépassée : " : "Avant le "}${dateFr(date)}` });
}

/** The page of a request in the workspace. */
export const advisorRequestPath = "conseiller/demande/";

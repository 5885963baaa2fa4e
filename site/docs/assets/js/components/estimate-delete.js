// Deleting an estimate, from its card in « Mes estimations » or from its own page: confirmed in
// a dialog, then gone (an estimate already gone counts as deleted).

import { confirmDialog } from "./confirm-dialog.js";
import { api } from "../lib/api.js";
import { dateFr } from "../lib/formats.js";

export const titleOf = (estimate) => estimate.label || estimate.act_label;

/** Resolves true once the estimate is deleted, false if the member changed her mind. */
export function confirmDelete(estimate) {
  return confirmDialog({
    title: "Supprimer cette estimation ?",
    message: `L'estimation « ${titleOf(estimate)} » (soins du ${dateFr(estimate.care_date)}) sera retirée de vos estimations. Vous ne pourrez pas la retrouver.`,
    confirmLabel: "Supprimer",
    busyLabel: "Suppression…",
    action: async () => {
      try {
        await api(`/claims/estimates/${encodeURIComponent(estimate.id)}`, { method: "DELETE" });
      } catch (error) {
        if (!error.notFound) throw error;
      }
    },
  });
}

export const deletedMessage = (estimate) => `L'estimation « ${titleOf(estimate)} » a été supprimée.`;

// Statement downloads: ask the API for a short-lived link, then open it. The page has one
// message at a time: a new attempt (or a form error) clears every earlier one, so an old
// « est prêt » never sits beside a new error.

import { startDownload } from "../../../components/document-download.js";
import { showError } from "../../../components/states.js";
import { api } from "../../../lib/api.js";

export const FORMAT_NAMES = { pdf: "PDF", csv: "CSV" };
const PLACES = ["months", "period"];

const statusOf = (place) => document.getElementById(`${place}-download-status`);
const errorOf = (place) => document.getElementById(`${place}-download-error`);

/** Removes every download message of the page. */
export function clearDownloadMessages() {
  for (const place of PLACES) {
    statusOf(place).replaceChildren();
    errorOf(place).replaceChildren();
  }
}

/** Asks for an export and starts the download; keeps a visible link in case it is blocked. */
export async function download({ from, to, beneficiaryIds = [], format, what, button, place }) {
  clearDownloadMessages();
  const downloadStatus = statusOf(place);
  if (button) button.disabled = true;
  downloadStatus.textContent = `Préparation de ${what} en ${FORMAT_NAMES[format]}…`;
  try {
    const file = await api("/claims/statements/exports", {
      method: "POST",
      body: { from, to, beneficiary_ids: beneficiaryIds, format },
    });
    startDownload(file, downloadStatus, { ready: `${what[0].toUpperCase()}${what.slice(1)} en ${FORMAT_NAMES[format]} est prêt` });
    return file;
  } catch (error) {
    downloadStatus.textContent = "";
    showError(errorOf(place), error, {
      onRetry: () => download({ from, to, beneficiaryIds, format, what, button, place }),
    });
    throw error;
  } finally {
    if (button) button.disabled = false;
  }
}

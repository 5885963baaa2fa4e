// A download: the API gives a short-lived link, the browser opens it, and a visible link stays
// in case the browser blocks the download. Every download of the site says it this way (a
// document, an attestation, a statement, the card in PDF, the data export).

import { showError } from "./states.js";
import { api } from "../lib/api.js";
import { h } from "../lib/dom.js";

/**
 * Starts the download of a link {url, filename} and says so in `status`: « <ready> : le
 * téléchargement commence » (« Le téléchargement commence » without `ready`), the link valid
 * for `valid`.
 */
export function startDownload(file, status, { ready = "Votre document est prêt", valid = "quelques minutes", fallback = "le fichier" } = {}) {
  const link = h("a", { href: file.url, download: file.filename || "", text: `Télécharger ${file.filename || fallback}` });
  status.replaceChildren(
    `${ready ? `${ready} : le` : "Le"} téléchargement commence. S'il ne démarre pas, utilisez ce lien (valable ${valid}) : `,
    link,
  );
  link.click();
}

/** Downloads one document of hers; errors go to `errorBox` with « Réessayer ». */
export async function downloadDocument(documentId, { status, errorBox, button }) {
  status.replaceChildren();
  errorBox.replaceChildren();
  if (button) button.disabled = true;
  status.textContent = "Préparation du téléchargement…";
  try {
    startDownload(await api(`/documents/${encodeURIComponent(documentId)}/link`), status);
  } catch (error) {
    status.textContent = "";
    showError(errorBox, error, { onRetry: () => downloadDocument(documentId, { status, errorBox, button }) });
  } finally {
    if (button) button.disabled = false;
  }
}

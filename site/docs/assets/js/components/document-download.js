// A document's download: ask the API for a short-lived link, then open it, keeping a visible
// link in case the browser blocks the download. One message at a time per page.

import { showError } from "./states.js";
import { api } from "../lib/api.js";
import { h } from "../lib/dom.js";

/** Starts the download of a link {url, filename} and says so in `status`. */
export function startDownload(file, status) {
  const link = h("a", { href: file.url, download: file.filename || "", text: `Télécharger ${file.filename || "le fichier"}` });
  status.replaceChildren(
    "Votre document est prêt : le téléchargement commence. S'il ne démarre pas, utilisez ce lien (valable quelques minutes) : ",
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

// Supporting documents: client-side checks (the server is the judge), then for each file
// POST /claims/uploads -> presigned POST with progress -> POST /claims/uploads/{id}/confirm.

import { api, uploadToPresignedPost } from "./api.js";
import { fileSize } from "./format.js";
import { h } from "./ui.js";

export const MAX_FILES = 5;
export const MAX_BYTES = 10 * 1024 * 1024;
const TYPES = { pdf: "application/pdf", jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png" };

const STATUS_TEXT = {
  uploading: "Envoi en cours",
  confirming: "Vérification du fichier",
  ready: "Fichier prêt",
  error: "Erreur",
};

function contentTypeOf(file) {
  const extension = file.name.split(".").pop().toLowerCase();
  if (Object.values(TYPES).includes(file.type)) return file.type;
  return TYPES[extension] ?? "";
}

/**
 * Manages the file input, the list of files (one <li> each, updated in place) and the
 * uploads. `announce(text)` speaks through a live region.
 */
export function setupUploads({ input, list, announce }) {
  let entries = [];
  let counter = 0;
  const pending = new Set();

  function statusLine(entry) {
    if (entry.status === "error") return entry.error;
    if (entry.status === "uploading") return `${STATUS_TEXT.uploading} : ${Math.round(entry.progress * 100)} %`;
    return STATUS_TEXT[entry.status] ?? "";
  }

  function update(entry) {
    const { node } = entry;
    if (!node) return;
    node.className = `ea-file ea-file--${entry.status}`;
    node.querySelector(".ea-file__status").textContent = statusLine(entry);
    const progress = node.querySelector("progress");
    progress.hidden = entry.status !== "uploading" && entry.status !== "confirming";
    if (entry.status === "confirming") progress.removeAttribute("value");
    else progress.value = Math.round(entry.progress * 100);
    node.querySelector("[data-retry]").hidden = !(entry.status === "error" && entry.retryable);
  }

  function build(entry) {
    const progressLabelId = `file-${entry.localId}-name`;
    entry.node = h(
      "li",
      { class: "ea-file", "data-testid": "upload-file" },
      h("span", { class: "ea-file__name", id: progressLabelId, text: entry.file.name }),
      h("span", { class: "ea-file__size", text: fileSize(entry.file.size) }),
      h("progress", { max: "100", value: "0", "aria-labelledby": progressLabelId, class: "ea-file__progress" }),
      h("span", { class: "ea-file__status" }),
      h(
        "span",
        { class: "ea-file__actions" },
        h("button", { type: "button", class: "ea-link-button", "data-retry": "", hidden: true, onclick: () => track(start(entry)) },
          "Réessayer", h("span", { class: "ea-visually-hidden", text: ` l'envoi de ${entry.file.name}` })),
        h("button", { type: "button", class: "ea-link-button", onclick: () => remove(entry) },
          "Retirer", h("span", { class: "ea-visually-hidden", text: ` ${entry.file.name}` })),
      ),
    );
    update(entry);
    return entry.node;
  }

  function fail(entry, message, retryable) {
    entry.status = "error";
    entry.error = message;
    entry.retryable = retryable;
    update(entry);
    announce(`${entry.file.name} : ${message}`);
  }

  async function start(entry) {
    entry.status = "uploading";
    entry.progress = 0;
    entry.error = "";
    update(entry);
    announce(`Envoi de ${entry.file.name}…`);
    try {
      const slot = await api("/claims/uploads", {
        method: "POST",
        body: { filename: entry.file.name, content_type: entry.contentType, size: entry.file.size },
      });
      if (!entries.includes(entry)) return;
      entry.transfer = uploadToPresignedPost(slot.url, slot.fields, entry.file, (ratio) => {
        entry.progress = ratio;
        update(entry);
      });
      await entry.transfer.promise;
      entry.status = "confirming";
      update(entry);
      const confirmed = await api(`/claims/uploads/${encodeURIComponent(slot.id)}/confirm`, { method: "POST" });
      if (!entries.includes(entry)) return;
      entry.uploadId = confirmed?.id ?? slot.id;
      entry.status = "ready";
      update(entry);
      announce(`${entry.file.name} : fichier prêt.`);
    } catch (error) {
      if (error?.name === "AbortError" || !entries.includes(entry)) return;
      fail(entry, error.message, error.retryable ?? true);
    }
  }

  function track(promise) {
    pending.add(promise);
    promise.finally(() => pending.delete(promise));
  }

  function remove(entry) {
    entry.transfer?.abort();
    const index = entries.indexOf(entry);
    entries = entries.filter((item) => item !== entry);
    entry.node.remove();
    announce(`${entry.file.name} retiré.`);
    const next = list.querySelectorAll(".ea-file")[Math.min(index, entries.length - 1)];
    (next?.querySelector("button:not([hidden]):last-child") ?? input).focus();
  }

  function add(files) {
    const refused = [];
    for (const file of files) {
      if (entries.length >= MAX_FILES) {
        refused.push(`${file.name} n'a pas été ajouté : ${MAX_FILES} fichiers au plus.`);
        continue;
      }
      const entry = { localId: ++counter, file, contentType: contentTypeOf(file), status: "uploading", progress: 0 };
      entries.push(entry);
      list.append(build(entry));
      if (!entry.contentType) fail(entry, "Ce fichier n'est pas un PDF, un JPEG ou un PNG. Retirez-le et choisissez un autre fichier.", false);
      else if (file.size > MAX_BYTES) fail(entry, `Ce fichier pèse ${fileSize(file.size)} : la limite est de 10 Mo. Retirez-le et réduisez sa taille (photo moins lourde, PDF compressé).`, false);
      else if (file.size === 0) fail(entry, "Ce fichier est vide. Retirez-le et choisissez un autre fichier.", false);
      else track(start(entry));
    }
    if (refused.length) announce(refused.join(" "));
    return refused;
  }

  input.addEventListener("change", () => {
    add([...input.files]);
    input.value = "";
  });

  return {
    get entries() {
      return entries;
    },
    readyIds: () => entries.filter((entry) => entry.status === "ready").map((entry) => entry.uploadId),
    busy: () => entries.some((entry) => entry.status === "uploading" || entry.status === "confirming"),
    /** Resolves once no file is being sent or checked. */
    async whenIdle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    failed: () => entries.some((entry) => entry.status === "error"),
    reset() {
      for (const entry of entries) entry.transfer?.abort();
      entries = [];
      list.replaceChildren();
    },
  };
}

// Supporting documents: checks against the limits the API publishes (the server stays the
// judge), then for each file POST /support/uploads -> presigned POST with progress ->
// POST /support/uploads/{id}/confirm. One <li> per file, updated in place. On a phone, the
// camera (components/camera-scan.js) sits beside the picker and hands its PDF to the same flow.

import { api, uploadToPresignedPost } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { fileSize, plural } from "../lib/formats.js";

const EXTENSIONS = { pdf: "application/pdf", jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png" };

let limitsPromise = null;

/** {max_bytes, max_files, content_types, type_names}, asked once per page. */
export function uploadLimits() {
  if (!limitsPromise) {
    limitsPromise = api("/support/uploads/limits").catch((error) => {
      limitsPromise = null;
      throw error;
    });
  }
  return limitsPromise;
}

/** "Jusqu'à 5 fichiers PDF, JPEG ou PNG, de 10 Mo maximum chacun." */
export function limitsSentence(limits) {
  return `Jusqu'à ${plural(limits.max_files, "fichier", "fichiers")} ${limits.type_names}, de ${fileSize(limits.max_bytes)} maximum chacun.`;
}

function contentTypeOf(file, allowed) {
  if (allowed.includes(file.type)) return file.type;
  const byExtension = EXTENSIONS[file.name.split(".").pop().toLowerCase()];
  return allowed.includes(byExtension) ? byExtension : "";
}

/** Why a file cannot be sent, before trying ("" when it can). */
export function refusalOf(file, limits) {
  if (!contentTypeOf(file, limits.content_types)) {
    return `Ce fichier n'est pas au format ${limits.type_names}. Retirez-le et choisissez un autre fichier.`;
  }
  if (file.size > limits.max_bytes) {
    return `Ce fichier pèse ${fileSize(file.size)} : la limite est de ${fileSize(limits.max_bytes)}. Retirez-le et réduisez sa taille (photo moins lourde, PDF compressé).`;
  }
  if (file.size === 0) return "Ce fichier est vide. Retirez-le et choisissez un autre fichier.";
  return "";
}

/**
 * Wires the file input, its list and its hint (`[data-upload-limits]` inside it receives the
 * limits). `announce(text)` speaks through a live region. `maxFiles` lowers the number of
 * files the API allows when the request itself takes fewer.
 */
export function setupUploadField({ input, list, hint, announce, maxFiles }) {
  let entries = [];
  let counter = 0;
  let limits = null;
  const pending = new Set();

  const ready = uploadLimits().then(
    (loaded) => {
      limits = maxFiles ? { ...loaded, max_files: Math.min(loaded.max_files, maxFiles) } : loaded;
      const slot = hint?.querySelector("[data-upload-limits]");
      if (slot) slot.textContent = `${limitsSentence(limits)} `;
      const extensions = Object.entries(EXTENSIONS)
        .filter(([, type]) => loaded.content_types.includes(type))
        .map(([extension]) => `.${extension}`);
      input.accept = [...extensions, ...loaded.content_types].join(",");
    },
    () => {
      // Without the limits the server alone checks each file; the hint keeps its general text.
    },
  );

  function statusLine(entry) {
    return {
      error: entry.error,
      uploading: `Envoi en cours : ${Math.round(entry.progress * 100)} %`,
      confirming: "Vérification du fichier",
      ready: "Fichier prêt",
    }[entry.status];
  }

  function update(entry) {
    const { node } = entry;
    node.className = `ea-file ea-file--${entry.status}`;
    node.querySelector(".ea-file__status").textContent = statusLine(entry);
    const progress = node.querySelector("progress");
    progress.hidden = entry.status !== "uploading" && entry.status !== "confirming";
    if (entry.status === "confirming") progress.removeAttribute("value");
    else progress.value = Math.round(entry.progress * 100);
    node.querySelector("[data-retry]").hidden = !(entry.status === "error" && entry.retryable);
  }

  function build(entry) {
    const nameId = `file-${entry.localId}-name`;
    entry.removeButton = h("button", { type: "button", class: "ea-link-button", onclick: () => remove(entry) },
      "Retirer", h("span", { class: "ea-visually-hidden", text: ` ${entry.file.name}` }));
    entry.node = h(
      "li",
      { class: "ea-file", "data-testid": "upload-file" },
      h("span", { class: "ea-file__name", id: nameId, text: entry.file.name }),
      h("span", { class: "ea-file__size", text: fileSize(entry.file.size) }),
      h("progress", { max: "100", "aria-labelledby": nameId, class: "ea-file__progress" }),
      h("span", { class: "ea-file__status" }),
      h(
        "span",
        { class: "ea-file__actions" },
        h("button", { type: "button", class: "ea-link-button", "data-retry": "", hidden: true, onclick: () => track(start(entry)) },
          "Réessayer", h("span", { class: "ea-visually-hidden", text: ` l'envoi de ${entry.file.name}` })),
        entry.removeButton,
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
    update(entry);
    announce(`Envoi de ${entry.file.name}…`);
    try {
      const slot = await api("/support/uploads", {
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
      const confirmed = await api(`/support/uploads/${encodeURIComponent(slot.id)}/confirm`, { method: "POST" });
      if (!entries.includes(entry)) return;
      entry.uploadId = confirmed?.id ?? slot.id;
      entry.status = "ready";
      update(entry);
      announce(`${entry.file.name} : fichier prêt.`);
    } catch (error) {
      if (error?.name === "AbortError" || !entries.includes(entry)) return;
      const refusedByStorage = error.code === "upload_failed" && limits;
      const message = refusedByStorage
        ? `Le fichier n'a pas pu être envoyé. Vérifiez qu'il s'agit d'un fichier ${limits.type_names} de ${fileSize(limits.max_bytes)} au plus, puis réessayez.`
        : error.message;
      fail(entry, message, error.retryable ?? true);
    }
  }

  function track(promise) {
    pending.add(promise);
    promise.finally(() => pending.delete(promise));
    return promise;
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

  /** `files(limits)` gives the files to add (or a promise of them). */
  async function add(files) {
    await ready;
    const refused = [];
    files = await files(limits);
    for (const file of files) {
      if (limits && entries.length >= limits.max_files) {
        refused.push(`${file.name} n'a pas été ajouté : ${plural(limits.max_files, "fichier", "fichiers")} au plus.`);
        continue;
      }
      const allowed = limits?.content_types ?? Object.values(EXTENSIONS);
      const entry = { localId: ++counter, file, contentType: contentTypeOf(file, allowed), status: "uploading", progress: 0 };
      entries.push(entry);
      list.append(build(entry));
      const refusal = limits ? refusalOf(file, limits) : "";
      if (refusal) fail(entry, refusal, false);
      else track(start(entry));
    }
    if (refused.length) announce(refused.join(" "));
    return refused;
  }

  input.addEventListener("change", () => {
    const files = [...input.files];
    input.value = "";
    track(add(() => files));
  });

  // A touch screen may be a phone: camera-scan.js, loaded after the page, tells (a computer
  // never loads it). It hands its files to add() as if chosen.
  if (navigator.maxTouchPoints) import("./camera-scan.js").then((camera) => camera.default(input, (files) => track(add(files)), announce));

  return {
    get entries() {
      return entries;
    },
    readyIds: () => entries.filter((entry) => entry.status === "ready").map((entry) => entry.uploadId),
    busy: () => pending.size || entries.some((entry) => entry.status === "uploading" || entry.status === "confirming"),
    /** Resolves once no file is being added, sent or checked. */
    async whenIdle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    /** One error per file that cannot be sent: {message naming the file, focus: its « Retirer »}. */
    errors: () =>
      entries
        .filter((entry) => entry.status === "error")
        .map((entry) => ({ message: `${entry.file.name} : ${entry.error}`, focus: entry.removeButton })),
    reset() {
      for (const entry of entries) entry.transfer?.abort();
      entries = [];
      list.replaceChildren();
    },
  };
}

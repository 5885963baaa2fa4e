// JSON API client: bearer token, one refresh on 401, errors {code, message, fields} whose French
// message is shown as it is.

import { loadConfig } from "./config.js";
import { isDemo } from "./demo.js";
import { getSession, redirectToLogin, refresh } from "./session.js";

export const MESSAGES = Object.freeze({
  network:
    "Impossible de joindre le service. Vérifiez votre connexion à internet, puis réessayez.",
  unavailable: "Le service est momentanément indisponible. Réessayez dans quelques minutes.",
  notFound: "Nous ne trouvons pas cet élément. Le lien est peut-être incomplet ou ancien.",
  expired: "Votre session a expiré. Reconnectez-vous pour continuer.",
  generic:
    "Une erreur inattendue s'est produite. Réessayez ; si le problème continue, contactez votre mutuelle.",
  upload: "Le fichier n'a pas pu être envoyé. Réessayez.",
});

export class ApiError extends Error {
  constructor({ status = 0, code = "error", message = MESSAGES.generic, fields = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fields = fields;
  }

  get notFound() {
    return this.status === 404;
  }

  /** True when trying again later may work (network, 5xx, 429). */
  get retryable() {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

function errorFromResponse(status, data) {
  const fromServer = typeof data?.message === "string" && data.message.trim() ? data.message : "";
  const fields = data?.fields && typeof data.fields === "object" ? data.fields : null;
  if (status === 404) {
    return new ApiError({ status, code: data?.code ?? "not_found", message: fromServer || MESSAGES.notFound });
  }
  if (status === 503 || status === 502 || status === 504) {
    return new ApiError({ status, code: data?.code ?? "unavailable", message: fromServer || MESSAGES.unavailable });
  }
  if (status >= 500) {
    return new ApiError({ status, code: data?.code ?? "server_error", message: MESSAGES.generic });
  }
  return new ApiError({ status, code: data?.code ?? "error", message: fromServer || MESSAGES.generic, fields });
}

async function buildUrl(path, query) {
  const { apiBase } = await loadConfig();
  const url = new URL(apiBase + path, location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") continue;
    url.searchParams.set(key, String(value));
  }
  return url;
}

/**
 * Calls the API and returns the decoded JSON body.
 * Throws ApiError (with a French message) on failure; on 401 refreshes the tokens once and
 * retries, then sends the member to sign-in.
 */
export async function api(path, { method = "GET", query, body, idempotencyKey, signal } = {}) {
  if (isDemo()) {
    // Discovery mode: the snapshot answers, loaded only in this mode.
    const { demoApi } = await import("./demo-api.js");
    return demoApi(path, { method, query, body, signal });
  }
  let url;
  try {
    url = await buildUrl(path, query);
  } catch {
    throw new ApiError({ status: 0, code: "config", message: MESSAGES.unavailable });
  }
  for (let attempt = 0; ; attempt += 1) {
    const session = getSession();
    if (!session) {
      redirectToLogin({ expired: true });
      throw new ApiError({ status: 401, code: "unauthenticated", message: MESSAGES.expired });
    }
    const headers = { Accept: "application/json", Authorization: `Bearer ${session.accessToken}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
        cache: "no-store",
        credentials: "omit",
      });
    } catch (error) {
      if (error?.name === "AbortError") throw error;
      throw new ApiError({ status: 0, code: "network", message: MESSAGES.network });
    }
    if (response.status === 401) {
      if (attempt === 0 && (await refresh())) continue;
      redirectToLogin({ expired: true });
      throw new ApiError({ status: 401, code: "unauthenticated", message: MESSAGES.expired });
    }
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (response.ok) return data;
    throw errorFromResponse(response.status, data);
  }
}

/**
 * Calls a public route of the API (no sign-in, no token sent), e.g. the card check a health
 * professional opens from the QR code. Throws ApiError as api() does.
 */
export async function publicApi(path, { signal } = {}) {
  let url;
  try {
    url = await buildUrl(path);
  } catch {
    throw new ApiError({ status: 0, code: "config", message: MESSAGES.unavailable });
  }
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, signal, cache: "no-store", credentials: "omit" });
  } catch (error) {
    if (error?.name === "AbortError") throw error;
    throw new ApiError({ status: 0, code: "network", message: MESSAGES.network });
  }
  const data = await response.json().catch(() => null);
  if (response.ok) return data;
  throw errorFromResponse(response.status, data);
}

/** One page of a list: {items, next}. */
export async function getPage(path, { query, cursor, signal } = {}) {
  const data = await api(path, { query: { ...query, cursor }, signal });
  return { items: Array.isArray(data?.items) ? data.items : [], next: data?.next ?? null };
}

/**
 * Sends a file to a presigned POST url: every `fields` entry first, then `file`.
 * Returns {promise, abort}; `onProgress` receives a ratio between 0 and 1.
 */
export function uploadToPresignedPost(url, fields, file, onProgress = () => {}) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields ?? {})) form.append(key, value);
    form.append("file", file);
    xhr.open("POST", new URL(url, location.origin));
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new ApiError({ status: xhr.status, code: "upload_failed", message: MESSAGES.upload }));
      }
    });
    xhr.addEventListener("error", () =>
      reject(new ApiError({ status: 0, code: "network", message: MESSAGES.network })),
    );
    xhr.addEventListener("abort", () => {
      const error = new Error("aborted");
      error.name = "AbortError";
      reject(error);
    });
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

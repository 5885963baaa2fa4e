// The one call of the API and its one error mapping: JSON in and out, errors {code, message,
// fields} whose French message is shown as it is. The modes configure it: the member's space
// (lib/api.js: her token, one refresh on 401), the public pages (no token) and the discovery
// mode (lib/demo-api.js, which answers from the snapshot and calls the public estimate).

import { loadConfig } from "./config.js";

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

/** The error a failed answer means, in French: the server's words when it gave some. */
export function errorFromResponse(status, data) {
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
 * Sends one request; resolves to the Response (whatever its status), or throws ApiError when
 * the API cannot be reached at all. `token` is the bearer access token, when there is one;
 * `actFor` the procuration a trusted person acts through.
 */
export async function send(path, { method = "GET", query, body, idempotencyKey, signal, token, actFor } = {}) {
  let url;
  try {
    url = await buildUrl(path, query);
  } catch {
    throw new ApiError({ status: 0, code: "config", message: MESSAGES.unavailable });
  }
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
  // A trusted person acting for a member (lib/acting.js): the API checks the procuration.
  if (actFor) headers["X-Act-For"] = actFor;
  try {
    return await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: "no-store",
      credentials: "omit",
    });
  } catch (error) {
    if (error?.name === "AbortError" || error?.name === "TimeoutError") throw error;
    throw new ApiError({ status: 0, code: "network", message: MESSAGES.network });
  }
}

/** The decoded body of a successful answer; ApiError for any other. */
export async function decode(response) {
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.ok) return data;
  throw errorFromResponse(response.status, data);
}

/**
 * Calls a public route of the API (no sign-in, no token sent): the card check a health
 * professional opens from the QR code, creating an account, a forgotten password.
 */
export async function publicApi(path, options = {}) {
  return decode(await send(path, { ...options, token: undefined }));
}

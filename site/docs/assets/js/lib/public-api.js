// Calls of the public routes (no sign-in: creating an account, a forgotten password). The same
// French messages as the member API; a 429 says, in the server's words, when to try again.

import { ApiError, MESSAGES } from "./api.js";
import { loadConfig } from "./config.js";

export async function publicPost(path, body, { idempotencyKey } = {}) {
  let config;
  try {
    config = await loadConfig();
  } catch {
    throw new ApiError({ status: 0, code: "config", message: MESSAGES.unavailable });
  }
  const headers = { Accept: "application/json", "Content-Type": "application/json" };
  if (idempotencyKey) headers["Idempotency-Key"] = idempotencyKey;
  let response;
  try {
    response = await fetch(new URL(config.apiBase + path, location.origin), {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      cache: "no-store",
      credentials: "omit",
    });
  } catch {
    throw new ApiError({ status: 0, code: "network", message: MESSAGES.network });
  }
  const data = await response.json().catch(() => null);
  if (response.ok) return data;
  const message = typeof data?.message === "string" && data.message.trim() ? data.message : "";
  if (response.status >= 500 && response.status !== 503) {
    throw new ApiError({ status: response.status, code: "server_error", message: MESSAGES.generic });
  }
  throw new ApiError({
    status: response.status,
    code: data?.code ?? "error",
    message: message || (response.status === 503 ? MESSAGES.unavailable : MESSAGES.generic),
    fields: data?.fields && typeof data.fields === "object" ? data.fields : null,
  });
}

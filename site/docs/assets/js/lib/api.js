// The API as the signed-in member or advisor calls it: lib/http.js's one call with her bearer
// token, one refresh on 401; in discovery mode the snapshot answers instead (lib/demo-api.js).

import { getActing, leaveActing } from "./acting.js";
import { isDemo } from "./demo.js";
import { ApiError, decode, MESSAGES, send } from "./http.js";
import { getSession, redirectToLogin, refresh } from "./session.js";

export { ApiError, MESSAGES };

/**
 * Calls the API and returns the decoded JSON body.
 * Throws ApiError (with a French message) on failure; on 401 refreshes the tokens once and
 * retries, then sends the member to sign-in.
 * A trusted person acting for a member sends the procuration with every call, unless `asSelf`
 * (her own account: the space switcher, her procurations). When the API says the procuration
 * has ended or does not reach this far, she is brought back to her own space with its message.
 */
export async function api(path, { method = "GET", query, body, idempotencyKey, signal, asSelf = false } = {}) {
  if (isDemo()) {
    // Discovery mode: the snapshot answers, loaded only in this mode.
    const { demoApi } = await import("./demo-api.js");
    return demoApi(path, { method, query, body, signal });
  }
  for (let attempt = 0; ; attempt += 1) {
    const session = getSession();
    if (!session) {
      redirectToLogin({ expired: true });
      throw new ApiError({ status: 401, code: "unauthenticated", message: MESSAGES.expired });
    }
    const actFor = asSelf ? undefined : getActing()?.id;
    const response = await send(path, { method, query, body, idempotencyKey, signal, token: session.accessToken, actFor });
    if (response.status === 401) {
      if (attempt === 0 && (await refresh())) continue;
      redirectToLogin({ expired: true });
      throw new ApiError({ status: 401, code: "unauthenticated", message: MESSAGES.expired });
    }
    try {
      return await decode(response);
    } catch (error) {
      const ended = error.code === "procuration_ended" || error.code === "beyond_procuration";
      if (actFor && error.status === 403 && ended) leaveActing(error.message);
      throw error;
    }
  }
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

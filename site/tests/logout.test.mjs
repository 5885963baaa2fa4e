// Signing out while a token refresh is in flight: `node --test site/tests/`.
import assert from "node:assert/strict";
import { test } from "node:test";

// A refresh schedules the next one an hour later: that timer must not keep the test running.
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = (...args) => {
  const timer = realSetTimeout(...args);
  timer.unref?.();
  return timer;
};

const store = new Map();
globalThis.sessionStorage = {
  getItem: (key) => (store.has(key) ? store.get(key) : null),
  setItem: (key, value) => store.set(key, String(value)),
  removeItem: (key) => store.delete(key),
};
globalThis.location = new URL("http://127.0.0.1:8000/espace/remboursements/");
let replacedWith = null;
globalThis.location.replace = (url) => {
  replacedWith = String(url);
};
globalThis.document = { querySelector: () => ({ content: ".." }), querySelectorAll: () => [] };

let answerRefresh;
const refreshAnswered = new Promise((resolve) => {
  answerRefresh = resolve;
});
const json = (body, status = 200) => ({ ok: status < 300, status, json: async () => body });
globalThis.fetch = async (url, options = {}) => {
  if (String(url).endsWith("/config.json")) {
    return json({ apiBase: "/api", cognitoEndpoint: "/cognito", clientId: "client" });
  }
  const target = options.headers?.["X-Amz-Target"] ?? "";
  if (target.endsWith("InitiateAuth")) {
    await refreshAnswered; // the refresh answers only once signing out has begun
    return json({ AuthenticationResult: { AccessToken: "renewed", ExpiresIn: 3600 } });
  }
  return json({}, String(url).endsWith("/members/logout") ? 204 : 200);
};

const { getSession, logout, refresh } = await import("../docs/assets/js/lib/session.js");

test("a refresh that answers during sign-out does not bring the session back", async () => {
  store.set("ea.session", JSON.stringify({ accessToken: "old", refreshToken: "r", expiresAt: Date.now() + 60_000 }));
  assert.ok(getSession(), "signed in to begin with");
  const renewing = refresh(); // a call met a 401 as the session was closing
  const signingOut = logout();
  answerRefresh();
  assert.equal(await renewing, false);
  await signingOut;
  assert.equal(getSession(), null);
  assert.equal(store.size, 0);
  assert.match(replacedWith, /\/connexion\/\?deconnecte=1$/);
});

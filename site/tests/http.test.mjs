// The one API client (lib/http.js) and the modes that configure it: `node --test site/tests/`.
import assert from "node:assert/strict";
import { test } from "node:test";

globalThis.location = new URL("http://127.0.0.1:8000/connexion/creer-mon-compte/");
globalThis.document = { querySelector: () => ({ content: ".." }), querySelectorAll: () => [] };

let answer = () => ({ status: 200, body: {} });
const calls = [];
globalThis.fetch = async (url, options = {}) => {
  if (String(url).endsWith("/config.json")) {
    return { ok: true, status: 200, json: async () => ({ apiBase: "/api", cognitoEndpoint: "/cognito", clientId: "c" }) };
  }
  calls.push({ url: String(url), options });
  const { status, body, fail } = answer();
  if (fail) throw new TypeError("Failed to fetch");
  return { ok: status < 300, status, json: async () => (body === undefined ? Promise.reject(new Error("no body")) : body) };
};

const { publicApi, MESSAGES } = await import("../docs/assets/js/lib/http.js");

test("a public call sends JSON, its idempotency key and no token", async () => {
  answer = () => ({ status: 201, body: { message: "Code envoyé." } });
  const data = await publicApi("/public/accounts", { method: "POST", body: { a: 1 }, idempotencyKey: "k1" });
  assert.deepEqual(data, { message: "Code envoyé." });
  const { url, options } = calls.at(-1);
  assert.equal(url, "http://127.0.0.1:8000/api/public/accounts");
  assert.equal(options.body, '{"a":1}');
  assert.equal(options.headers["Idempotency-Key"], "k1");
  assert.equal(options.headers.Authorization, undefined);
});

test("the server's French words are shown as they are, with the fields they name", async () => {
  answer = () => ({ status: 422, body: { code: "invalid", message: "Vérifiez le code.", fields: { code: "6 chiffres" } } });
  await assert.rejects(publicApi("/public/accounts/confirm", { method: "POST", body: {} }), (error) => {
    assert.equal(error.message, "Vérifiez le code.");
    assert.deepEqual(error.fields, { code: "6 chiffres" });
    assert.equal(error.retryable, false);
    return true;
  });
});

test("a server fault never shows its own text; an outage says to come back later", async () => {
  answer = () => ({ status: 500, body: { message: "Traceback: KeyError" } });
  await assert.rejects(publicApi("/public/x"), { message: MESSAGES.generic, status: 500 });
  answer = () => ({ status: 503, body: undefined });
  await assert.rejects(publicApi("/public/x"), { message: MESSAGES.unavailable, retryable: true });
  answer = () => ({ status: 404, body: {} });
  await assert.rejects(publicApi("/public/x"), { message: MESSAGES.notFound, notFound: true });
});

test("no network reads as such, and can be tried again", async () => {
  answer = () => ({ fail: true });
  await assert.rejects(publicApi("/public/x"), { message: MESSAGES.network, status: 0, retryable: true });
});

test("the query leaves out empty values", async () => {
  answer = () => ({ status: 200, body: { items: [] } });
  await publicApi("/services/places", { query: { q: "lyon", kind: "", near: null } });
  assert.equal(calls.at(-1).url, "http://127.0.0.1:8000/api/services/places?q=lyon");
});

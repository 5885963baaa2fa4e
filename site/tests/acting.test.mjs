// Acting for a member (procuration) in the API client: `node --test site/tests/`.
import assert from "node:assert/strict";
import { test } from "node:test";

const store = new Map();
globalThis.sessionStorage = {
  getItem: (key) => (store.has(key) ? store.get(key) : null),
  setItem: (key, value) => store.set(key, String(value)),
  removeItem: (key) => store.delete(key),
};
const visited = [];
globalThis.location = new URL("http://127.0.0.1:8000/espace/remboursements/");
globalThis.location.assign = (url) => visited.push(String(url));
globalThis.location.replace = (url) => visited.push(String(url));
// The site root, as the page at /espace/remboursements/ writes it (<meta name="ea-base">).
globalThis.document = { querySelector: () => ({ content: "../.." }), querySelectorAll: () => [] };

let answer = () => ({ status: 200, body: {} });
const calls = [];
globalThis.fetch = async (url, options = {}) => {
  if (String(url).endsWith("/config.json")) {
    return { ok: true, status: 200, json: async () => ({ apiBase: "/api", cognitoEndpoint: "/cognito", clientId: "c" }) };
  }
  calls.push({ url: String(url), options });
  const { status, body } = answer();
  return { ok: status < 300, status, json: async () => body };
};

const { api } = await import("../docs/assets/js/lib/api.js");
const { beyondScope, getActing, setActing } = await import("../docs/assets/js/lib/acting.js");

store.set("ea.session", JSON.stringify({ accessToken: "t", expiresAt: Date.now() + 3_600_000 }));
const FATIMA = { id: "P20261207T120000-0123abcd", principal_name: "Fatima L.", scope: "act", until: "2027-03-07" };

test("acting, every call carries the procuration; her own calls do not", async () => {
  setActing(FATIMA);
  answer = () => ({ status: 200, body: { items: [] } });
  await api("/claims");
  assert.equal(calls.at(-1).options.headers["X-Act-For"], FATIMA.id);
  await api("/members/me", { asSelf: true });
  assert.equal(calls.at(-1).options.headers["X-Act-For"], undefined);
  assert.equal(calls.at(-1).options.headers.Authorization, "Bearer t");
});

test("an ended procuration brings her back to her own space, told why", async () => {
  setActing(FATIMA);
  store.set("ea.spaces", JSON.stringify({ sub: "s", has_file: false, acting_for: [] }));
  answer = () => ({ status: 403, body: { code: "procuration_ended", message: "Cette procuration a pris fin." } });
  await assert.rejects(api("/support/requests"), { status: 403, code: "procuration_ended" });
  assert.equal(getActing(), null);
  assert.equal(store.get("ea.acting.notice"), "Cette procuration a pris fin.");
  assert.equal(visited.at(-1), "http://127.0.0.1:8000/espace/choisir/");
  // Not acting any more: the next call is her own.
  answer = () => ({ status: 200, body: {} });
  await api("/members/me");
  assert.equal(calls.at(-1).options.headers["X-Act-For"], undefined);
});

test("a read-only procuration opens no sending page; none opens her credentials or bank details", () => {
  const read = { ...FATIMA, scope: "read" };
  assert.equal(beyondScope("/espace/remboursements/", read), false);
  assert.equal(beyondScope("/espace/demande-remboursement/", read), true);
  assert.equal(beyondScope("/espace/demande-remboursement/", FATIMA), false);
  for (const path of ["/espace/infos/", "/espace/infos/procurations/", "/espace/contrat/coordonnees-bancaires/"]) {
    assert.equal(beyondScope(path, FATIMA), true, path);
  }
  assert.equal(beyondScope("/espace/infos/", null), false);
});

// Return-path checks after sign-in (no open redirect): `node --test site/tests/`.
import assert from "node:assert/strict";
import { test } from "node:test";

globalThis.location = new URL("http://127.0.0.1:8000/connexion/?suite=x");
globalThis.document = { querySelector: () => ({ content: ".." }) };

const { safeReturnPath, afterLoginPath, roleOf, tokenClaims } = await import("../docs/assets/js/lib/session.js");

/** An unsigned token with these claims (the page only reads them to choose its pages). */
function token(claims) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none" })}.${part(claims)}.signature`;
}

test("same-origin paths are kept", () => {
  assert.equal(safeReturnPath("/espace/releves/"), "/espace/releves/");
  assert.equal(safeReturnPath("/espace/remboursements/decompte/?id=c1"), "/espace/remboursements/decompte/?id=c1");
});

test("anything that could leave the site is refused", () => {
  for (const unsafe of [
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example",
    "javascript:alert(1)",
    "espace/releves/",
    "/connexion/",
    "/espace/\nx",
    null,
  ]) {
    assert.equal(safeReturnPath(unsafe), null, String(unsafe));
  }
});

test("without a safe `suite` the member lands on Mes remboursements", () => {
  assert.equal(afterLoginPath(new URLSearchParams("suite=//evil.example")), "/espace/remboursements/");
  assert.equal(afterLoginPath(new URLSearchParams("suite=%2Fespace%2Freleves%2F")), "/espace/releves/");
});

test("an advisor is whoever the access token puts in the group advisors", () => {
  assert.equal(roleOf({ accessToken: token({ sub: "a", "cognito:groups": ["advisors"] }) }), "advisor");
  assert.equal(roleOf({ accessToken: token({ sub: "a", "cognito:groups": "[advisors]" }) }), "advisor");
  assert.equal(roleOf({ accessToken: token({ sub: "m", "cognito:groups": ["members"] }) }), "member");
  assert.equal(roleOf({ accessToken: token({ sub: "m" }) }), "member");
  assert.equal(roleOf({ accessToken: "not a token" }), "member");
  assert.equal(roleOf(null), "member");
  assert.equal(tokenClaims(token({ email: "zoé@example.fr" })).email, "zoé@example.fr");
});

test("each role lands in its own space, and `suite` only leads inside it", () => {
  const params = (suite) => new URLSearchParams(suite ? `suite=${encodeURIComponent(suite)}` : "");
  assert.equal(afterLoginPath(params(), "advisor"), "/conseiller/");
  assert.equal(afterLoginPath(params("/espace/releves/"), "advisor"), "/conseiller/");
  assert.equal(afterLoginPath(params("/conseiller/"), "advisor"), "/conseiller/");
  assert.equal(afterLoginPath(params("/conseiller/"), "member"), "/espace/remboursements/");
  assert.equal(afterLoginPath(params("/espace/releves/"), "member"), "/espace/releves/");
});

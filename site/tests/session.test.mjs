// Return-path checks after sign-in (no open redirect): `node --test site/tests/`.
import assert from "node:assert/strict";
import { test } from "node:test";

globalThis.location = new URL("http://127.0.0.1:8000/connexion/?suite=x");
globalThis.document = { querySelector: () => ({ content: ".." }) };

const { safeReturnPath, afterLoginPath } = await import("../docs/assets/js/session.js");

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

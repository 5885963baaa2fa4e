// Every download of the site says the same thing the same way (components/document-download.js):
// `node --test site/tests/`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { element, installDom } from "./fake-dom.mjs";

installDom();
const { startDownload } = await import("../docs/assets/js/components/document-download.js");

test("the link is opened, and stays in view in case the browser blocks it", () => {
  installDom();
  const status = element("p");
  const file = { url: "https://s3.example/statement.pdf?sig=1", filename: "releve-2026-11.pdf" };
  startDownload(file, status, { ready: "Le relevé de novembre 2026 en PDF est prêt" });
  assert.equal(status.textContent, "Le relevé de novembre 2026 en PDF est prêt : le téléchargement commence. S'il ne démarre pas, utilisez ce lien (valable quelques minutes) : Télécharger releve-2026-11.pdf");
  const link = status.children.at(-1);
  assert.equal(link.getAttribute("href"), file.url);
  assert.equal(link.getAttribute("download"), "releve-2026-11.pdf");
});

test("without a name of its own, the file is named by what it is; without `ready`, the sentence starts plainly", () => {
  installDom();
  const status = element("p");
  startDownload({ url: "/x" }, status, { ready: "", valid: "deux minutes", fallback: "la carte" });
  assert.equal(status.textContent, "Le téléchargement commence. S'il ne démarre pas, utilisez ce lien (valable deux minutes) : Télécharger la carte");
});

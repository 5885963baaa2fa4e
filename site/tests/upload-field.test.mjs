// What the upload field says about files and limits, without a browser: `node --test site/tests/`.
import assert from "node:assert/strict";
import { test } from "node:test";

import { limitsSentence, refusalOf } from "../docs/assets/js/components/upload-field.js";

const LIMITS = {
  max_bytes: 10485760,
  max_files: 5,
  content_types: ["application/pdf", "image/jpeg", "image/png"],
  type_names: "PDF, JPEG ou PNG",
};
const file = (name, size, type = "") => ({ name, size, type });

test("the limits are said as the API gives them", () => {
  assert.equal(limitsSentence(LIMITS), "Jusqu'à 5 fichiers PDF, JPEG ou PNG, de 10 Mo maximum chacun.");
  assert.equal(
    limitsSentence({ ...LIMITS, max_files: 1, max_bytes: 2 * 1024 * 1024, type_names: "PDF" }),
    "Jusqu'à 1 fichier PDF, de 2 Mo maximum chacun.",
  );
});

test("each refused file gets its own reason", () => {
  assert.equal(refusalOf(file("facture.pdf", 2000, "application/pdf"), LIMITS), "");
  assert.equal(refusalOf(file("photo.JPG", 2000), LIMITS), "");
  assert.match(refusalOf(file("notes.txt", 20, "text/plain"), LIMITS), /pas au format PDF, JPEG ou PNG/);
  assert.match(refusalOf(file("scan.png", 11 * 1024 * 1024, "image/png"), LIMITS), /pèse 11 Mo : la limite est de 10 Mo/);
  assert.match(refusalOf(file("vide.pdf", 0, "application/pdf"), LIMITS), /vide/);
  assert.match(refusalOf(file("photo.png", 10, "image/png"), { ...LIMITS, content_types: ["application/pdf"], type_names: "PDF" }), /format PDF\./);
});

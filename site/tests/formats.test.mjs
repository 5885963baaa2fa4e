// Unit tests of the page helpers that need no browser: `node --test site/tests/`.
import assert from "node:assert/strict";
import { test } from "node:test";

import { dateFr, dateLongFr, euros, fileSize, isIsoDate, parseEurosToCents } from "../docs/assets/js/format.js";

const plain = (text) => text.replace(/[\u00a0\u202f]/g, " ");

test("euros formats cents the French way", () => {
  assert.equal(plain(euros(1234)), "12,34 €");
  assert.equal(plain(euros(123456789)), "1 234 567,89 €");
  assert.equal(plain(euros(0)), "0,00 €");
});

test("dates are read as calendar dates, without time-zone shift", () => {
  assert.equal(dateFr("2026-01-01"), "01/01/2026");
  assert.equal(dateLongFr("2026-10-12"), "12 octobre 2026");
  assert.equal(dateFr("pas une date"), "");
});

test("isIsoDate accepts real calendar dates only", () => {
  assert.ok(isIsoDate("2024-02-29"));
  assert.ok(!isIsoDate("2026-02-30"));
  assert.ok(!isIsoDate("12/10/2026"));
  assert.ok(!isIsoDate(""));
});

test("parseEurosToCents reads what members type", () => {
  const cases = {
    "45,50": 4550,
    "45.5": 4550,
    "45": 4500,
    " 1 234,5 € ": 123450,
    "1\u202f234,05": 123405,
    "0,07": 7,
    "12 euros": 1200,
  };
  for (const [typed, cents] of Object.entries(cases)) assert.equal(parseEurosToCents(typed), cents, typed);
  for (const bad of ["", "abc", "12,345", "1.234,50", "-5", "12,", ",5"]) {
    assert.equal(parseEurosToCents(bad), null, bad);
  }
});

test("fileSize speaks French units", () => {
  assert.equal(fileSize(15), "15 octets");
  assert.equal(plain(fileSize(1536 * 1024)), "1,5 Mo");
});

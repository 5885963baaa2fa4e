// Unit tests of the page helpers that need no browser: `node --test site/tests/`.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  dateFr,
  dateLongFr,
  dateTimeFr,
  de,
  euros,
  fileSize,
  isIsoDate,
  parseEurosToCents,
  plural,
  pluralWord,
  addDaysIso,
  thisYear,
  todayIso,
} from "../docs/assets/js/lib/formats.js";

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
  assert.equal(fileSize(1), "1 octet");
  assert.equal(plain(fileSize(1536 * 1024)), "1,5 Mo");
  assert.equal(fileSize(10485760), "10 Mo");
});

test("timestamps with an offset read as Paris time, in words", () => {
  assert.equal(dateTimeFr("2026-11-26T17:06:25+01:00"), "26 novembre 2026 à 17:06");
  assert.equal(dateTimeFr("2026-11-26T16:06:25Z"), "26 novembre 2026 à 17:06");
  assert.equal(dateTimeFr("2026-07-01T09:30:00+02:00"), "1 juillet 2026 à 09:30");
  for (const bad of ["", null, undefined, "hier"]) assert.equal(dateTimeFr(bad), "", String(bad));
});

test("plurals follow French: 0 and 1 are singular", () => {
  assert.equal(plural(0, "remboursement", "remboursements"), "0 remboursement");
  assert.equal(plural(1, "remboursement", "remboursements"), "1 remboursement");
  assert.equal(plural(2, "remboursement", "remboursements"), "2 remboursements");
  assert.equal(plain(plural(1500, "fichier", "fichiers")), "1 500 fichiers");
  assert.equal(plural(1000000, "fichier", "fichiers").endsWith("fichiers"), true);
  assert.equal(pluralWord(1, "affichée", "affichées"), "affichée");
  assert.equal(pluralWord(20, "affichée", "affichées"), "affichées");
});

test("« de » elides before a vowel or a silent h", () => {
  assert.equal(de("octobre 2026"), "d'octobre 2026");
  assert.equal(de("Inès Lambert"), "d'Inès Lambert");
  assert.equal(de("Hélène"), "d'Hélène");
  assert.equal(de("novembre 2026"), "de novembre 2026");
  assert.equal(de("Karim Lambert"), "de Karim Lambert");
  assert.equal(de("Yves"), "d'Yves");
  assert.equal(de("Yasmine"), "de Yasmine");
});

test("today is the day in Paris, whatever the computer's time zone", () => {
  // 23:30 UTC on 31 December is 00:30 on 1 January in Paris (winter time).
  assert.equal(todayIso(new Date("2026-12-31T23:30:00Z")), "2027-01-01");
  assert.equal(thisYear(new Date("2026-12-31T23:30:00Z")), 2027);
  // 22:30 UTC on 30 June is 00:30 on 1 July (summer time).
  assert.equal(todayIso(new Date("2027-06-30T22:30:00Z")), "2027-07-01");
  assert.equal(todayIso(new Date("2027-06-30T21:30:00Z")), "2027-06-30");
  assert.equal(todayIso(new Date("2028-02-29T10:00:00Z")), "2028-02-29");
});

test("days are added on the calendar, across leap days and the nights the clocks change", () => {
  assert.equal(addDaysIso("2028-02-28", 1), "2028-02-29");
  assert.equal(addDaysIso("2027-02-28", 1), "2027-03-01");
  assert.equal(addDaysIso("2027-03-27", 14), "2027-04-10");
  assert.equal(addDaysIso("2027-10-30", 2), "2027-11-01");
  assert.equal(addDaysIso("2026-12-20", 14), "2027-01-03");
});

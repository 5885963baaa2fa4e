// The states of a request, named in one module (lib/request-statuses.js): `node --test site/tests/`.
import assert from "node:assert/strict";
import { test } from "node:test";

globalThis.document = {
  createElement: (tag) => ({ tag, value: "", textContent: "" }),
};

const { isOpenRequest, REQUEST_STATUS_IDS, requestStatusLabel, requestStatusOptions } = await import("../docs/assets/js/lib/request-statuses.js");

test("the states follow a request's life, each once", () => {
  assert.deepEqual(REQUEST_STATUS_IDS, ["sent", "in_progress", "info_needed", "payment_requested", "processed", "refused"]);
  assert.equal(requestStatusLabel("info_needed"), "Informations demandées");
  assert.equal(requestStatusLabel("gone"), "");
});

test("a filter offers every state after its own first option, in the reader's words", () => {
  const options = [{ value: "", textContent: "Tous les états" }];
  const select = { append: (option) => options.push(option) };
  assert.equal(requestStatusOptions(select), select);
  assert.deepEqual(options.map((o) => o.textContent), ["Tous les états", "Envoyée", "En cours de traitement", "Informations demandées", "Transmise pour paiement", "Acceptée", "Refusée"]);
  const queue = [];
  requestStatusOptions({ append: (option) => queue.push(option) }, { words: "queue" });
  assert.deepEqual(queue.map((o) => [o.value, o.textContent])[0], ["sent", "À prendre en charge"]);
});

test("a request is open until it is processed or refused (sent for payment, it waits for the payment)", () => {
  assert.deepEqual(REQUEST_STATUS_IDS.filter(isOpenRequest), ["sent", "in_progress", "info_needed", "payment_requested"]);
});

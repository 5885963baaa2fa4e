// The code-then-password steps (components/code-steps.js) of creating an account, a forgotten
// password and a new email address, and the password rules of a password change:
// `node --test site/tests/`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { element, installDom, tick } from "./fake-dom.mjs";

installDom();
const { codeOf, newPasswordErrors, setupCodeSteps } = await import("../docs/assets/js/components/code-steps.js");
const { ApiError } = await import("../docs/assets/js/lib/http.js");

const input = (value) => ({ value });

test("a code is read without the spaces or dashes a member types", () => {
  assert.equal(codeOf(" 123 456 "), "123456");
  assert.equal(codeOf("123-456"), "123456");
});

test("a new password: 12 characters, typed twice the same; a changed one differs from the old", () => {
  assert.deepEqual(newPasswordErrors({ password: input("court"), again: input("court") }).map((e) => e.message),
    ["Le mot de passe doit compter 12 caractères au moins."]);
  assert.deepEqual(newPasswordErrors({ password: input("assez-long-2026"), again: input("assez-long-2025") }).map((e) => e.message),
    ["Les deux saisies du mot de passe sont différentes."]);
  const current = input("assez-long-2026");
  assert.deepEqual(newPasswordErrors({ password: input("assez-long-2026"), again: input("assez-long-2026"), current }).map((e) => e.message),
    ["Choisissez un nouveau mot de passe différent de l'actuel."]);
  assert.deepEqual(newPasswordErrors({ password: input("encore-plus-long"), again: input("encore-plus-long"), current }), []);
});

function page({ startAnswer, confirmAnswer }) {
  installDom();
  const startForm = element("form", { id: "start" });
  const email = element("input", { id: "email" }, startForm);
  const startButton = element("button", { id: "send" }, startForm);
  startButton.disabled = true; // until the script runs
  const confirmForm = element("form", { id: "confirm", hidden: true });
  const code = element("input", { id: "code" }, confirmForm);
  const password = element("input", { id: "password" }, confirmForm);
  const again = element("input", { id: "again" }, confirmForm);
  const save = element("button", { id: "save" }, confirmForm);
  const back = element("button", { id: "back" }, confirmForm);
  const parts = {
    startSummary: element("div", { id: "start-errors", hidden: true }), startBox: element("div"),
    summary: element("div", { id: "errors", hidden: true }), box: element("div"),
    sent: element("div"), status: element("p"),
  };
  const sentBodies = [];
  const finished = [];
  setupCodeSteps({
    code, sent: parts.sent, again: back, first: email,
    start: {
      form: startForm, summary: parts.startSummary, errorBox: parts.startBox, button: startButton, status: parts.status,
      busy: "Envoi du code…",
      validate: () => (email.value.includes("@") ? [] : [{ field: email, message: "Saisissez une adresse e-mail complète." }]),
      send: async () => {
        sentBodies.push({ email: email.value });
        return startAnswer();
      },
      fieldFor: (name) => (name === "email" ? email : null),
    },
    confirm: {
      form: confirmForm, summary: parts.summary, errorBox: parts.box, button: save, status: parts.status,
      busy: "Création de votre compte…",
      validate: () => newPasswordErrors({ password, again }),
      send: async () => {
        sentBodies.push({ code: codeOf(code.value), password: password.value });
        return confirmAnswer();
      },
      done: (answer) => finished.push(answer),
      fieldFor: (name) => ({ code, password })[name] ?? null,
    },
  });
  return { startForm, email, startButton, confirmForm, code, password, again, back, parts, sentBodies, finished };
}

const submit = async (form) => {
  form.fire("submit");
  await tick();
};

test("the address, then the code and the password: each step checked here before it is sent", async () => {
  const p = page({ startAnswer: () => ({ message: "Un code vient de partir." }), confirmAnswer: () => ({ message: "Compte créé." }) });
  assert.equal(p.startButton.disabled, false, "the button works once the script runs");
  p.email.value = "fatima";
  await submit(p.startForm);
  assert.deepEqual(p.sentBodies, []);
  assert.match(p.parts.startSummary.textContent, /Saisissez une adresse e-mail complète/);
  assert.equal(p.email.getAttribute("aria-invalid"), "true");

  p.email.value = "fatima@exemple.fr";
  await submit(p.startForm);
  assert.deepEqual(p.sentBodies, [{ email: "fatima@exemple.fr" }]);
  assert.equal(p.parts.sent.textContent, "Un code vient de partir.");
  assert.equal(p.startForm.hidden, true);
  assert.equal(p.confirmForm.hidden, false);
  assert.equal(document.activeElement, p.code);
  assert.equal(p.parts.status.textContent, "");

  p.code.value = "12 34";
  p.password.value = "court";
  p.again.value = "autre";
  await submit(p.confirmForm);
  assert.equal(p.sentBodies.length, 1);
  assert.match(p.parts.summary.textContent, /\(3\)/);
  assert.match(p.parts.summary.textContent, /6 chiffres/);

  p.code.value = "123 456";
  p.password.value = "un-long-mot-de-passe";
  p.again.value = "un-long-mot-de-passe";
  await submit(p.confirmForm);
  assert.deepEqual(p.sentBodies.at(-1), { code: "123456", password: "un-long-mot-de-passe" });
  assert.deepEqual(p.finished, [{ message: "Compte créé." }]);
});

test("the API's field errors go under their fields; its other errors are said beside the form", async () => {
  let fail = new ApiError({ status: 400, code: "invalid", message: "Code incorrect.", fields: { code: "Ce code n'est pas le bon." } });
  const p = page({ startAnswer: () => ({ message: "Parti." }), confirmAnswer: () => { throw fail; } });
  p.email.value = "a@b.fr";
  await submit(p.startForm);
  p.code.value = "123456";
  p.password.value = p.again.value = "un-long-mot-de-passe";
  await submit(p.confirmForm);
  assert.equal(p.code.getAttribute("aria-invalid"), "true");
  assert.match(p.parts.summary.textContent, /Ce code n'est pas le bon\./);
  assert.equal(p.parts.box.textContent, "", "a field error is not said twice");

  fail = new ApiError({ status: 503, code: "unavailable", message: "Le service est momentanément indisponible." });
  await submit(p.confirmForm);
  assert.match(p.parts.box.textContent, /momentanément indisponible/);
  assert.equal(p.parts.status.textContent, "");
});

test("« Recevoir un autre code » leads back to the first step", async () => {
  const p = page({ startAnswer: () => ({ message: "Parti." }), confirmAnswer: () => ({}) });
  p.email.value = "a@b.fr";
  await submit(p.startForm);
  p.back.click();
  assert.equal(p.startForm.hidden, false);
  assert.equal(p.confirmForm.hidden, true);
  assert.equal(document.activeElement, p.email);
});

test("a double click sends once", async () => {
  let release;
  const p = page({ startAnswer: () => new Promise((resolve) => { release = resolve; }), confirmAnswer: () => ({}) });
  p.email.value = "a@b.fr";
  p.startForm.fire("submit");
  p.startForm.fire("submit");
  await tick();
  assert.equal(p.sentBodies.length, 1);
  assert.equal(p.startButton.disabled, true);
  assert.equal(p.parts.status.textContent, "Envoi du code…");
  release({ message: "Parti." });
  await tick();
  assert.equal(p.startButton.disabled, false);
});

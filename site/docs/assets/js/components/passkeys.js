// « Mes clés d'accès », for members and advisors alike (`base`: their API path): the list
// (name, date added, last use when known, where it lives), adding one on this device (a name,
// her password or an existing passkey, then the browser's prompt) and removing one (after her
// password or a passkey). The pages hold the forms; this fills and drives them.

import { formStep } from "./code-steps.js";
import { formDialog } from "./form-dialog.js";
import { setLoaded, setLoading, showError, showNotice } from "./states.js";
import { api } from "../lib/api.js";
import { isDemo } from "../lib/demo.js";
import { byId, h } from "../lib/dom.js";
import { dateTimeFr } from "../lib/formats.js";
import { idempotencyKeeper } from "../lib/idempotency.js";
import { createPasskey, PasskeyError, passkeyProof, passkeysSupported } from "../lib/passkeys.js";

const NAME_MAX = 40;

function passkeyCard(passkey, onRemove) {
  return h(
    "li",
    { class: "ea-card ea-passkey", "data-testid": "passkey-row" },
    h("p", { class: "ea-card__title ea-passkey__name", text: passkey.name }),
    h(
      "dl",
      { class: "ea-passkey__facts" },
      h("dt", { text: "Ajoutée le" }),
      h("dd", { text: passkey.created_at ? dateTimeFr(passkey.created_at) : "date inconnue" }),
      passkey.last_used_at ? h("dt", { text: "Dernière utilisation" }) : null,
      passkey.last_used_at ? h("dd", { text: dateTimeFr(passkey.last_used_at) }) : null,
      passkey.device ? h("dt", { text: "Où elle se trouve" }) : null,
      passkey.device ? h("dd", { text: passkey.device }) : null,
    ),
    h(
      "p",
      { class: "ea-passkey__actions" },
      h(
        "button",
        { type: "button", class: "ea-button ea-button--secondary", "data-testid": "passkey-remove", onclick: () => onRemove(passkey) },
        "Supprimer",
        h("span", { class: "ea-visually-hidden", text: ` la clé « ${passkey.name} »` }),
      ),
    ),
  );
}

/** Her proof, asked as the form says: her password, or one of her passkeys (the prompt). */
async function proofOf(password, usePasskey) {
  if (!usePasskey) return { password };
  return { passkey: await passkeyProof() };
}

export function setupPasskeys({ base, empty = "Aucune clé d'accès pour l'instant : vous vous connectez avec votre mot de passe." }) {
  const list = byId("passkeys-list");
  const listStatus = byId("passkeys-status");
  const listError = byId("passkeys-error");
  const form = byId("passkey-form");
  const name = byId("passkey-name");
  const password = byId("passkey-password");
  const withPasskey = byId("passkey-with-passkey");
  const errorBox = byId("passkey-error");
  const status = byId("passkey-status");
  const done = byId("passkey-done");
  const keeper = idempotencyKeeper();
  let count = 0;
  let usePasskey = false;

  async function load({ announce = "" } = {}) {
    setLoading(list, listStatus, "Chargement de vos clés d'accès…");
    listError.replaceChildren();
    try {
      // Discovery mode: the snapshot holds no credential of anyone's.
      const answer = isDemo() ? { items: [] } : await api(base);
      const items = Array.isArray(answer?.items) ? answer.items : [];
      count = items.length;
      list.replaceChildren(...items.map((passkey) => passkeyCard(passkey, remove)));
      if (!items.length) {
        list.replaceChildren(h("li", { class: "ea-empty", "data-testid": "passkeys-empty", text: empty }));
      }
      withPasskey.hidden = !count || !passkeysSupported();
      const summary = count === 0 ? "Aucune clé d'accès." : count === 1 ? "1 clé d'accès." : `${count} clés d'accès.`;
      // The cards say it all; the count is for screen readers.
      setLoaded(list, listStatus, announce ? `${announce} ${summary}` : summary, { visible: false });
    } catch (error) {
      setLoaded(list, listStatus, "");
      showError(listError, error, { onRetry: () => load() });
    }
  }

  function validate() {
    const errors = [];
    const value = name.value.trim();
    if (!value) errors.push({ field: name, message: "Donnez un nom à cette clé, par exemple « Mon téléphone »." });
    else if (value.length > NAME_MAX) errors.push({ field: name, message: `Le nom compte ${NAME_MAX} caractères au plus.` });
    if (!usePasskey && !password.value) errors.push({ field: password, message: "Saisissez votre mot de passe pour confirmer que c'est bien vous." });
    return errors;
  }

  async function addOne() {
    const proof = await proofOf(password.value, usePasskey);
    status.textContent = "Votre appareil vous demande de créer la clé d'accès : suivez ses indications…";
    const { options } = await api(`${base}/options`, { method: "POST", body: proof });
    const credential = await createPasskey(options);
    status.textContent = "Enregistrement de la clé d'accès…";
    const body = { name: name.value.trim(), credential };
    return api(base, { method: "POST", body, idempotencyKey: keeper.keyFor(body) });
  }

  function asFormError(error) {
    // The browser's prompt failed: said in the form's box, nothing was sent.
    return error instanceof PasskeyError ? Object.assign(new Error(error.message), { status: 400, code: error.kind }) : error;
  }

  if (!passkeysSupported()) {
    form.hidden = true;
    byId("passkey-unsupported").hidden = false;
  } else {
    withPasskey.addEventListener("click", () => {
      usePasskey = true;
      form.requestSubmit();
    });
    form.addEventListener("submit", () => {
      // The next submit is a plain one (with the password) unless the other button says so.
      setTimeout(() => { usePasskey = false; }, 0);
    });
    formStep({
      form,
      summary: byId("passkey-errors"),
      errorBox,
      button: byId("passkey-add"),
      status,
      busy: "Vérification…",
      validate,
      send: () => addOne().catch((error) => { throw asFormError(error); }),
      done: async (added) => {
        keeper.reset();
        form.reset();
        showNotice(done, `La clé d'accès « ${added.name} » est ajoutée : vous pourrez l'utiliser à votre prochaine connexion. Un e-mail vous le confirme.`, { focus: true });
        await load();
      },
      fieldFor: (field) => ({ name, password })[field] ?? null,
      boxFor: (error, marked) => !marked || error.status !== 400,
    });
  }

  async function remove(passkey) {
    const field = h("input", { type: "password", id: "passkey-remove-password", autocomplete: "current-password", required: true });
    let viaPasskey = false;
    const other = passkeysSupported()
      ? h("button", { type: "button", class: "ea-button ea-button--secondary", "data-testid": "passkey-remove-with-passkey", text: "Confirmer avec une clé d'accès",
        onclick: (event) => { viaPasskey = true; event.target.closest("form").requestSubmit(); } })
      : null;
    const removed = await formDialog({
      title: `Supprimer la clé « ${passkey.name} » ?`,
      intro: ["Elle ne permettra plus de vous connecter. Votre mot de passe reste valable.", "Pour confirmer que c'est bien vous, saisissez votre mot de passe" + (other ? ", ou utilisez une autre de vos clés d'accès." : ".")],
      fields: [h("div", { class: "ea-field" }, h("label", { for: "passkey-remove-password", text: "Votre mot de passe" }), field), other],
      submitLabel: "Supprimer la clé",
      busyLabel: "Suppression…",
      danger: true,
      testId: "passkey-remove-dialog",
      submit: async () => {
        const asPasskey = viaPasskey;
        viaPasskey = false;
        if (!asPasskey && !field.value) {
          throw Object.assign(new Error("Saisissez votre mot de passe."), { field });
        }
        try {
          const proof = await proofOf(field.value, asPasskey);
          await api(`${base}/${encodeURIComponent(passkey.id)}/delete`, { method: "POST", body: proof });
        } catch (error) {
          if (error?.fields?.password) throw Object.assign(new Error(error.message), { field });
          throw error;
        }
        return true;
      },
    });
    if (removed) {
      showNotice(done, `La clé d'accès « ${passkey.name} » est supprimée. Un e-mail vous le confirme.`, { focus: true });
      await load();
    }
  }

  load();
}

// Her profile as read from the API (one copy shared by the sections of the page) and the two
// forms that change it: contact details, contact preferences. Each change sends the version it
// read: if the profile changed meanwhile (another tab, another device), the API refuses (409)
// and the page offers to reload.

import { facts } from "../../../components/facts.js";
import { clearErrorsOnInput, clearFormErrors, showApiError, showFormErrors } from "../../../components/form.js";
import { showError, showNotice } from "../../../components/states.js";
import { api } from "../../../lib/api.js";
import { h } from "../../../lib/dom.js";

const status = document.getElementById("profile-status");
const errorBox = document.getElementById("profile-error");
const listeners = [];
let current = null;

export function onProfile(listener) {
  listeners.push(listener);
}

export function currentProfile() {
  return current;
}

export function setProfile(profile) {
  current = profile;
  for (const listener of listeners) listener(profile);
}

export async function loadProfile() {
  errorBox.replaceChildren();
  status.hidden = false;
  status.textContent = "Chargement de vos informations…";
  view.setAttribute("aria-busy", "true");
  try {
    setProfile(await api("/members/profile"));
    status.textContent = "";
    status.hidden = true;
  } catch (error) {
    status.textContent = "";
    showError(errorBox, error, { onRetry: loadProfile });
  } finally {
    view.setAttribute("aria-busy", "false");
  }
}

function addressBody(address) {
  if (!address) return null;
  const { line1, line2, postcode, city } = address;
  return { line1, line2: line2 || null, postcode, city };
}

/** PUT the whole profile: what she read, with `changes`, and the version she read. */
export async function saveProfile(changes) {
  const body = {
    version: current.version,
    address: addressBody(current.address),
    phone: current.phone,
    preferences: current.preferences,
    ...changes,
  };
  const saved = await api("/members/profile", { method: "PUT", body });
  setProfile(saved);
  return saved;
}

/** A refused change: under the fields, or with « Recharger » when the profile changed. */
function showSaveError({ error, summary, box, fieldFor, onReload }) {
  if (error.status === 409) {
    // Not a failure to retry as it is: she reloads, sees the other change, then decides.
    const reload = async () => {
      onReload?.();
      await loadProfile();
    };
    showError(box, { message: error.message, retryable: true }, { onRetry: reload, retryLabel: "Recharger mes informations" });
    box.querySelector("button")?.focus();
    return;
  }
  const marked = showApiError({ error, summary, fieldFor });
  if (!marked || error.status !== 400) showError(box, error);
}

// ---- contact details ------------------------------------------------------------------------

const view = document.getElementById("details-view");
const edit = document.getElementById("details-edit");
const notice = document.getElementById("details-notice");
const form = document.getElementById("details-form");
const summary = document.getElementById("details-errors");
const formError = document.getElementById("details-error");
const formStatus = document.getElementById("details-status");
const save = document.getElementById("details-save");
const fields = {
  line1: document.getElementById("details-line1"),
  line2: document.getElementById("details-line2"),
  postcode: document.getElementById("details-postcode"),
  city: document.getElementById("details-city"),
  phone: document.getElementById("details-phone"),
};

function addressNode(address) {
  if (!address) return "Non renseignée";
  const lines = [address.line1, address.line2, `${address.postcode} ${address.city}`].filter(Boolean);
  return h("span", {}, lines.flatMap((line, index) => (index ? [h("br"), line] : [line])));
}

function renderDetails(profile) {
  view.replaceChildren(
    facts([
      ["Nom", `${profile.first_name} ${profile.last_name}`],
      ["Numéro d'adhérent", profile.member_number],
      ["Adresse postale", addressNode(profile.address)],
      ["Téléphone", profile.phone || "Non renseigné"],
    ]),
  );
  edit.hidden = false;
}

function openForm() {
  const { address, phone } = current;
  fields.line1.value = address?.line1 ?? "";
  fields.line2.value = address?.line2 ?? "";
  fields.postcode.value = address?.postcode ?? "";
  fields.city.value = address?.city ?? "";
  fields.phone.value = phone ?? "";
  clearFormErrors(form, summary);
  formError.replaceChildren();
  notice.replaceChildren();
  form.hidden = false;
  edit.hidden = true;
  fields.line1.focus();
}

function closeForm() {
  form.hidden = true;
  edit.hidden = false;
}

function validateDetails() {
  const errors = [];
  if (!fields.line1.value.trim()) errors.push({ field: fields.line1, message: "Indiquez le numéro et la voie." });
  if (!/^\s*\d{5}\s*$/.test(fields.postcode.value)) {
    errors.push({ field: fields.postcode, message: "Le code postal compte 5 chiffres, par exemple 69003." });
  }
  if (!fields.city.value.trim()) errors.push({ field: fields.city, message: "Indiquez la commune." });
  const digits = fields.phone.value.replace(/\D/g, "");
  if (fields.phone.value.trim() && digits.length < 10) {
    errors.push({ field: fields.phone, message: "Indiquez un numéro français complet, par exemple 06 12 34 56 78, ou laissez vide." });
  }
  return errors;
}

export function setupDetails() {
  onProfile(renderDetails);
  clearErrorsOnInput(form);
  edit.addEventListener("click", openForm);
  document.getElementById("details-cancel").addEventListener("click", () => {
    closeForm();
    edit.focus();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (save.disabled) return;
    clearFormErrors(form, summary);
    formError.replaceChildren();
    const errors = validateDetails();
    if (errors.length) {
      showFormErrors(summary, errors);
      return;
    }
    save.disabled = true;
    formStatus.textContent = "Enregistrement…";
    try {
      await saveProfile({
        address: {
          line1: fields.line1.value,
          line2: fields.line2.value.trim() || null,
          postcode: fields.postcode.value.trim(),
          city: fields.city.value,
        },
        phone: fields.phone.value.trim() || null,
      });
      closeForm();
      showNotice(notice, "Vos coordonnées sont enregistrées.", { focus: true });
    } catch (error) {
      const byName = { "address.line1": "line1", "address.line2": "line2", "address.postcode": "postcode", "address.city": "city", phone: "phone" };
      showSaveError({
        error,
        summary,
        box: formError,
        fieldFor: (name) => fields[byName[name]] ?? null,
        onReload: () => {
          closeForm();
          edit.focus();
        },
      });
    } finally {
      formStatus.textContent = "";
      save.disabled = false;
    }
  });
}

// ---- contact preferences --------------------------------------------------------------------

const prefsForm = document.getElementById("prefs-form");
const prefsError = document.getElementById("prefs-error");
const prefsSummary = document.getElementById("prefs-errors");
const prefsStatus = document.getElementById("prefs-status");
const prefsSave = document.getElementById("prefs-save");
const TOPICS = ["reimbursements", "news"];
const CHANNELS = ["email", "sms", "post"];
const box = (topic, channel) => document.getElementById(`prefs-${topic}-${channel}`);

function renderPreferences(profile) {
  for (const topic of TOPICS) {
    for (const channel of CHANNELS) box(topic, channel).checked = Boolean(profile.preferences?.[topic]?.[channel]);
  }
  prefsForm.hidden = false;
}

export function setupPreferences() {
  onProfile(renderPreferences);
  prefsForm.addEventListener("change", () => prefsStatus.replaceChildren());
  prefsForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (prefsSave.disabled) return;
    clearFormErrors(prefsForm, prefsSummary);
    prefsError.replaceChildren();
    const preferences = Object.fromEntries(
      TOPICS.map((topic) => [topic, Object.fromEntries(CHANNELS.map((channel) => [channel, box(topic, channel).checked]))]),
    );
    prefsSave.disabled = true;
    prefsStatus.textContent = "Enregistrement…";
    try {
      await saveProfile({ preferences });
      showNotice(prefsStatus, "Vos préférences sont enregistrées.");
    } catch (error) {
      prefsStatus.textContent = "";
      const sms = (name) => (name === "phone" ? document.getElementById(`prefs-${TOPICS.find((t) => box(t, "sms").checked) ?? "reimbursements"}`) : null);
      showSaveError({ error, summary: prefsSummary, box: prefsError, fieldFor: sms });
    } finally {
      prefsSave.disabled = false;
    }
  });
}

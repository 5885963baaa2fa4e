// « Mes services »: find an agency or a partner near a town, a postcode or the member's own
// position; the nearest first, as a numbered list (the complete answer) and on a map. The
// search is written in the page's address, so coming back from a place shows it again.

import { setupCombobox } from "../../../components/combobox.js";
import { clearFormErrors, showFormErrors } from "../../../components/form.js";
import { memberPage } from "../../../components/layout.js";
import { placesMap } from "../../../components/places-map.js";
import { showError } from "../../../components/states.js";
import { api } from "../../../lib/api.js";
import { pagePath } from "../../../lib/config.js";
import { focusAtTop, h } from "../../../lib/dom.js";
import { de, plural } from "../../../lib/formats.js";

const form = document.getElementById("places-form");
const summary = document.getElementById("places-errors");
const kindSelect = document.getElementById("places-kind");
const townInput = document.getElementById("places-town");
const radiusSelect = document.getElementById("places-radius");
const nearMe = document.getElementById("places-near-me");
const searchButton = document.getElementById("places-search");
const formError = document.getElementById("places-form-error");
const status = document.getElementById("places-status");
const results = document.getElementById("places-results");
const resultsTitle = document.getElementById("places-results-title");
const resultsSummary = document.getElementById("places-summary");
const list = document.getElementById("places-list");

const NOUNS = {
  agency: ["agence", "agences"],
  optician: ["opticien", "opticiens"],
  dentist: ["chirurgien-dentiste", "chirurgiens-dentistes"],
  hearing: ["audioprothésiste", "audioprothésistes"],
  osteopath: ["ostéopathe", "ostéopathes"],
  physiotherapist: ["masseur-kinésithérapeute", "masseurs-kinésithérapeutes"],
  pharmacy: ["pharmacie", "pharmacies"],
  laboratory: ["laboratoire d'analyses", "laboratoires d'analyses"],
  imaging: ["centre de radiologie", "centres de radiologie"],
  psychologist: ["psychologue", "psychologues"],
  "": ["lieu", "lieux"],
};

const map = placesMap(document.getElementById("places-map"), {
  note: document.getElementById("places-map-note"),
  onChoose: (index) => {
    const link = list.children[index]?.querySelector("a");
    if (link) {
      link.focus();
      link.scrollIntoView({ block: "nearest" });
    }
  },
});

const town = setupCombobox({
  input: townInput,
  listbox: document.getElementById("places-town-list"),
  status: document.getElementById("places-town-status"),
  search: async (query, signal) => (await api("/services/towns", { query: { q: query }, signal }))?.items ?? [],
  label: (option) => option.label,
  noun: ["commune trouvée", "communes trouvées"],
  none: (query) => `Aucune commune ne commence par « ${query} ». Vérifiez l'orthographe, ou tapez le code postal.`,
});

function criteria() {
  return { kind: kindSelect.value, radius_km: radiusSelect.value };
}

function gainsLine(place) {
  if (place.kind === "agency") {
    return place.status_label ? h("p", { class: `ea-place__status ${place.open_now ? "is-open" : ""}`, text: place.status_label }) : null;
  }
  return place.gains.length ? h("ul", { class: "ea-place__gains", "aria-label": "Vos avantages" }, place.gains.map((gain) => h("li", { text: gain.label }))) : null;
}

function row(place, index) {
  return h(
    "li",
    { class: "ea-place", "data-testid": "place-row", dataset: { kind: place.kind } },
    h("span", { class: "ea-place__number", "aria-hidden": "true", text: String(index + 1) }),
    h(
      "div",
      { class: "ea-place__body" },
      h("p", { class: "ea-place__title" }, h("a", { href: pagePath("espace/services/lieu/", { id: place.id }), text: place.name })),
      h("p", { class: "ea-place__meta" }, h("span", { text: place.kind_label }), " · ", h("strong", { class: "ea-place__distance", text: `à ${place.distance_label}` })),
      h("p", { class: "ea-place__address", text: `${place.street}, ${place.postcode} ${place.town}` }),
      gainsLine(place),
    ),
  );
}

function describe(data) {
  const [one, many] = NOUNS[data.kind ?? ""];
  const where = data.origin.label === "Votre position" ? "de votre position" : de(data.origin.label);
  if (!data.items.length) return data.message;
  const found = data.exhaustive
    ? `${plural(data.total, one, many)} à moins de ${data.radius_km} km ${where}`
    : `Plus de ${plural(data.items.length, one, many)} à moins de ${data.radius_km} km ${where}`;
  const shown = data.items.length < data.total ? ` ; les ${data.items.length} plus proches` : "";
  return `${found}${shown}, du plus proche au plus éloigné.${data.origin.approximate ? " Position approchée de la commune." : ""}`;
}

async function search(query, { remember = true } = {}) {
  formError.replaceChildren();
  status.textContent = "Recherche en cours…";
  searchButton.disabled = true;
  nearMe.disabled = true;
  try {
    const data = await api("/services/places", { query: { ...query, limit: 20 } });
    status.textContent = "";
    results.hidden = false;
    resultsTitle.textContent = data.items.length ? "Résultats" : "Aucun résultat";
    resultsSummary.textContent = describe(data);
    list.replaceChildren(...data.items.map(row));
    if (remember) history.replaceState(null, "", pagePath("espace/services/", query));
    focusAtTop(resultsTitle);
    if (data.items.length) {
      map.show(data.origin, data.items).catch(() => {
        // The map is an extra: the list is the answer.
      });
    } else {
      map.clear();
    }
  } catch (error) {
    status.textContent = "";
    if (error.fields?.town || error.fields?.postcode) {
      showFormErrors(summary, [{ field: townInput, message: error.message }]);
    } else {
      showError(formError, error);
    }
  } finally {
    searchButton.disabled = false;
    nearMe.disabled = false;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearFormErrors(form, summary);
  const typed = townInput.value.trim();
  const chosen = town.value;
  if (!typed) {
    showFormErrors(summary, [{ field: townInput, message: "Indiquez une commune ou un code postal, ou cherchez autour de vous." }]);
    return;
  }
  // A suggestion reads « Lyon (69003) » or « Lyon (69001 à 69009) »: its name and postcode.
  const labelled = typed.match(/^(.*?)\s*\((\d{5})( à \d{5})?\)$/);
  if (chosen && chosen.label === typed) {
    search({ ...criteria(), town: chosen.name, postcode: chosen.postcodes.length === 1 ? chosen.postcode : undefined });
  } else if (labelled) {
    search({ ...criteria(), town: labelled[1], postcode: labelled[3] ? undefined : labelled[2] });
  } else if (/^\d{5}$/.test(typed.replace(/\s/g, ""))) {
    search({ ...criteria(), postcode: typed.replace(/\s/g, "") });
  } else {
    search({ ...criteria(), town: typed });
  }
});

nearMe.addEventListener("click", () => {
  clearFormErrors(form, summary);
  formError.replaceChildren();
  if (!navigator.geolocation) {
    showError(formError, { message: "Votre navigateur ne donne pas votre position : indiquez une commune ou un code postal." });
    return;
  }
  status.textContent = "Recherche de votre position…";
  navigator.geolocation.getCurrentPosition(
    (position) => {
      const { latitude, longitude } = position.coords;
      town.reset();
      search({ ...criteria(), lat: latitude.toFixed(5), lon: longitude.toFixed(5) });
    },
    (failure) => {
      status.textContent = "";
      const message =
        failure.code === failure.PERMISSION_DENIED
          ? "Vous n'avez pas autorisé votre navigateur à donner votre position. Indiquez une commune ou un code postal."
          : "Votre position n'a pas pu être trouvée. Réessayez, ou indiquez une commune ou un code postal.";
      showError(formError, { message });
    },
    { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 },
  );
});
// Disabled in the page until now: without this script the button could do nothing.
nearMe.disabled = false;

await memberPage();

// A search written in the address (coming back from a place): shown again.
const params = new URLSearchParams(location.search);
const restored = Object.fromEntries(["kind", "radius_km", "town", "postcode", "lat", "lon"].filter((name) => params.get(name)).map((name) => [name, params.get(name)]));
if (restored.town || restored.postcode || restored.lat) {
  if (restored.kind) kindSelect.value = restored.kind;
  if (restored.radius_km) radiusSelect.value = restored.radius_km;
  if (restored.town) townInput.value = restored.postcode ? `${restored.town} (${restored.postcode})` : restored.town;
  else if (restored.postcode) townInput.value = restored.postcode;
  search(restored, { remember: false });
}

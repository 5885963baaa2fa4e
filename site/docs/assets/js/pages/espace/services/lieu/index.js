// One agency (address, opening hours in Paris time, open now or not, contact) or one partner
// (address, contact, what members gain there).

import { detailPage } from "../../../../components/detail-page.js";
import { facts } from "../../../../components/facts.js";
import { memberPage } from "../../../../components/layout.js";
import { h } from "../../../../lib/dom.js";

// Back to the search as it was (its address holds the search), when the member came from it.
const back = document.getElementById("place-back");
if (document.referrer) {
  const from = new URL(document.referrer);
  if (from.origin === location.origin && from.pathname === new URL(back.href).pathname) back.href = from.href;
}

function phoneLink(phone) {
  return h("a", { href: `tel:${phone.replace(/\s/g, "")}`, text: phone });
}

function render(place) {
  const nodes = [
    h("h2", { class: "ea-place-detail__name", text: place.name }),
    h("p", { class: "ea-place-detail__kind", text: place.kind_label }),
  ];
  if (place.kind === "agency") {
    nodes.push(h("p", { class: `ea-place__status ${place.open_now ? "is-open" : ""}`, "data-testid": "place-open", text: place.status_label }));
  }
  nodes.push(
    facts([
      ["Adresse", `${place.street}, ${place.postcode} ${place.town}`],
      ["Téléphone", phoneLink(place.phone)],
      ["Courriel", place.email ? h("a", { href: `mailto:${place.email}`, text: place.email }) : null],
    ]),
  );
  if (place.kind === "agency") {
    nodes.push(
      h("h3", { text: "Horaires d'ouverture (heure de Paris)" }),
      h(
        "table",
        { class: "ea-table ea-hours-table" },
        h("caption", { class: "ea-visually-hidden", text: "Horaires d'ouverture de l'agence" }),
        h("tbody", {}, place.hours.map((line) => h("tr", {}, h("th", { scope: "row", text: line.days }), h("td", { text: line.hours })))),
      ),
      place.hours_note ? h("p", { class: "ea-hint", text: place.hours_note }) : null,
    );
  } else {
    nodes.push(
      h("h3", { text: "Vos avantages chez ce partenaire" }),
      h("ul", { class: "ea-gains", "data-testid": "place-gains" }, place.gains.map((gain) => h("li", {}, h("strong", { text: gain.label }), h("span", { text: ` ${gain.detail}` })))),
    );
  }
  return nodes;
}

const page = detailPage({
  mount: "place",
  status: "place-status",
  error: "place-error",
  path: (id) => `/services/places/${encodeURIComponent(id)}`,
  render,
  title: (place) => place.name,
  loading: "Chargement…",
  loaded: "",
  notFound: {
    missingId: "Aucun lieu n'est indiqué : revenez à la recherche.",
    message: "Ce lieu est introuvable : il ne fait peut-être plus partie de nos partenaires. Relancez la recherche.",
  },
});

await memberPage();
page.load();

// The results on a map (Leaflet, npm, loaded only once there are results: it is not part of
// the page's first load). Tiles come from the server /config.json names (`mapTiles`: url and
// attribution); without one, the markers stand on a plain background and the list beside
// stays the complete answer. Each marker carries the number of its line in the list, and
// choosing it moves to that line.

import { loadConfig } from "../lib/config.js";

let leaflet = null;

function loadLeaflet() {
  leaflet ??= import("leaflet").then((module) => module.default ?? module);
  return leaflet;
}

/**
 * Returns {show(origin, items), clear()}; `onChoose(index)` is called when a marker is chosen
 * (click, or Entrée on a focused marker).
 */
export function placesMap(container, { onChoose = () => {}, note = null } = {}) {
  let map = null;
  let layer = null;

  async function ensureMap(L) {
    if (map) return map;
    map = L.map(container, { zoomControl: false, attributionControl: true, scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" }).addTo(map);
    map.attributionControl.setPrefix("Leaflet");
    let tiles = null;
    try {
      tiles = (await loadConfig()).mapTiles ?? null;
    } catch {
      tiles = null;
    }
    if (tiles?.url) {
      const layerOfTiles = L.tileLayer(tiles.url, { attribution: tiles.attribution ?? "", maxZoom: 18, crossOrigin: false }).addTo(map);
      // A tile server out of reach: say so once, as without tiles (the list is the answer).
      layerOfTiles.once("tileerror", () => {
        container.classList.add("ea-map--plain");
        if (note) note.hidden = false;
      });
    } else {
      container.classList.add("ea-map--plain");
      if (note) note.hidden = false;
    }
    layer = L.layerGroup().addTo(map);
    return map;
  }

  async function show(origin, items) {
    const L = await loadLeaflet();
    await ensureMap(L);
    layer.clearLayers();
    const points = [];
    if (origin) {
      L.circleMarker([origin.lat, origin.lon], { radius: 7, weight: 3, color: "#0b57d0", fillColor: "#fff", fillOpacity: 1, interactive: false }).addTo(layer);
      points.push([origin.lat, origin.lon]);
    }
    items.forEach((item, index) => {
      const number = String(index + 1);
      const icon = L.divIcon({ className: "ea-map__marker", html: `<span aria-hidden="true">${number}</span>`, iconSize: [28, 28], iconAnchor: [14, 14] });
      const marker = L.marker([item.lat, item.lon], { icon, title: `${number}. ${item.name}`, alt: `${number}. ${item.name}`, keyboard: true, riseOnHover: true });
      marker.on("click", () => onChoose(index));
      marker.on("keypress", (event) => {
        if (event.originalEvent?.key === "Enter") onChoose(index);
      });
      marker.addTo(layer);
      const element = marker.getElement();
      element?.setAttribute("aria-label", `${number}. ${item.name}, à ${item.distance_label}`);
      points.push([item.lat, item.lon]);
    });
    map.invalidateSize();
    if (points.length > 1) map.fitBounds(points, { padding: [24, 24], maxZoom: 15 });
    else if (points.length) map.setView(points[0], 13);
  }

  return {
    show,
    clear() {
      layer?.clearLayers();
    },
  };
}

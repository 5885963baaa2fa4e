// The results on a map (Leaflet, npm, loaded only once there are results: it is not part of
// the page's first load). Tiles come from the server /config.json names (`mapTiles`: url and
// attribution); without one, the markers stand on a plain background and the list beside
// stays the complete answer. Each marker carries the number of its line in the list, and
// choosing it moves to that line.

import { loadConfig } from "../lib/config.js";

let leaflet = null;
const MARKER = 28; // a marker's diameter in pixels, its border included (CSS)

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
  let shown = []; // the markers of the list, in its order

  /**
   * Places that share a street would hide each other's numbers: at the current zoom, a marker
   * that would cover one already placed is moved beside it, on the first free spot of rings
   * around its own place (the list keeps every exact address).
   */
  function spread() {
    if (!map) return;
    const placed = [];
    const free = (x, y) => placed.every(([px, py]) => Math.hypot(px - x, py - y) >= MARKER + 2);
    for (const marker of shown) {
      const element = marker.getElement();
      if (!element) continue;
      const at = map.latLngToLayerPoint(marker.getLatLng());
      let offset = [0, 0];
      search: for (let ring = 0; ring <= 5; ring += 1) {
        const spots = ring === 0 ? 1 : 6 * ring;
        for (let spot = 0; spot < spots; spot += 1) {
          const angle = (2 * Math.PI * spot) / spots - Math.PI / 2;
          const candidate = [Math.round(Math.cos(angle) * ring * (MARKER + 2)), Math.round(Math.sin(angle) * ring * (MARKER + 2))];
          if (free(at.x + candidate[0], at.y + candidate[1])) {
            offset = candidate;
            break search;
          }
        }
      }
      placed.push([at.x + offset[0], at.y + offset[1]]);
      element.style.marginLeft = `${offset[0] - MARKER / 2}px`;
      element.style.marginTop = `${offset[1] - MARKER / 2}px`;
    }
  }

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
    map.on("zoomend", spread);
    return map;
  }

  async function show(origin, items) {
    const L = await loadLeaflet();
    await ensureMap(L);
    layer.clearLayers();
    shown = [];
    const points = [];
    if (origin) {
      L.circleMarker([origin.lat, origin.lon], { radius: 7, weight: 3, color: "#0b57d0", fillColor: "#fff", fillOpacity: 1, interactive: false }).addTo(layer);
      points.push([origin.lat, origin.lon]);
    }
    items.forEach((item, index) => {
      const number = String(index + 1);
      const icon = L.divIcon({ className: "ea-map__marker", html: `<span aria-hidden="true">${number}</span>`, iconSize: [MARKER, MARKER], iconAnchor: [MARKER / 2, MARKER / 2] });
      const marker = L.marker([item.lat, item.lon], { icon, title: `${number}. ${item.name}`, alt: `${number}. ${item.name}`, keyboard: true, riseOnHover: true });
      marker.on("click", () => onChoose(index));
      marker.on("keypress", (event) => {
        if (event.originalEvent?.key === "Enter") onChoose(index);
      });
      marker.addTo(layer);
      const element = marker.getElement();
      element?.setAttribute("aria-label", `${number}. ${item.name}, à ${item.distance_label}`);
      points.push([item.lat, item.lon]);
      shown.push(marker);
    });
    map.invalidateSize();
    if (points.length > 1) map.fitBounds(points, { padding: [24, 24], maxZoom: 17, animate: false });
    else if (points.length) map.setView(points[0], 13, { animate: false });
    spread();
  }

  return {
    show,
    clear() {
      layer?.clearLayers();
      shown = [];
    },
  };
}

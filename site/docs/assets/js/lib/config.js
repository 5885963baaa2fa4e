// Runtime configuration (/config.json, written at deploy) and build-time context (<meta>
// tags written by the templates from mkdocs.yml).

let configPromise = null;

/** Loads /config.json once: {apiBase, cognitoEndpoint, clientId, region}. */
export function loadConfig() {
  if (!configPromise) {
    configPromise = fetch("/config.json", { cache: "no-cache", credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
        return response.json();
      })
      .then((config) => {
        for (const key of ["apiBase", "cognitoEndpoint", "clientId"]) {
          if (typeof config[key] !== "string" || !config[key]) {
            throw new Error(`config.json: ${key} is missing`);
          }
        }
        return Object.freeze({ ...config, apiBase: config.apiBase.replace(/\/+$/, "") });
      })
      .catch((error) => {
        configPromise = null; // let a later call try again
        throw error;
      });
  }
  return configPromise;
}

function meta(name) {
  return document.querySelector(`meta[name="${name}"]`)?.content ?? "";
}

/** The brand, as configured in mkdocs.yml (extra.brand). */
export const brand = Object.freeze({
  get name() {
    return meta("ea-brand-name");
  },
  get shortName() {
    return meta("ea-brand-short-name");
  },
});

/** Absolute URL of a path of the site, e.g. siteUrl("connexion/"). */
export function siteUrl(path = "") {
  const base = (meta("ea-base") || ".").replace(/\/?$/, "/");
  return new URL(base + path, location.href);
}

/** Same as siteUrl but as a path + query, for links and history. */
export function sitePath(path = "") {
  const url = siteUrl(path);
  return url.pathname + url.search + url.hash;
}

/** Path + query of a page of the site with query parameters, e.g. pagePath("x/", {id: 1}). */
export function pagePath(path, params = {}) {
  const url = siteUrl(path);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, String(value));
  }
  return url.pathname + url.search + url.hash;
}

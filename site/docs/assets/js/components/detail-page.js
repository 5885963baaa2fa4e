// A page showing one object named by `?id=` in its address: loading, not found, error + retry.

import { api } from "../lib/api.js";
import { byId } from "../lib/dom.js";
import { setLoaded, setLoading, showError } from "./states.js";

/**
 * Options:
 * - mount, status, error: ids (or elements) of the mount point, its status line, its alert;
 * - path(id): API path of the object; render(object) -> nodes to put in the mount;
 * - title(object): prefix of the document title;
 * - loading, loaded: status texts; notFound: {missingId, message} shown when there is no id or
 *   no such object (the API answers 404 for another member's objects too).
 * load() resolves with the object shown, or null when it could not be.
 */
export function detailPage(options) {
  const mount = byId(options.mount);
  const status = byId(options.status);
  const errorBox = byId(options.error);
  const id = new URLSearchParams(location.search).get("id");
  const baseTitle = document.title;
  let current = null;

  function show(object) {
    current = object;
    mount.replaceChildren(...[options.render(object, controller)].flat().filter(Boolean));
    if (options.title) document.title = `${options.title(object)} – ${baseTitle}`;
  }

  async function load() {
    errorBox.replaceChildren();
    if (!id) {
      showError(errorBox, { notFound: true, message: options.notFound.missingId });
      return null;
    }
    setLoading(mount, status, options.loading);
    try {
      show(await api(options.path(id)));
      setLoaded(mount, status, options.loaded, { visible: false });
      return current;
    } catch (error) {
      setLoaded(mount, status, "");
      if (error.notFound) showError(errorBox, { notFound: true, message: options.notFound.message });
      else showError(errorBox, error, { onRetry: load });
      return null;
    }
  }

  const controller = {
    id,
    load,
    /** Shows a fresher copy of the object (e.g. the answer of an action on it). */
    show,
    get object() {
      return current;
    },
  };
  return controller;
}

// Material for MkDocs' bootstrap helpers, moved out of an inline <script> so that the
// Content-Security-Policy can forbid inline scripts. Same behaviour as the original.
/* eslint-disable no-var */
(function () {
  var script = document.currentScript;
  var scope = (script && script.dataset.scope) || ".";
  window.__md_scope = new URL(scope, location);
  window.__md_hash = function (value) {
    return [].reduce.call(value, function (hash, char) {
      return (hash << 5) - hash + char.charCodeAt(0);
    }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try {
      storage.setItem(base.pathname + "." + key, JSON.stringify(value));
    } catch (error) {
      // Storage full or disabled: nothing to do.
    }
  };
})();

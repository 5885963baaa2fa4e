// Material for MkDocs' content helper (open the tab named in the URL hash), moved out of an
// inline <script> for the Content-Security-Policy.
(function () {
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) {
    target.checked = target.name.indexOf("__tabbed_") === 0;
  }
})();

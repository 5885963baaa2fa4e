// Public pages on a small screen: Material's navigation drawer, opened by a real button (our
// header override) so that it works with the keyboard and says whether it is open. Material's
// own labels (the darkened page, the drawer title) still toggle the same checkbox.

const toggle = document.getElementById("__drawer");
const button = document.querySelector("[data-ea-drawer]");
const drawer = document.querySelector(".md-sidebar--primary");
// Material shows the drawer below this width (76.25em), the sidebar above it.
const narrow = matchMedia("(max-width: 76.234375em)");

function sync() {
  const open = toggle.checked;
  button.setAttribute("aria-expanded", String(open));
  // A closed drawer is off screen: keep its links out of the tab order.
  drawer.inert = narrow.matches && !open;
}

function setOpen(open) {
  if (toggle.checked === open) return;
  toggle.checked = open;
  toggle.dispatchEvent(new Event("change", { bubbles: true }));
}

if (toggle && button && drawer) {
  drawer.id ||= "ea-menu";
  button.setAttribute("aria-controls", drawer.id);
  button.addEventListener("click", () => {
    setOpen(!toggle.checked);
    if (toggle.checked) drawer.querySelector("a[href]")?.focus();
  });
  toggle.addEventListener("change", sync);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.checked) {
      setOpen(false);
      button.focus();
    }
  });
  narrow.addEventListener("change", sync);
  sync();
}

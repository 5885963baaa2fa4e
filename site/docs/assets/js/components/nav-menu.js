// « Menu » of the phone's bottom bar: a disclosure button that shows the space's whole menu
// as a sheet above the bar. Escape or a tap elsewhere closes it and gives focus back.

export function setupNavMenu() {
  const nav = document.querySelector(".ea-nav--with-menu");
  const button = nav?.querySelector(".ea-nav__more");
  if (!button) return;
  const setOpen = (open, { focusButton = false } = {}) => {
    button.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("ea-nav--open", open);
    if (!open && focusButton) button.focus();
  };
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    setOpen(open);
    if (open) nav.querySelector(".ea-nav__list a")?.focus();
  });
  nav.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && nav.classList.contains("ea-nav--open")) {
      event.preventDefault();
      setOpen(false, { focusButton: true });
    }
  });
  document.addEventListener("click", (event) => {
    if (nav.classList.contains("ea-nav--open") && !nav.contains(event.target)) setOpen(false);
  });
  // Back on a computer-sized window, the list is the left column again.
  window.matchMedia("(min-width: 761px)").addEventListener("change", (event) => {
    if (event.matches) setOpen(false);
  });
}

// Guided tours (driver.js) over the real page, from the tour files (site/tours/<id>.yml, built
// into assets/tours/<id>.json by hooks/tours.py). Loaded only when a tour starts.
//
// What driver.js gives: the highlight, next / back / close, Échap and the arrow keys, a
// popover with role="dialog" named by its title, the focus kept inside it. What we add: the
// steps of the viewport (desktop or phone), a step's preparation (a folded <details> opened, a
// button clicked), « Étape 2 sur 5 », French labels, aria-modal, the step announced in a live
// region, focus on the main button at each step and back where it was at the end.

import { driver } from "driver.js";
import { siteUrl } from "../lib/config.js";
import { frenchSpaces, h } from "../lib/dom.js";

const PHONE = "(max-width: 760px)";
const WAIT_MS = 8000;

const selector = (target) => `[data-tour="${target}"]`;

function visible(element) {
  return Boolean(element && element.getClientRects().length && getComputedStyle(element).visibility !== "hidden");
}

/** The first visible element of a target (a list renders a table or cards, one at a time). */
function find(target) {
  return [...document.querySelectorAll(selector(target))].find(visible) ?? null;
}

function waitFor(target, ms = WAIT_MS) {
  const found = find(target);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => {
    const done = () => {
      observer.disconnect();
      clearTimeout(timer);
      resolve(find(target));
    };
    const observer = new MutationObserver(() => find(target) && done());
    const timer = setTimeout(done, ms);
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["hidden", "open", "class"] });
  });
}

// The disclosure a step opened (the phone's « Menu » sheet): closed again when the tour moves
// to a step that does not need it, or ends (driver.js keeps its clicks from reaching the page,
// so the sheet's own « tap elsewhere » does not see them).
let opened = null;

function closeOpened(unlessTarget) {
  if (!opened || opened.target === unlessTarget) return;
  if (opened.element.getAttribute("aria-expanded") === "true") opened.element.click();
  opened = null;
}

async function prepare(step) {
  const [action, target] = Object.entries(step.before ?? {})[0] ?? [];
  closeOpened(action === "open" ? target : null);
  if (action) {
    const element = await waitFor(target);
    // `open` is idempotent (a step shown again after « Précédent »): a folded <details>, or a
    // disclosure button such as the phone's « Menu » when it is still closed.
    if (action === "open" && element?.tagName === "DETAILS") element.open = true;
    else if (action === "open" && element?.getAttribute("aria-expanded") === "false") {
      element.click();
      opened = { target, element };
    }
    if (action === "click" && element) element.click();
  }
  return waitFor(step.target);
}

// driver.js marks the highlighted element aria-haspopup / aria-expanded / aria-controls, and
// removes them afterwards: wrong on a section or a form (ARIA forbids them there), and it
// would erase the state of a disclosure button such as « Menu ». Each element keeps its own.
const ARIA = ["aria-haspopup", "aria-expanded", "aria-controls"];
const originals = new Map();

function remember(element) {
  if (element && !originals.has(element)) {
    originals.set(element, ARIA.map((name) => element.getAttribute(name)));
  }
}

function restoreAria() {
  for (const [element, values] of originals) {
    ARIA.forEach((name, index) => {
      if (values[index] === null) element.removeAttribute(name);
      else element.setAttribute(name, values[index]);
    });
  }
}

export async function loadTour(id) {
  if (!/^[a-z0-9-]+$/.test(id)) return null;
  const response = await fetch(siteUrl(`assets/tours/${id}.json`), { credentials: "omit" }).catch(() => null);
  return response?.ok ? response.json() : null;
}

function forgetTourParam() {
  const url = new URL(location.href);
  if (!url.searchParams.has("visite")) return;
  url.searchParams.delete("visite");
  history.replaceState(history.state, "", url.pathname + url.search + url.hash);
}

/** Starts tour `id` on this page (its steps for this viewport). Resolves when it is shown. */
export async function startTour(id, { onEnd } = {}) {
  const tour = await loadTour(id);
  forgetTourParam();
  if (!tour) return null;
  const viewport = matchMedia(PHONE).matches ? "phone" : "desktop";
  const steps = tour.steps.filter((step) => step.viewports.includes(viewport));
  const live = h("p", { class: "ea-visually-hidden", role: "status", "aria-live": "polite", "data-tour-live": "" });
  document.body.append(live);
  const returnTo = document.activeElement;
  let moving = false;

  const go = async (index) => {
    if (moving || index < 0 || index >= steps.length) return;
    moving = true;
    try {
      await prepare(steps[index]);
      tourDriver.moveTo(index);
    } finally {
      moving = false;
    }
  };

  const tourDriver = driver({
    steps: steps.map((step) => ({
      element: () => find(step.target),
      popover: { title: frenchSpaces(step.title), description: frenchSpaces(step.text), side: step.side },
      data: { target: step.target },
    })),
    animate: false,
    smoothScroll: false,
    allowClose: true,
    allowKeyboardControl: true,
    overlayClickBehavior: "close",
    stagePadding: 6,
    stageRadius: 8,
    popoverClass: "ea-tour",
    showProgress: true,
    progressText: "Étape {{current}} sur {{total}}",
    nextBtnText: "Suivant",
    prevBtnText: "Précédent",
    doneBtnText: "Terminer",
    onNextClick: () => {
      if (tourDriver.isLastStep()) tourDriver.destroy();
      else go(tourDriver.getActiveIndex() + 1);
    },
    onPrevClick: () => go(tourDriver.getActiveIndex() - 1),
    onHighlightStarted: (element) => remember(element),
    // driver.js ignores the keyboard and its buttons until a step's highlight has ended (one
    // frame after the popover shows): say when, for assistive tooling and tests.
    onHighlighted: () => {
      restoreAria();
      document.querySelector(".driver-popover")?.setAttribute("data-tour-settled", "true");
    },
    onDeselected: () => setTimeout(restoreAria, 0),
    onPopoverRender: (popover, { state }) => {
      const index = state.activeIndex ?? 0;
      const wrapper = popover.wrapper;
      wrapper.setAttribute("aria-modal", "true");
      wrapper.dataset.testid = "tour";
      wrapper.dataset.tourStep = steps[index]?.target ?? "";
      wrapper.dataset.tourSettled = "false";
      popover.closeButton.setAttribute("aria-label", "Fermer la visite guidée");
      popover.closeButton.title = "Fermer la visite guidée";
      popover.previousButton.hidden = index === 0;
      live.textContent = `${tour.title}, étape ${index + 1} sur ${steps.length} : ${steps[index]?.title ?? ""}`;
      // driver.js focuses the first button (the close one): the main one is more useful.
      setTimeout(() => {
        restoreAria();
        popover.nextButton.focus();
      }, 0);
    },
    onDestroyed: () => {
      follow.disconnect();
      closeOpened(null);
      restoreAria();
      originals.clear();
      live.remove();
      if (returnTo && document.contains(returnTo) && typeof returnTo.focus === "function") returnTo.focus();
      onEnd?.();
    },
  });
  // Content that arrives after a step is shown (a list loaded above it) moves its target: the
  // highlight follows it, and it is brought back into the window.
  const follow = new ResizeObserver(() => {
    const element = tourDriver.isActive() ? tourDriver.getActiveElement() : null;
    if (!element || element.id === "driver-dummy-element") return;
    const box = element.getBoundingClientRect();
    const tall = element.offsetHeight > innerHeight;
    const out = tall ? box.top > innerHeight / 2 || box.bottom < innerHeight / 2 : box.top < 0 || box.bottom > innerHeight;
    if (out) element.scrollIntoView({ block: tall ? "start" : "center" });
    tourDriver.refresh();
  });
  follow.observe(document.body);
  await prepare(steps[0]);
  tourDriver.drive(0);
  return tourDriver;
}

/** The welcome offer of a member's first visit, under the page's title (not a modal: the page
 * stays usable): start the tour, or not now. `seen()` marks it offered, whatever the answer,
 * so that it is offered once. */
export function offerWelcome(seen) {
  const close = () => {
    offer.remove();
    document.querySelector(".ea-page__title")?.focus?.();
  };
  const offer = h("section", { class: "ea-notice ea-notice--info ea-welcome", "aria-labelledby": "welcome-title", "data-testid": "welcome" },
    h("h2", { id: "welcome-title", class: "ea-welcome__title", text: "Bienvenue dans votre espace" }),
    h("p", { text: "Une courte visite guidée vous montre où trouver vos remboursements, les démarches et l'aide. Vous pourrez la revoir à tout moment depuis « Contact & aide »." }),
    h("p", { class: "ea-welcome__actions" },
      h("button", { type: "button", class: "ea-button ea-button--primary", text: "Commencer la visite",
        onclick: () => { offer.remove(); startTour("bienvenue"); } }),
      h("button", { type: "button", class: "ea-button ea-button--secondary", text: "Non merci", onclick: close })));
  const title = document.querySelector(".ea-page__title");
  if (!title) return;
  title.after(offer);
  seen();
}

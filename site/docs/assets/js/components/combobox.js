// An accessible combobox (input + listbox) whose options come from a search function: the
// ARIA 1.2 pattern with aria-activedescendant. Keyboard: ↓/↑ move, Entrée chooses, Échap
// closes (or clears), Tab leaves. The one combobox of the site: the town field of « Mes
// services », the care search of the estimate and request forms (components/care-fields.js).

import { h } from "../lib/dom.js";
import { plural } from "../lib/formats.js";

/**
 * Options: input, listbox, status (elements); search(query, signal) -> options; label(option)
 * -> text put in the input; detail(option) -> secondary text or ""; noun [singular, plural] or
 * found(count) -> "3 soins trouvés"; none(query) -> text when nothing matches; minLength (2);
 * tooShort -> text while fewer characters are typed; onChange(option | null).
 */
export function setupCombobox({
  input, listbox, status, search, label, detail = () => "", noun, found = (count) => plural(count, noun[0], noun[1]), none,
  minLength = 2, tooShort = `Tapez au moins ${minLength} caractères pour lancer la recherche.`, delay = 250, onChange = () => {},
}) {
  let options = [];
  let active = -1;
  let chosen = null;
  let timer = null;
  let controller = null;
  const cache = new Map();

  function setExpanded(open) {
    listbox.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) setActive(-1);
  }

  function setActive(index) {
    active = index;
    for (const [position, node] of [...listbox.children].entries()) {
      node.setAttribute("aria-selected", position === index ? "true" : "false");
      node.classList.toggle("is-active", position === index);
    }
    if (index >= 0) {
      const node = listbox.children[index];
      input.setAttribute("aria-activedescendant", node.id);
      node.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(option) {
    chosen = option;
    input.value = label(option);
    setExpanded(false);
    status.textContent = `${label(option)} choisi.`;
    onChange(option);
  }

  function render(items, query) {
    options = items;
    listbox.replaceChildren(
      ...items.map((option, index) =>
        h(
          "li",
          {
            id: `${listbox.id}-${index}`,
            role: "option",
            "aria-selected": "false",
            class: "ea-combobox__option",
            onmousedown: (event) => event.preventDefault(), // keep the focus in the input
            onclick: () => choose(option),
          },
          h("span", { class: "ea-combobox__label", text: label(option) }),
          detail(option) ? h("span", { class: "ea-combobox__category", text: detail(option) }) : null,
        ),
      ),
    );
    setExpanded(items.length > 0);
    status.textContent = items.length
      ? `${found(items.length)}. Utilisez les flèches haut et bas pour choisir, puis Entrée.`
      : none(query);
  }

  async function run(query) {
    if (cache.has(query)) {
      render(cache.get(query), query);
      return;
    }
    controller?.abort();
    controller = new AbortController();
    status.textContent = "Recherche en cours…";
    try {
      const items = await search(query, controller.signal);
      cache.set(query, items);
      if (input.value.trim() === query) render(items, query);
    } catch (error) {
      if (error?.name === "AbortError") return;
      setExpanded(false);
      status.textContent = error.message;
    }
  }

  input.addEventListener("input", () => {
    if (chosen) {
      chosen = null;
      onChange(null);
    }
    clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < minLength) {
      controller?.abort();
      setExpanded(false);
      status.textContent = query.length ? tooShort : "";
      return;
    }
    timer = setTimeout(() => run(query), delay);
  });

  input.addEventListener("keydown", (event) => {
    const open = !listbox.hidden && options.length > 0;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!open && options.length) setExpanded(true);
        if (options.length) setActive((active + 1) % options.length);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (!open && options.length) setExpanded(true);
        if (options.length) setActive(active <= 0 ? options.length - 1 : active - 1);
        break;
      case "Enter":
        if (open && active >= 0) {
          event.preventDefault();
          choose(options[active]);
        }
        break;
      case "Escape":
        if (open) {
          event.preventDefault();
          setExpanded(false);
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          if (chosen) {
            chosen = null;
            onChange(null);
          }
        }
        break;
      case "Tab":
        setExpanded(false);
        break;
      default:
        break;
    }
  });

  input.addEventListener("blur", () => setTimeout(() => setExpanded(false), 150));

  // Typed before this script ran (a slow phone): the input events are lost, so search now.
  const early = input.value.trim();
  if (document.activeElement === input && early.length >= minLength) run(early);

  return {
    get value() {
      return chosen;
    },
    /** Shows a value chosen elsewhere (a search restored from the address). */
    set(option, text = label(option)) {
      chosen = option;
      input.value = text;
    },
    reset() {
      chosen = null;
      input.value = "";
      options = [];
      listbox.replaceChildren();
      setExpanded(false);
      status.textContent = "";
    },
  };
}

// Care search: an accessible combobox (input + listbox) fed by GET /claims/acts?q=.
// Keyboard: ↓/↑ move, Entrée chooses, Échap closes (or clears), Tab leaves.

import { api } from "../lib/api.js";
import { h } from "../lib/dom.js";
import { plural, pluralWord } from "../lib/formats.js";

const MIN_LENGTH = 2;
const DELAY_MS = 250;

/**
 * Wires the combobox markup: <input role="combobox" aria-controls=listbox> + <ul role="listbox">
 * + a status element. `onChange(act | null)` is called when the chosen act changes.
 */
export function setupActCombobox({ input, listbox, status, onChange = () => {} }) {
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

  function choose(act) {
    chosen = act;
    input.value = act.label;
    setExpanded(false);
    status.textContent = `${act.label} choisi.`;
    onChange(act);
  }

  function renderOptions(items, query) {
    options = items;
    listbox.replaceChildren(
      ...items.map((act, index) =>
        h(
          "li",
          {
            id: `${listbox.id}-${index}`,
            role: "option",
            "aria-selected": "false",
            class: "ea-combobox__option",
            onmousedown: (event) => event.preventDefault(), // keep the focus in the input
            onclick: () => choose(act),
          },
          h("span", { class: "ea-combobox__label", text: act.label }),
          act.category_label ? h("span", { class: "ea-combobox__category", text: act.category_label }) : null,
        ),
      ),
    );
    setExpanded(items.length > 0);
    status.textContent = items.length
      ? `${plural(items.length, "soin", "soins")} ${pluralWord(items.length, "trouvé", "trouvés")}. Utilisez les flèches haut et bas pour choisir, puis Entrée.`
      : `Aucun soin ne correspond à « ${query} ». Essayez un autre mot, par exemple « consultation », « lunettes » ou « dentaire ».`;
  }

  async function search(query) {
    if (cache.has(query)) {
      renderOptions(cache.get(query), query);
      return;
    }
    controller?.abort();
    controller = new AbortController();
    status.textContent = "Recherche en cours…";
    try {
      const data = await api("/claims/acts", { query: { q: query }, signal: controller.signal });
      const items = data?.items ?? [];
      cache.set(query, items);
      if (input.value.trim() === query) renderOptions(items, query);
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
    if (query.length < MIN_LENGTH) {
      controller?.abort();
      setExpanded(false);
      status.textContent = query.length ? "Tapez au moins 2 lettres pour lancer la recherche." : "";
      return;
    }
    timer = setTimeout(() => search(query), DELAY_MS);
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

  return {
    get value() {
      return chosen;
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

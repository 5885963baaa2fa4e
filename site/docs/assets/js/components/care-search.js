// Care search: the site's combobox (components/combobox.js) fed by GET /claims/acts?q=.

import { api } from "../lib/api.js";
import { plural, pluralWord } from "../lib/formats.js";
import { setupCombobox } from "./combobox.js";

/**
 * Wires the combobox markup: <input role="combobox" aria-controls=listbox> + <ul role="listbox">
 * + a status element. `onChange(act | null)` is called when the chosen act changes.
 */
export function setupActCombobox({ input, listbox, status, onChange = () => {} }) {
  return setupCombobox({
    input,
    listbox,
    status,
    onChange,
    search: async (q, signal) => (await api("/claims/acts", { query: { q }, signal }))?.items ?? [],
    label: (act) => act.label,
    detail: (act) => act.category_label ?? "",
    found: (count) => `${plural(count, "soin", "soins")} ${pluralWord(count, "trouvé", "trouvés")}`,
    none: (query) => `Aucun soin ne correspond à « ${query} ». Essayez un autre mot, par exemple « consultation », « lunettes » ou « dentaire ».`,
    tooShort: "Tapez au moins 2 lettres pour lancer la recherche.",
  });
}

// The site's one combobox (components/combobox.js), as the town field and the care search use
// it: `node --test site/tests/`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { element, installDom, tick } from "./fake-dom.mjs";

installDom();
const { setupCombobox } = await import("../docs/assets/js/components/combobox.js");

const TOWNS = [{ name: "Lyon 2e", postcode: "69002" }, { name: "Lyon 3e", postcode: "69003" }, { name: "Lyons-la-Forêt", postcode: "27480" }];

function town(extra = {}) {
  installDom();
  const input = element("input", { id: "town" });
  const listbox = element("ul", { id: "town-list", hidden: true });
  const status = element("p", { id: "town-status" });
  const searched = [];
  const changes = [];
  const box = setupCombobox({
    input, listbox, status, delay: 0,
    search: async (query) => {
      searched.push(query);
      return TOWNS.filter((t) => t.name.toLowerCase().startsWith(query.toLowerCase()));
    },
    label: (t) => t.name, detail: (t) => t.postcode, noun: ["commune", "communes"],
    none: (query) => `Aucune commune pour « ${query} ».`,
    onChange: (option) => changes.push(option?.name ?? null),
    ...extra,
  });
  const type = async (text) => {
    input.value = text;
    input.fire("input");
    await tick(5);
  };
  const key = (name) => input.fire("keydown", { key: name });
  return { input, listbox, status, box, searched, changes, type, key };
}

test("typing lists the matches, counts them, and arrows then Entrée choose one", async () => {
  const { input, listbox, status, box, changes, type, key } = town();
  await type("lyon");
  assert.equal(listbox.hidden, false);
  assert.equal(input.getAttribute("aria-expanded"), "true");
  assert.equal(listbox.children.length, 3);
  assert.match(status.textContent, /^3 communes\. Utilisez les flèches/);
  key("ArrowDown");
  key("ArrowDown");
  assert.equal(input.getAttribute("aria-activedescendant"), "town-list-1");
  assert.equal(listbox.children[1].getAttribute("aria-selected"), "true");
  assert.equal(key("Enter").defaultPrevented, true);
  assert.equal(box.value.name, "Lyon 3e");
  assert.equal(input.value, "Lyon 3e");
  assert.equal(listbox.hidden, true);
  assert.deepEqual(changes, ["Lyon 3e"]);
  await type("Lyon 3");
  assert.equal(box.value, null, "typing again forgets the choice");
  assert.deepEqual(changes, ["Lyon 3e", null]);
});

test("too short, nothing found, and a failed search each say so", async () => {
  const { status, searched, type, listbox } = town({ tooShort: "Tapez au moins 2 lettres." });
  await type("l");
  assert.equal(status.textContent, "Tapez au moins 2 lettres.");
  assert.deepEqual(searched, []);
  await type("zz");
  assert.equal(status.textContent, "Aucune commune pour « zz ».");
  assert.equal(listbox.hidden, true);
  const failing = town({ search: async () => { throw new Error("Impossible de joindre le service."); } });
  await failing.type("lyon");
  assert.equal(failing.status.textContent, "Impossible de joindre le service.");
});

test("a search already made is not asked again", async () => {
  const { searched, type } = town();
  await type("lyon");
  await type("lyo");
  await type("lyon");
  assert.deepEqual(searched, ["lyon", "lyo"]);
});

test("the care search's words: « 2 soins trouvés »", async () => {
  const { status, type } = town({ found: (count) => `${count} soins trouvés`, noun: undefined });
  await type("lyon");
  assert.match(status.textContent, /^3 soins trouvés\. /);
});

test("Échap closes the list, then clears the field", async () => {
  const { input, listbox, type, key } = town();
  await type("lyon");
  key("Escape");
  assert.equal(listbox.hidden, true);
  assert.equal(input.value, "lyon");
  key("Escape");
  assert.equal(input.value, "");
});

import assert from "node:assert/strict";
import { test } from "node:test";

import { frenchSpaces } from "../docs/assets/js/lib/dom.js";

test("a non-breaking space keeps « : ; ! ? » and guillemets with their words", () => {
  assert.equal(frenchSpaces("Pour qui ?"), "Pour qui\u00a0?");
  assert.equal(frenchSpaces("« Mon contrat » : ouvrez-le !"), "«\u00a0Mon contrat\u00a0»\u00a0: ouvrez-le\u00a0!");
  assert.equal(frenchSpaces("10:30, https://exemple.fr"), "10:30, https://exemple.fr");
  assert.equal(frenchSpaces(42), "42");
});

// The practitioner as the member described it: « Je ne sais pas » for the OPTAM stays unknown
// (it read « non adhérent » though she never said so).
import assert from "node:assert/strict";
import { test } from "node:test";

import { sectorLabel } from "../docs/assets/js/components/care-fields.js";

test("sector 2 says the OPTAM answer she gave, unknown included", () => {
  assert.match(sectorLabel({ sector: 2, optam: true }), /, adhérent à l'OPTAM$/);
  assert.match(sectorLabel({ sector: 2, optam: false }), /, non adhérent à l'OPTAM$/);
  assert.match(sectorLabel({ sector: 2, optam: null }), /, adhésion à l'OPTAM inconnue$/);
  assert.equal(sectorLabel({ sector: 1, optam: false }), "Secteur 1 (tarifs conventionnés, sans dépassement)");
  assert.equal(sectorLabel(null), "");
});

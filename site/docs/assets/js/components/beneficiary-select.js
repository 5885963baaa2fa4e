// The member's beneficiaries in a <select> (keeping its "all" or "choose" option).

import { h } from "../lib/dom.js";
import { beneficiaryName } from "../lib/me.js";

export function fillBeneficiarySelect(select, me, selected = "") {
  const keep = [...select.querySelectorAll("option[data-static]")];
  select.replaceChildren(
    ...keep,
    ...(me?.beneficiaries ?? []).map((beneficiary) =>
      // Her family's names alone: a relationship beside them would be cut off on a phone.
      h("option", { value: beneficiary.id, text: beneficiaryName(beneficiary) }),
    ),
  );
  if (selected) select.value = selected;
}

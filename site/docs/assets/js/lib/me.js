// The signed-in member (GET /members/me), fetched once per page and shared by every widget.

import { getActing } from "./acting.js";
import { api } from "./api.js";

let mePromise = null;
let ownPromise = null;

/** Her own account (never through a procuration): her name, her file or not, her spaces. */
export function getOwnMe() {
  if (!getActing()) return getMe();
  if (!ownPromise) {
    ownPromise = api("/members/me", { asSelf: true }).catch((error) => {
      ownPromise = null;
      throw error;
    });
  }
  return ownPromise;
}

async function principalMe(acting) {
  const contract = await api("/contract");
  return {
    display_name: acting.principal_name,
    acting: true,
    beneficiaries: (contract?.beneficiaries ?? []).map((beneficiary) => ({
      id: beneficiary.id,
      first_name: beneficiary.name,
      last_name: "",
      birth_date: beneficiary.birth_date,
      rank: beneficiary.rank,
      relationship: beneficiary.relationship,
      relationship_label: beneficiary.relationship_label,
    })),
  };
}

/**
 * The member whose space this is: herself, or the member a trusted person acts for.
 */
export function getMe() {
  if (!mePromise) {
    const acting = getActing();
    // A trusted person never reads the member's profile (/members/*): her beneficiaries come
    // from the contract's overview, which her procuration opens.
    const read = acting ? principalMe(acting) : api("/members/me");
    mePromise = read.catch((error) => {
      mePromise = null; // a later call tries again
      throw error;
    });
  }
  return mePromise;
}

export function beneficiaryName(beneficiary) {
  return [beneficiary?.first_name, beneficiary?.last_name].filter(Boolean).join(" ");
}

/** The full name of one of the member's beneficiaries, or "" when unknown. */
export async function beneficiaryNameById(id) {
  if (!id) return "";
  try {
    return beneficiaryName((await getMe())?.beneficiaries?.find((item) => item.id === id));
  } catch {
    return "";
  }
}

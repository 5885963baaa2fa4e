// The signed-in member (GET /members/me), fetched once per page and shared by every widget.

import { api } from "./api.js";

let mePromise = null;

export function getMe() {
  if (!mePromise) {
    mePromise = api("/members/me").catch((error) => {
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

// The kinds of request and their categories (GET /support/request-kinds), asked once per page.

import { api } from "./api.js";

let kindsPromise = null;

export function requestKinds() {
  if (!kindsPromise) {
    kindsPromise = api("/support/request-kinds").catch((error) => {
      kindsPromise = null;
      throw error;
    });
  }
  return kindsPromise;
}


// One Idempotency-Key per intended creation: the same form content reuses the same key (a
// double click or a retry creates one thing); a changed content gets a new key.

import { newIdempotencyKey } from "./api.js";

export function idempotencyKeeper() {
  let lastBody = null;
  let key = null;
  return {
    keyFor(body) {
      const serialized = JSON.stringify(body);
      if (serialized !== lastBody || !key) {
        lastBody = serialized;
        key = newIdempotencyKey();
      }
      return key;
    },
    reset() {
      lastBody = null;
      key = null;
    },
  };
}

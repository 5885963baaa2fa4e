// Idempotency-Key values: the same form content reuses the same key (a double click or a retry
// creates one thing); a changed content gets a new key.

/** A fresh key for the Idempotency-Key header. */
export function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

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

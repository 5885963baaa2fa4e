// A trop-perçu's status badge, in the badges' existing looks: waiting on her (amber), with
// someone else (blue), settled (green), cancelled (grey).

import { statusBadge } from "./status-badge.js";

const LOOK = { due: "info_needed", contested: "info_needed", paying: "pending", instalments_requested: "pending", paid: "paid", cancelled: "unknown" };

export function overpaymentBadge(op) {
  return statusBadge(LOOK[op.status], op.status_label);
}

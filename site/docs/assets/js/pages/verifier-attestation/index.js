// « Vérifier une attestation » (public, no sign-in): the code typed or carried by the QR code
// (?code=) is checked; the answer says valid, revoked, expired or unknown, with initials and
// dates only.

import { showError } from "../../components/states.js";
import { statusBadge } from "../../components/status-badge.js";
import { publicApi } from "../../lib/http.js";
import { h } from "../../lib/dom.js";
import { dateLongFr } from "../../lib/formats.js";

const form = document.getElementById("check-form");
const input = document.getElementById("check-code");
const status = document.getElementById("check-status");
const result = document.getElementById("check-result");

function answer(check) {
  const kind = check.valid ? "success" : check.status === "revoked" ? "error" : "info";
  return h("div", { class: `ea-notice ea-notice--${kind} ea-check` },
    h("h2", { class: "ea-check__title" }, statusBadge(check.status, check.status_label), " ", `Attestation ${check.code}`),
    h("p", { class: "ea-check__message", text: check.message }),
    h("dl", { class: "ea-card__facts" },
      h("div", {}, h("dt", { text: "Personnes couvertes (initiales)" }), h("dd", { text: check.holders.join(", ") })),
      h("div", {}, h("dt", { text: "Délivrée le" }), h("dd", { text: dateLongFr(check.issued_on) })),
      h("div", {}, h("dt", { text: "Valable jusqu'au" }), h("dd", { text: dateLongFr(check.valid_until) })),
      h("div", {}, h("dt", { text: "Vérifiée le" }), h("dd", { text: dateLongFr(check.checked_on) }))));
}

async function verify(code, { focus = true } = {}) {
  result.replaceChildren();
  status.textContent = "Vérification en cours…";
  try {
    const check = await publicApi(`/public/attestations/${encodeURIComponent(code)}`);
    status.textContent = "";
    result.replaceChildren(answer(check));
  } catch (error) {
    status.textContent = "";
    showError(result, error, { onRetry: () => verify(code) });
  }
  if (focus) result.focus();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const code = input.value.trim();
  if (!/^[A-Za-z0-9 -]{1,64}$/.test(code)) {
    input.setAttribute("aria-invalid", "true");
    result.replaceChildren(h("p", { class: "ea-notice ea-notice--error", text: "Saisissez le code de vérification imprimé sur l'attestation : 20 lettres et chiffres." }));
    input.focus();
    return;
  }
  input.removeAttribute("aria-invalid");
  const url = new URL(location.href);
  url.searchParams.set("code", code);
  history.replaceState(null, "", url);
  verify(code.replace(/\s+/g, ""));
});

const fromQr = new URLSearchParams(location.search).get("code");
if (fromQr) {
  input.value = fromQr;
  verify(fromQr.replace(/\s+/g, ""), { focus: false });
}

// Public check of a tiers payant card (no sign-in): what the QR code of the card opens on a
// health professional's phone. Valid or not, until when, for whom (initials and birth years),
// and nothing else.

import { setLoaded, setLoading, showError } from "../../components/states.js";
import { publicApi } from "../../lib/http.js";
import { h } from "../../lib/dom.js";
import { dateLongFr } from "../../lib/formats.js";

const mount = document.getElementById("check");
const status = document.getElementById("check-status");
const errorBox = document.getElementById("check-error");
const CODE = /^[A-Za-z0-9_-]{16,40}$/;

/** "F. L. (1987)" -> "F. L., naissance en 1987" */
function holderText(holder) {
  const match = /^(.*)\s\((\d{4})\)$/.exec(holder);
  return match ? `${match[1]}, naissance en ${match[2]}` : holder;
}

function render(check) {
  const valid = Boolean(check.valid);
  return h(
    "section",
    { class: `ea-check ea-check--${valid ? "valid" : "invalid"}`, "aria-labelledby": "check-verdict" },
    h("h2", { class: "ea-check__verdict", id: "check-verdict", text: valid ? "Carte valable" : "Carte non valable" }),
    h("p", { text: check.message }),
    h("dl", { class: "ea-facts" },
      h("div", {}, h("dt", { text: "Vérifiée le" }), h("dd", { text: dateLongFr(check.checked_on) })),
      h("div", {}, h("dt", { text: "Période de validité" }),
        h("dd", { text: `du ${dateLongFr(check.valid_from)} au ${dateLongFr(check.valid_to)}` }))),
    valid && check.holders?.length
      ? [h("h3", { text: "Personnes couvertes" }),
         h("ul", { class: "ea-plain-list", "data-testid": "card-check-holders" },
           check.holders.map((holder) => h("li", { text: holderText(holder) })))]
      : null,
  );
}

async function check(code) {
  errorBox.replaceChildren();
  setLoading(mount, status, "Vérification de la carte…");
  try {
    const found = await publicApi(`/public/cards/${encodeURIComponent(code)}`);
    mount.replaceChildren(render(found));
    setLoaded(mount, status, found.valid ? "Carte valable." : "Carte non valable.", { visible: false });
  } catch (error) {
    setLoaded(mount, status, "");
    if (error.notFound) {
      // Said as plainly as an invalid card, in the API's own words (« Cette carte est inconnue… »).
      mount.replaceChildren(h("section", { class: "ea-check ea-check--invalid", "aria-labelledby": "check-verdict" },
        h("h2", { class: "ea-check__verdict", id: "check-verdict", text: "Carte inconnue" }),
        h("p", { text: error.message })));
    } else {
      showError(errorBox, error, { onRetry: () => check(code) });
    }
  }
}

const code = new URLSearchParams(location.search).get("c") ?? "";
if (CODE.test(code)) {
  check(code);
} else {
  showError(errorBox, {
    notFound: true,
    message: "Ce lien de vérification est incomplet : scannez à nouveau le code QR de la carte, ou appelez la ligne tiers payant indiquée sur la carte.",
  });
}

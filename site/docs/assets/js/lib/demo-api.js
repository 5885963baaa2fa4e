// The API of the discovery mode: GETs answered from the demo snapshot (assets/demo/, written at
// site build from the real handlers on the seed, see infra/demo_snapshot.py), estimates from
// the public stateless route, and every other write stopped with what it would have done.
// Loaded by lib/api.js only in discovery mode.

import { siteUrl } from "./config.js";
import { ApiError, publicApi } from "./http.js";

const PAGE = 20;
const files = new Map();

function load(name) {
  if (!files.has(name)) {
    files.set(name, fetch(siteUrl(`assets/demo/${name}`), { credentials: "omit" }).then((response) => {
      if (!response.ok) throw new Error(`demo ${name}: HTTP ${response.status}`);
      return response.json();
    }).catch(() => {
      files.delete(name);
      throw new ApiError({ status: 0, code: "network", message: "La démonstration ne répond pas. Vérifiez votre connexion, puis réessayez." });
    }));
  }
  return files.get(name);
}

const manifest = () => load("manifest.json");

/** What a write would do in the member's own space (the discovery mode stops there). */
const WOULD = [
  [/^\/members\/passkeys/, "votre mot de passe serait vérifié, puis votre appareil créerait la clé d'accès"],
  [/^\/support\/requests\//, "votre demande partirait avec vos justificatifs et vous recevriez aussitôt son numéro pour la suivre"],
  [/^\/support\/uploads/, "le fichier serait envoyé de façon sécurisée puis vérifié avant d'être joint"],
  [/^\/support\/threads\/[^/]+\/messages$/, "votre réponse partirait au conseiller, qui vous répondrait dans votre espace"],
  [/^\/support\/threads$/, "votre message partirait à un conseiller, qui vous répondrait dans votre espace ; un courriel vous préviendrait de sa réponse"],
  [/^\/support\/callbacks\/[^/]+\/cancel$/, "ce rappel serait annulé"],
  [/^\/support\/callbacks$/, "ce créneau serait réservé et un conseiller vous appellerait au numéro indiqué"],
  [/^\/claims\/statements\/exports$/, "votre relevé serait préparé puis téléchargé"],
  [/^\/claims\/estimates\//, "cette estimation serait supprimée"],
  [/^\/contract\/bank-details$/, "après votre mot de passe, vos nouvelles coordonnées bancaires seraient transmises à un conseiller pour vérification, et un courriel vous préviendrait aussitôt"],
  [/^\/contract\/(payments|pay)/, "vous seriez dirigée vers la page de paiement sécurisée par carte bancaire"],
  [/^\/contract\/beneficiaries$/, "votre demande d'ajout de bénéficiaire partirait avec ses justificatifs"],
  [/^\/contract\/portability\/eligibility$/, "vos dates seraient comparées aux règles de la portabilité pour vous dire si vous y avez droit"],
  [/^\/contract\/portability/, "votre déclaration de portabilité partirait à un conseiller"],
  [/^\/contract\/iban-checks$/, "l'IBAN serait vérifié et le nom de sa banque affiché"],
  [/^\/contract\/card\/exports$/, "votre carte serait préparée en PDF et téléchargée"],
  [/^\/support\/requests\/[^/]+\/answer$/, "votre réponse partirait au conseiller avec vos documents"],
  [/^\/documents\/attestations\/[^/]+\/revoke$/, "cette attestation serait révoquée : son code ne serait plus reconnu"],
  [/^\/documents\/attestations$/, "votre attestation serait créée en PDF avec son code de vérification"],
  [/^\/documents\/[^/]+\/link$/, "le document s'ouvrirait ou serait téléchargé"],
  [/^\/support\/teleconsultations\/[^/]+\/cancel$/, "cette téléconsultation serait annulée et le médecin prévenu"],
  [/^\/support\/teleconsultations$/, "un médecin serait réservé et vous recevriez aussitôt l'heure et le lien de la salle d'attente"],
  [/^\/members\/profile$/, "vos nouvelles coordonnées et vos préférences seraient enregistrées"],
  [/^\/members\/email-changes\/confirm$/, "ce code confirmerait votre nouvelle adresse e-mail, qui servirait aussitôt à vous connecter"],
  [/^\/members\/email-changes$/, "un code de confirmation serait envoyé à la nouvelle adresse"],
  [/^\/members\/password$/, "votre mot de passe serait changé et toutes vos sessions fermées : vous vous reconnecteriez avec le nouveau"],
  [/^\/contract\/termination$/, "votre demande de résiliation partirait à la mutuelle et vous recevriez aussitôt son accusé de réception, avec la date à laquelle elle prendrait effet"],
];

function stopped(path) {
  const what = WOULD.find(([pattern]) => pattern.test(path))?.[1] ?? "cette action serait enregistrée";
  return new ApiError({
    status: 403,
    code: "demo",
    message: `Démonstration : dans votre espace, ${what}. Ici, rien n'est envoyé ni conservé.`,
  });
}

function notInDemo() {
  return new ApiError({ status: 404, code: "not_found", message: "Cet élément n'existe pas dans la démonstration." });
}

// ---- lists ------------------------------------------------------------------------------

const COMPARE = {
  ">=": (a, b) => String(a) >= b,
  "<=": (a, b) => String(a) <= b,
  "==": (a, b) => String(a) === b,
  contains: (a, b) => String(a ?? "").toLowerCase().includes(b.trim().toLowerCase()),
};

function listPage(items, filters = {}, query = {}) {
  let chosen = items;
  for (const [param, [field, op]] of Object.entries(filters)) {
    const value = query[param];
    if (value !== undefined && value !== null && value !== "") {
      chosen = chosen.filter((item) => COMPARE[op](item[field], String(value)));
    }
  }
  const start = Number(String(query.cursor ?? "").replace(/^demo:/, "")) || 0;
  const limit = Math.min(Math.max(Number(query.limit) || PAGE, 1), 100);
  const end = start + limit;
  return { items: chosen.slice(start, end), next: end < chosen.length ? `demo:${end}` : null };
}

// ---- the acts search (the engine's rule: each word typed starts a word of the act) -------

function normalize(text) {
  return String(text ?? "")
    .toLowerCase()
    .replace(/œ/g, "oe")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^0-9a-z%]+/g, " ")
    .trim();
}

function searchActs(index, q) {
  const stop = new Set(index.stopwords);
  const tokens = normalize(q).split(" ").filter((t) => t && !stop.has(t))
    .map((t) => (t.length > 3 && /[sx]$/.test(t) ? t.slice(0, -1) : t));
  const scored = [];
  index.acts.forEach((act, position) => {
    const words = act.words.split(" ");
    if (!tokens.every((t) => words.some((w) => w.startsWith(t)))) return;
    const labelWords = act.label_words.split(" ");
    let score = 0;
    if (tokens.length && normalize(q) === normalize(act.code)) score += 100;
    score += 10 * tokens.filter((t) => labelWords.some((w) => w.startsWith(t))).length;
    if (tokens.length && act.label_words.startsWith(tokens[0])) score += 5;
    scored.push([-score, position, act]);
  });
  scored.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return {
    items: scored.slice(0, 30).map(([, , act]) => ({
      id: act.id, code: act.code, label: act.label, category: act.category,
      category_label: act.category_label, needs_sector: act.needs_sector,
    })),
    next: null,
  };
}

// ---- estimates: the public route (the engine, nothing stored) -----------------------------

async function estimate(body) {
  const snapshot = await manifest();
  const me = await load(snapshot.routes["/members/me"].file);
  const beneficiary = me.beneficiaries.find((b) => b.id === body?.beneficiary_id);
  if (!beneficiary) {
    throw new ApiError({ status: 422, code: "unknown_beneficiary", message: "Choisissez un bénéficiaire.", fields: { beneficiary_id: "Choisissez un bénéficiaire." } });
  }
  const { label, ...care } = body;
  let data;
  try {
    data = await publicApi("/public/estimates", {
      method: "POST",
      body: { ...care, formula_id: snapshot.formula_id, birth_date: beneficiary.birth_date },
    });
  } catch (error) {
    if (error?.status !== 429) throw error;
    throw new ApiError({ status: 429, code: "throttled", message: "Beaucoup de visiteurs font une estimation en ce moment. Réessayez dans quelques secondes." });
  }
  return {
    ...data,
    id: "",
    demo: true,
    created_at: new Date().toISOString(),
    beneficiary_id: beneficiary.id,
    beneficiary_name: `${beneficiary.first_name} ${beneficiary.last_name}`,
    practitioner: care.practitioner,
    care_pathway: care.care_pathway,
    label: label ?? null,
    actual: null,
  };
}

/** Answers like the API would, from the snapshot; throws ApiError as lib/http.js does. */
export async function demoApi(path, { method = "GET", query = {}, body } = {}) {
  if (method === "POST" && path === "/claims/estimates") return estimate(body);
  // Files are not in the snapshot: their download stops like a write.
  if (method !== "GET" || /\/link$/.test(path)) throw stopped(path);
  const { routes } = await manifest();
  const route = routes[path];
  if (!route) throw notInDemo();
  if (route.acts) return searchActs(await load(route.file), query?.q);
  if (route.variants) {
    const key = Object.entries(query ?? {})
      .filter(([name, value]) => value !== undefined && value !== null && value !== "" && name !== "limit" && name !== "cursor")
      .map(([name, value]) => `${name}=${value}`).sort().join("&");
    const file = route.variants[key] ?? (key ? null : Object.values(route.variants)[0]);
    if (!file) throw notInDemo();
    return load(file);
  }
  const data = await load(route.file);
  return route.list ? listPage(data, route.filters, query ?? {}) : data;
}

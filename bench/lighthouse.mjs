// Lighthouse (mobile profile, simulated throttling) over the public pages, then, signed in as
// the demo member through the real sign-in page, over the member pages, then, signed in as the
// demo advisor (password and authenticator code), over the advisors' workspace: one user flow in
// Debian's Chromium (puppeteer-core, no downloaded browser), storage kept between steps since
// the session lives in sessionStorage.
//
//   node bench/lighthouse.mjs BASE_URL [OUT.json]
//   LIGHTHOUSE_PAGES=/espace/infos/,/conseiller/ node bench/lighthouse.mjs ...  (these pages only)
//
// Prints one JSON line per page (and writes them all to OUT.json): its scores and, for each
// category under 100, the audits that cost points. bench/site_bench.py starts the stack,
// runs this and prints the table.

import { createHmac } from "node:crypto";
import { writeFileSync } from "node:fs";
import { startFlow } from "lighthouse";
import puppeteer from "puppeteer-core";

const [base, out] = process.argv.slice(2);
if (!base) {
  console.error("usage: node bench/lighthouse.mjs BASE_URL [OUT.json]");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const EMAIL = "fatima.l@example.fr";
const PASSWORD = "Demo-Adherent-2026!";
// The demo advisor (infra/local/seed_requests.py) and her second factor (infra/local/cognito.py).
const ADVISOR_EMAIL = "conseiller@example.fr";
const ADVISOR_PASSWORD = "Demo-Conseiller-2026!";
const ADVISOR_TOTP_SECRET = process.env.ADVISOR_TOTP_SECRET || "EADEMOCONSEILLERTOTPSECRETJVWGMT";
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
// Every page a visitor opens, then every page of a member's menu.
const PUBLIC = [
  ["Accueil", "/"], ["Connexion", "/connexion/"], ["Tutoriel", "/tutoriel/"],
  ["Garanties", "/garanties/"], ["Aide", "/aide/"],
];
// LIGHTHOUSE_PAGES="/espace/infos/,/espace/contrat/carte/" measures only these steps.
const ONLY = (process.env.LIGHTHOUSE_PAGES || "").split(",").filter(Boolean);
const wanted = (path) => !ONLY.length || ONLY.includes(path);
const MEMBER = [
  ["Remboursements", "/espace/remboursements/"],
  ["Décompte", null], // the first reimbursement of the list, once signed in
  ["Estimation", "/espace/estimation/"],
  ["Estimations", "/espace/estimations/"],
  ["Demande de remboursement", "/espace/demande-remboursement/"],
  ["Relevés", "/espace/releves/"],
  ["Contrat", "/espace/contrat/"],
  ["Carte", "/espace/contrat/carte/"],
  ["Documents", "/espace/documents/"],
  ["Demandes", "/espace/demandes/"],
  ["Contact", "/espace/contact/"],
  ["Services", "/espace/services/"],
  ["Infos", "/espace/infos/"],
];

// The advisors' workspace, signed in with her password and her authenticator's code.
const ADVISOR = [
  ["Conseiller : demandes", "/conseiller/"],
  ["Conseiller : messages", "/conseiller/messages/"],
  ["Conseiller : rappels", "/conseiller/rappels/"],
];

/** The authenticator's current 6-digit code (RFC 6238: SHA-1, 30 s) for a base32 secret. */
function totp(secret, now = Date.now()) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const char of secret.replace(/=+$/, "").toUpperCase()) {
    bits += alphabet.indexOf(char).toString(2).padStart(5, "0");
  }
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 30_000)));
  const digest = createHmac("sha1", key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0xf;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** Signs in through the real sign-in page; lands where the site sends her. */
async function signIn(page, base, email, password, code = null) {
  await page.goto(base + "/connexion/", { waitUntil: "networkidle0" });
  await page.locator("#login-email").fill(email);
  await page.locator("#login-password").fill(password);
  if (code) {
    await page.locator("#login-submit").click();
    await page.locator("#login-code").fill(code());
    await Promise.all([
      page.waitForNavigation({ waitUntil: "networkidle0" }),
      page.locator("#login-code-submit").click(),
    ]);
  } else {
    await Promise.all([
      page.waitForNavigation({ waitUntil: "networkidle0" }),
      page.locator("#login-submit").click(), // enabled once the page's script holds the form
    ]);
  }
  return new URL(page.url()).pathname;
}

/** What a page lost points on: audits under full score that weigh in a category. */
function losses(lhr) {
  const found = {};
  for (const id of CATEGORIES) {
    const category = lhr.categories[id];
    if (!category || category.score === 1) continue;
    found[id] = category.auditRefs
      .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id].score ?? 1) < 1)
      .map((ref) => {
        const audit = lhr.audits[ref.id];
        const why = ref.id === "errors-in-console"
          ? [...new Set((audit.details?.items ?? []).map((item) => item.description))].join(" | ")
          : audit.displayValue;
        return `${ref.id} (${Math.round(audit.score * 100)}${why ? `: ${why}` : ""})`;
      });
  }
  return found;
}

function summary(name, lhr) {
  const score = (id) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  const metric = (id) => lhr.audits[id]?.numericValue;
  return {
    name,
    url: new URL(lhr.finalDisplayedUrl).pathname + new URL(lhr.finalDisplayedUrl).search,
    performance: score("performance"),
    accessibility: score("accessibility"),
    bestPractices: score("best-practices"),
    seo: score("seo"),
    fcp: metric("first-contentful-paint"),
    lcp: metric("largest-contentful-paint"),
    tbt: metric("total-blocking-time"),
    cls: metric("cumulative-layout-shift"),
    errors: lhr.runtimeError ? [lhr.runtimeError.message] : [],
    warnings: lhr.runWarnings,
    losses: losses(lhr),
  };
}

const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const results = [];
try {
  const page = await browser.newPage();
  // Warm the browser and the server up, then empty the HTTP cache: the first page measured
  // pays for a first visit, not for starting Chromium.
  await page.goto(base + "/", { waitUntil: "networkidle0" });
  const cdp = await page.createCDPSession();
  await cdp.send("Network.clearBrowserCache");
  await cdp.detach();
  await page.goto("about:blank");
  const flow = await startFlow(page, {
    name: "Espace adhérent",
    flags: { onlyCategories: CATEGORIES, disableStorageReset: true, formFactor: "mobile" },
  });
  const steps = [];
  const step = async (name, path) => {
    await flow.navigate(base + path, { name });
    steps.push(name);
  };
  for (const [name, path] of PUBLIC) if (wanted(path)) await step(name, path);

  // Sign in through the real page, as a member would.
  const landing = await signIn(page, base, EMAIL, PASSWORD);
  if (!landing.startsWith("/espace/")) {
    throw new Error(`sign-in did not land in the member space: ${landing}`);
  }
  const claim = await page.waitForSelector('a[href*="decompte/?id="]', { timeout: 20_000 })
    .then((link) => link.evaluate((a) => new URL(a.href).search));

  for (const [name, path] of MEMBER) {
    if (wanted(path ?? "/espace/remboursements/decompte/")) {
      await step(name, path ?? `/espace/remboursements/decompte/${claim}`);
    }
  }
  if (ADVISOR.some(([, path]) => wanted(path))) {
    // The member's session ends (as a sign-out would), then the advisor signs in.
    await page.evaluate(() => sessionStorage.clear());
    const desk = await signIn(page, base, ADVISOR_EMAIL, ADVISOR_PASSWORD, () => totp(ADVISOR_TOTP_SECRET));
    if (!desk.startsWith("/conseiller/")) {
      throw new Error(`the advisor's sign-in did not land in her workspace: ${desk}`);
    }
    for (const [name, path] of ADVISOR) if (wanted(path)) await step(name, path);
  }
  const flowResult = await flow.createFlowResult();
  if (process.env.LIGHTHOUSE_REPORT) {
    writeFileSync(process.env.LIGHTHOUSE_REPORT, await flow.generateReport());
    writeFileSync(`${process.env.LIGHTHOUSE_REPORT}.json`, JSON.stringify(flowResult));
  }
  flowResult.steps.forEach((s, i) => {
    const line = summary(steps[i], s.lhr);
    results.push(line);
    console.log(JSON.stringify(line));
  });
} finally {
  await browser.close();
}
if (out) writeFileSync(out, JSON.stringify(results, null, 2));

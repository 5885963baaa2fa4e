// French formats: money in cents, dates, plurals, file sizes, euro amounts typed by members.

// Each formatter is built on its first use: building all eight when a page's script started
// was its longest piece of work at load (20–25 ms on every member page, four times that on
// Lighthouse's slowed-down mobile), most of them for nothing on that page.
/** A formatter built on its first call: `const f = lazy(() => new Intl...); f().format(x)`. */
export function lazy(make) {
  let made = null;
  return () => (made ??= make());
}

const money = lazy(() => new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" }));
const shortDate = lazy(() => new Intl.DateTimeFormat("fr-FR"));
const longDate = lazy(() => new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric" }));
// Timestamps are shown as the insurer's clock reads them, whatever the device's time zone.
const dateTime = lazy(() => new Intl.DateTimeFormat("fr-FR", {
  dateStyle: "long",
  timeStyle: "short",
  timeZone: "Europe/Paris",
}));
const percent = lazy(() => new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 0 }));
const number = lazy(() => new Intl.NumberFormat("fr-FR"));
const pluralRules = lazy(() => new Intl.PluralRules("fr-FR"));

/** 1234 -> "12,34 €" */
export function euros(cents) {
  return money().format((Number(cents) || 0) / 100);
}

/** "2026-10-12" -> Date at local midnight (no time-zone shift), or null. */
export function parseIsoDate(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso ?? ""));
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "2026-10-12" -> "12/10/2026" */
export function dateFr(iso) {
  const date = parseIsoDate(iso);
  return date ? shortDate().format(date) : "";
}

/** "2026-10-12" -> "12 octobre 2026" */
export function dateLongFr(iso) {
  const date = parseIsoDate(iso);
  return date ? longDate().format(date) : "";
}

/** "2026-10-12T14:05:00+02:00" -> "12 octobre 2026 à 14:05" (Paris time); "" if not a timestamp. */
export function dateTimeFr(iso) {
  if (typeof iso !== "string" || !iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : dateTime().format(date);
}

/**
 * The word that agrees with `count`: 0 and 1 take the singular in French.
 * pluralWord(2, "affiché", "affichés") -> "affichés"
 */
export function pluralWord(count, one, many) {
  return pluralRules().select(Math.abs(Number(count) || 0)) === "one" ? one : many;
}

/** plural(3, "remboursement", "remboursements") -> "3 remboursements"; 0 -> "0 remboursement" */
export function plural(count, one, many) {
  return `${number().format(Number(count) || 0)} ${pluralWord(count, one, many)}`;
}

/**
 * de("octobre 2026") -> "d'octobre 2026", de("Inès") -> "d'Inès", de("Karim") -> "de Karim":
 * elision before a vowel or a mute h, and before a y that sounds as one (« d'Yves », « de Yasmine »).
 */
export function de(words) {
  return /^(h?[aeiouàâäéèêëîïôöùûüœæ]|y[^aeiouàâäéèêëîïôöùûü])/i.test(String(words)) ? `d'${words}` : `de ${words}`;
}

/** 0.25 -> "25 %" */
export function percentFr(ratio) {
  return percent().format(Number(ratio) || 0);
}

const parisIsoDay = lazy(() => new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "Europe/Paris" }));

/**
 * Today's date as YYYY-MM-DD in Paris, the product's day (a member abroad, or a computer set to
 * UTC, is still on the same day as her mutuelle: at 00:10 on 1 January in Paris it is 1 January).
 */
export function todayIso(now = new Date()) {
  return parisIsoDay().format(now);
}

/** The year of todayIso(), as a number. */
export function thisYear(now = new Date()) {
  return Number(todayIso(now).slice(0, 4));
}

/** addDaysIso("2027-03-27", 2) -> "2027-03-29": calendar days, whatever the clocks do. */
export function addDaysIso(iso, days) {
  const [year, month, day] = iso.split("-").map(Number);
  const moved = new Date(Date.UTC(year, month - 1, day + days));
  return moved.toISOString().slice(0, 10);
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value) {
  const date = parseIsoDate(value);
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [year, month, day] = value.split("-").map(Number);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day;
}

/**
 * Reads an amount in euros as typed by a member ("45,50", "45.5", "1 234,00 €") and returns
 * integer cents, or null when it is not a valid amount. Never goes through floating point.
 */
export function parseEurosToCents(text) {
  const cleaned = String(text ?? "")
    .replace(/[\s\u00a0\u202f]/g, "")
    .replace(/(€|eur|euros?)$/i, "");
  const match = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** 1536000 -> "1,5 Mo" */
export function fileSize(bytes) {
  const units = ["octets", "Ko", "Mo", "Go"];
  let value = Number(bytes) || 0;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return plural(value, "octet", "octets");
  return `${new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 }).format(value)} ${units[unit]}`;
}

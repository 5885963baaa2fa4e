// Time slots, chosen and shown the same way on every page that books one: the member's
// call-back (among the slots advisors opened), a teleconsultation (a quarter hour of the next
// days), and the advisors' own call-back slots, listed day by day. Days and hours are Paris
// time, whatever the device's time zone.

import { h } from "../lib/dom.js";
import { addDaysIso, lazy, todayIso } from "../lib/formats.js";

const PARIS = "Europe/Paris";
const DAY = lazy(() => new Intl.DateTimeFormat("fr-FR", { weekday: "long", day: "numeric", month: "long", timeZone: PARIS }));
const HOUR = lazy(() => new Intl.DateTimeFormat("fr-FR", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: PARIS }));
const START = lazy(() => new Intl.DateTimeFormat("fr-FR", { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit", timeZone: PARIS }));

/** "lundi 7 décembre" (the day in Paris of an ISO timestamp). */
export const dayLabel = (iso) => DAY().format(new Date(iso));

export const capitalized = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/** "10:00 – 10:30" */
export const spanText = (startsAt, endsAt) => `${HOUR().format(new Date(startsAt))} – ${HOUR().format(new Date(endsAt))}`;

/** "Lundi 7 décembre à 10:00": when a booked slot starts. */
export const startText = (iso) => capitalized(START().format(new Date(iso)));

/** "lundi 7 décembre, 10:00 – 10:30" */
export const slotText = (slot) => `${dayLabel(slot.starts_at)}, ${spanText(slot.starts_at, slot.ends_at)}`;

/** The slots by Paris day, in their order: [["lundi 7 décembre", [slot, …]], …]. */
export function byDay(slots) {
  const days = new Map();
  for (const slot of slots) {
    const label = dayLabel(slot.starts_at);
    if (!days.has(label)) days.set(label, []);
    days.get(label).push(slot);
  }
  return [...days];
}

/** A <select> of the given slots, one group a day, after its `[data-static]` first option. */
export function fillSlotSelect(select, slots) {
  select.replaceChildren(
    ...[select.querySelector("[data-static]")].filter(Boolean),
    ...byDay(slots).map(([label, items]) =>
      h("optgroup", { label: capitalized(label) },
        items.map((slot) => h("option", { value: slot.id, text: `${label}, ${spanText(slot.starts_at, slot.ends_at)}` })))),
  );
}

/** The quarter hours ("09:15") of `day` (YYYY-MM-DD), from `leadMinutes` after `now` when it is today. */
export function quarterHours(day, now = new Date(), { step = 15, leadMinutes = 30 } = {}) {
  const today = todayIso(now);
  const earliest = HOUR().format(new Date(now.getTime() + leadMinutes * 60000));
  const times = [];
  for (let minutes = 0; minutes < 24 * 60; minutes += step) {
    const text = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
    if (day > today || (day === today && text >= earliest)) times.push(text);
  }
  return times;
}

/**
 * A day (date input, from today to `days` later) and a time of that day (select of quarter
 * hours). `open()` sets today when no day is chosen yet; `value()` is "YYYY-MM-DDTHH:MM:00"
 * in Paris time, or "" until both are chosen.
 */
export function setupDayTimePicker({ dayInput, timeSelect, days = 14, now = () => new Date() }) {
  function fillTimes() {
    const keep = timeSelect.value;
    const times = quarterHours(dayInput.value, now());
    timeSelect.replaceChildren(
      h("option", { value: "", text: "Choisissez une heure" }),
      ...times.map((text) => h("option", { value: text, text: text.replace(":", " h ") })),
    );
    if (times.includes(keep)) timeSelect.value = keep;
  }
  dayInput.addEventListener("change", fillTimes);
  return {
    open() {
      if (dayInput.value) return;
      dayInput.min = todayIso(now());
      dayInput.max = addDaysIso(dayInput.min, days);
      dayInput.value = dayInput.min;
      fillTimes();
    },
    value: () => (dayInput.value && timeSelect.value ? `${dayInput.value}T${timeSelect.value}:00` : ""),
  };
}

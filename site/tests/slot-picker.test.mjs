// Time slots (components/slot-picker.js), as the call-backs, the advisors' slots and the
// teleconsultation show and choose them: `node --test site/tests/`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { element, installDom } from "./fake-dom.mjs";

installDom();
const { byDay, fillSlotSelect, quarterHours, setupDayTimePicker, slotText, spanText, startText } =
  await import("../docs/assets/js/components/slot-picker.js");

test("days and hours are Paris time, whatever the device's zone", () => {
  // 23:30 UTC on 7 December is already 8 December, 00:30, in Paris.
  assert.equal(slotText({ starts_at: "2026-12-07T23:30:00Z", ends_at: "2026-12-08T00:00:00Z" }), "mardi 8 décembre, 00:30 – 01:00");
  assert.equal(spanText("2026-07-01T08:00:00Z", "2026-07-01T08:30:00Z"), "10:00 – 10:30");
  assert.equal(startText("2026-12-07T09:15:00+01:00"), "Lundi 7 décembre à 09:15");
});

test("slots are grouped by day, in their order", () => {
  const slots = [
    { id: "a", starts_at: "2026-12-07T09:00:00+01:00", ends_at: "2026-12-07T09:30:00+01:00" },
    { id: "b", starts_at: "2026-12-07T14:00:00+01:00", ends_at: "2026-12-07T14:30:00+01:00" },
    { id: "c", starts_at: "2026-12-08T09:00:00+01:00", ends_at: "2026-12-08T09:30:00+01:00" },
  ];
  assert.deepEqual(byDay(slots).map(([day, items]) => [day, items.map((s) => s.id)]), [["lundi 7 décembre", ["a", "b"]], ["mardi 8 décembre", ["c"]]]);
  installDom();
  const select = element("select", { id: "slot" });
  element("option", { value: "", "data-static": "" }, select).textContent = "Choisissez un créneau";
  fillSlotSelect(select, slots);
  assert.equal(select.children[0].textContent, "Choisissez un créneau", "the first option stays");
  const groups = select.children.slice(1);
  assert.deepEqual(groups.map((g) => g.getAttribute("label")), ["Lundi 7 décembre", "Mardi 8 décembre"]);
  assert.deepEqual(groups[0].children.map((o) => [o.getAttribute("value"), o.textContent]),
    [["a", "lundi 7 décembre, 09:00 – 09:30"], ["b", "lundi 7 décembre, 14:00 – 14:30"]]);
});

test("today's quarter hours start half an hour from now; later days start at midnight", () => {
  const now = new Date("2026-12-07T09:05:00+01:00");
  const today = quarterHours("2026-12-07", now);
  assert.equal(today[0], "09:45");
  assert.equal(today.at(-1), "23:45");
  const tomorrow = quarterHours("2026-12-08", now);
  assert.equal(tomorrow.length, 96);
  assert.equal(tomorrow[0], "00:00");
  assert.deepEqual(quarterHours("2026-12-06", now), [], "no hour of a day gone");
});

test("the day-and-time picker opens on today, within the next 14 days, and gives the chosen start", () => {
  installDom();
  const dayInput = element("input", { id: "day" });
  const timeSelect = element("select", { id: "time" });
  const picker = setupDayTimePicker({ dayInput, timeSelect, now: () => new Date("2026-12-07T22:50:00+01:00") });
  assert.equal(picker.value(), "");
  picker.open();
  assert.equal(dayInput.min, "2026-12-07");
  assert.equal(dayInput.max, "2026-12-21");
  assert.equal(dayInput.value, "2026-12-07");
  assert.deepEqual(timeSelect.children.map((o) => o.textContent), ["Choisissez une heure", "23 h 30", "23 h 45"]);
  timeSelect.value = "23:30";
  assert.equal(picker.value(), "2026-12-07T23:30:00");
  dayInput.value = "2026-12-08";
  dayInput.fire("change");
  assert.equal(timeSelect.children.length, 97);
});

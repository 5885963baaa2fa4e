// Which devices get the camera scan, without a browser: `node --test site/tests/`.
import assert from "node:assert/strict";
import { test } from "node:test";

import { isPhone } from "../docs/assets/js/lib/phone.js";

const device = (coarse, width, height) => ({
  matchMedia: (query) => ({ matches: query === "(pointer: coarse)" && coarse }),
  screen: { width, height },
});

test("a phone gets the camera, held upright or sideways", () => {
  assert.equal(isPhone(device(true, 375, 812)), true);
  assert.equal(isPhone(device(true, 812, 375)), true);
  assert.equal(isPhone(device(true, 320, 568)), true);
});

test("a tablet, a computer and a touch laptop keep the file picker", () => {
  assert.equal(isPhone(device(true, 768, 1024)), false); // tablet
  assert.equal(isPhone(device(false, 1280, 800)), false); // computer
  assert.equal(isPhone(device(false, 1366, 768)), false); // laptop, touch screen, trackpad first
  assert.equal(isPhone(device(false, 375, 812)), false); // a narrow window with a mouse
  assert.equal(isPhone({}), false); // no media queries at all
});

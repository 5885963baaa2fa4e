// Which devices get the camera scan (components/camera-scan.js, which alone imports this).

const PHONE_SHORT_SIDE = 600; // CSS pixels: phones are 320 to 480 wide, tablets 744 and more

/**
 * A phone: its primary pointer is coarse (a finger, not a mouse or a trackpad) and the short
 * side of its screen is phone-sized, whichever way it is held. A tablet, a computer and a
 * laptop with a touch screen are not.
 */
export function isPhone(win = globalThis) {
  return Boolean(win.matchMedia?.("(pointer: coarse)")?.matches)
    && Math.min(win.screen?.width ?? Infinity, win.screen?.height ?? Infinity) <= PHONE_SHORT_SIDE;
}

// A message carried to the next page of the tab (e.g. « estimation supprimée » after leaving
// the deleted estimate's page), read once.

const KEY = "ea.flash";

export function setFlash(text) {
  try {
    sessionStorage.setItem(KEY, text);
  } catch {
    // Storage disabled: the next page simply shows no message.
  }
}

export function takeFlash() {
  try {
    const text = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    return text ?? "";
  } catch {
    return "";
  }
}

// Discovery mode (« Découvrir sans compte »): the member pages run on the demo member's
// snapshot, served by lib/demo-api.js; nothing the visitor does leaves the browser. The only
// thing kept is this tab's flag, in sessionStorage: gone when the tab closes.

const KEY = "ea.demo";

export function isDemo() {
  try {
    return sessionStorage.getItem(KEY) === "1";
  } catch {
    return false;
  }
}

/** `?demo=1` on a member page starts discovery for this tab (the parameter is then removed). */
export function demoFromUrl() {
  const url = new URL(location.href);
  if (url.searchParams.get("demo") !== "1") return isDemo();
  url.searchParams.delete("demo");
  history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  try {
    sessionStorage.setItem(KEY, "1");
    return true;
  } catch {
    return false;
  }
}

export function leaveDemo() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing was stored.
  }
}

// Session: Cognito sign-in with a plain fetch (no SDK), token refresh, sign-out, the caller's
// role and the guard of the member and advisor spaces. Tokens live in sessionStorage only (gone
// when the tab closes).

import { forgetSpaces } from "./acting.js";
import { loadConfig, siteUrl, sitePath } from "./config.js";
import { send } from "./http.js";
import { forgetCard } from "./offline-card.js";

const STORAGE_KEY = "ea.session";
const REFRESH_MARGIN_MS = 60_000;
const SIGN_OUT_TIMEOUT_MS = 4_000;
/** Where each role lands after sign-in; each space's pages live under its landing path's root. */
export const HOME = Object.freeze({ member: "espace/remboursements/", advisor: "conseiller/" });
export const LANDING_PATH = HOME.member;
const ADVISOR_AREA = "conseiller/";

/** French messages for each kind of sign-in failure. */
export const LOGIN_MESSAGES = Object.freeze({
  invalid: "Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie et réessayez.",
  unavailable:
    "Le service de connexion est momentanément indisponible. Réessayez dans quelques minutes.",
  throttled:
    "Trop de tentatives de connexion en peu de temps. Patientez quelques minutes avant de réessayer.",
  reset:
    "Pour votre sécurité, votre mot de passe doit être renouvelé avant de vous connecter : " +
    "choisissez-en un nouveau avec « Mot de passe oublié ? ».",
  unconfirmed:
    "Votre compte n'est pas encore activé. Suivez le lien d'activation reçu par e-mail, puis réessayez.",
  newPassword:
    "Vous devez choisir un nouveau mot de passe pour votre première connexion. " +
    "Cette étape n'est pas encore possible ici : contactez votre mutuelle pour finaliser l'accès à votre compte.",
  challenge:
    "Votre compte demande une vérification supplémentaire qui n'est pas encore possible ici. " +
    "Contactez votre mutuelle pour accéder à votre espace.",
  badCode:
    "Ce code n'est pas le bon ou a expiré : saisissez le code à 6 chiffres que votre application " +
    "affiche maintenant.",
  expiredStep: "Cette étape de connexion a expiré : saisissez à nouveau votre mot de passe.",
});

export class LoginError extends Error {
  constructor(kind, cognitoType = "") {
    super(LOGIN_MESSAGES[kind] ?? LOGIN_MESSAGES.unavailable);
    this.name = "LoginError";
    this.kind = kind;
    this.cognitoType = cognitoType;
  }
}

function kindOfCognitoError(type, message = "") {
  switch (type) {
    case "NotAuthorizedException":
      if (/attempts exceeded/i.test(message)) return "throttled";
      return /session/i.test(message) ? "expiredStep" : "invalid";
    case "CodeMismatchException":
    case "EnableSoftwareTokenMFAException":
      return "badCode";
    case "ExpiredCodeException":
      return "expiredStep";
    case "UserNotFoundException":
      return "invalid";
    case "PasswordResetRequiredException":
      return "reset";
    case "UserNotConfirmedException":
      return "unconfirmed";
    case "TooManyRequestsException":
    case "TooManyFailedAttemptsException":
    case "LimitExceededException":
      return "throttled";
    default:
      return "unavailable";
  }
}

/** Calls one action of the Cognito Identity Provider API. */
export async function cognito(action, payload, { timeoutMs } = {}) {
  let config;
  try {
    config = await loadConfig();
  } catch {
    throw new LoginError("unavailable");
  }
  const controller = new AbortController();
  const timer = timeoutMs ? setTimeout(() => controller.abort(), timeoutMs) : null;
  let response;
  try {
    response = await fetch(config.cognitoEndpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(payload),
      cache: "no-store",
      credentials: "omit",
      signal: controller.signal,
    });
  } catch {
    throw new LoginError("unavailable");
  } finally {
    if (timer) clearTimeout(timer);
  }
  const data = await response.json().catch(() => ({}));
  if (response.ok) return data;
  if (response.status >= 500) throw new LoginError("unavailable");
  const type = String(data.__type ?? "").split("#").pop();
  throw new LoginError(kindOfCognitoError(type, data.message ?? data.Message), type);
}

// ---- storage ------------------------------------------------------------------------------

export function getSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(STORAGE_KEY));
    return session && session.accessToken ? session : null;
  } catch {
    return null;
  }
}

export function storeResult(result, previous = null, clientId = previous?.clientId) {
  const session = {
    clientId: clientId ?? null,
    accessToken: result.AccessToken,
    idToken: result.IdToken ?? previous?.idToken ?? null,
    // REFRESH_TOKEN_AUTH does not return a new refresh token: keep the one we have.
    refreshToken: result.RefreshToken ?? previous?.refreshToken ?? null,
    expiresAt: Date.now() + Number(result.ExpiresIn ?? 3600) * 1000,
  };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session;
}

function clearSession() {
  sessionStorage.removeItem(STORAGE_KEY);
  clearTimeout(refreshTimer);
  refreshTimer = null;
}

// ---- sign in, refresh, sign out -----------------------------------------------------------

/**
 * Signs in with email and password; throws a LoginError with a French message. Members sign in
 * with the members' app client; advisors have a pool of their own, which asks every sign-in for
 * a second factor: then the answer is a pending step (`{ challenge, ... }`) that
 * `answerSecondFactor` or `enrollSecondFactor` completes.
 */
export async function login(email, password) {
  const config = await loadConfig().catch(() => {
    throw new LoginError("unavailable");
  });
  const username = email.trim();
  const attempt = (clientId) =>
    cognito("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    });
  let clientId = config.clientId;
  let data;
  try {
    data = await attempt(clientId);
  } catch (error) {
    // Not a member's: perhaps an advisor's (both pools answer an unknown address as a wrong
    // password, so this tells nobody which accounts exist).
    if (!(error instanceof LoginError) || error.kind !== "invalid" || !config.advisorsClientId) throw error;
    clientId = config.advisorsClientId;
    data = await attempt(clientId);
  }
  if (data.ChallengeName === "SOFTWARE_TOKEN_MFA") {
    return { challenge: "code", session: data.Session, username, clientId };
  }
  if (data.ChallengeName === "MFA_SETUP") {
    const setup = await cognito("AssociateSoftwareToken", { Session: data.Session });
    return { challenge: "enroll", session: setup.Session ?? data.Session, secret: setup.SecretCode, username, clientId };
  }
  if (data.ChallengeName) {
    throw new LoginError(
      data.ChallengeName === "NEW_PASSWORD_REQUIRED" ? "newPassword" : "challenge",
      data.ChallengeName,
    );
  }
  if (!data.AuthenticationResult?.AccessToken) throw new LoginError("unavailable");
  return storeResult(data.AuthenticationResult, null, clientId);
}

function signedIn(data, pending) {
  if (!data.AuthenticationResult?.AccessToken) throw new LoginError("unavailable");
  return storeResult(data.AuthenticationResult, null, pending.clientId);
}

/** The code of her authenticator app, for a sign-in that asks for it. */
export async function answerSecondFactor(pending, code) {
  const data = await cognito("RespondToAuthChallenge", {
    ChallengeName: "SOFTWARE_TOKEN_MFA",
    ClientId: pending.clientId,
    Session: pending.session,
    ChallengeResponses: { USERNAME: pending.username, SOFTWARE_TOKEN_MFA_CODE: code },
  });
  return signedIn(data, pending);
}

/** First sign-in of an advisor: the app enrolled with `pending.secret`, proved by one code. */
export async function enrollSecondFactor(pending, code) {
  const verified = await cognito("VerifySoftwareToken", {
    Session: pending.session,
    UserCode: code,
    FriendlyDeviceName: "Application d'authentification",
  });
  if (verified.Status !== "SUCCESS") throw new LoginError("badCode");
  const data = await cognito("RespondToAuthChallenge", {
    ChallengeName: "MFA_SETUP",
    ClientId: pending.clientId,
    Session: verified.Session,
    ChallengeResponses: { USERNAME: pending.username },
  });
  return signedIn(data, pending);
}

let refreshing = null;
let refreshTimer = null;
// Once signing out has started, a refresh still in flight (a call that met a 401 as the
// session closed) must not write the tokens back: the sign-in page would send her back in.
let signingOut = false;

/** Renews the tokens once (concurrent callers share the call). Resolves true on success. */
export function refresh() {
  if (!refreshing) {
    refreshing = (async () => {
      const session = getSession();
      if (!session?.refreshToken) return false;
      try {
        const config = await loadConfig();
        const data = await cognito("InitiateAuth", {
          AuthFlow: "REFRESH_TOKEN_AUTH",
          ClientId: session.clientId ?? config.clientId,
          AuthParameters: { REFRESH_TOKEN: session.refreshToken },
        });
        if (!data.AuthenticationResult?.AccessToken || signingOut) return false;
        storeResult(data.AuthenticationResult, session);
        scheduleRefresh();
        return true;
      } catch (error) {
        // A revoked or expired refresh token ends the session; a network failure does not.
        if (error instanceof LoginError && error.kind !== "unavailable") clearSession();
        return false;
      }
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

/** Plans the next refresh about a minute before the access token expires. */
export function scheduleRefresh() {
  clearTimeout(refreshTimer);
  const session = getSession();
  if (!session) return;
  const delay = Math.max(session.expiresAt - Date.now() - REFRESH_MARGIN_MS, 0);
  refreshTimer = setTimeout(async () => {
    if (await refresh()) return;
    const current = getSession();
    if (!current || current.expiresAt <= Date.now()) {
      redirectToLogin({ expired: true });
    } else {
      // Temporary failure: try again a little later, while the token is still valid.
      refreshTimer = setTimeout(scheduleRefresh, 15_000);
    }
  }, delay);
}

/** Removes member data shown on the page (header name, every mount point). */
export function clearMemberData() {
  for (const element of document.querySelectorAll("[data-mount]")) {
    element.replaceChildren();
  }
}

/** Tells the API the session is over: its tokens are refused at once from then on. */
async function closeSession(session, everywhere) {
  // An advisor's session ends on the advisors' side of the API (her token is not a member's).
  const path = roleOf(session) === "advisor" ? "/support/advisor/logout" : "/members/logout";
  const response = await send(path, {
    method: "POST",
    body: { everywhere },
    token: session.accessToken,
    signal: AbortSignal.timeout(SIGN_OUT_TIMEOUT_MS),
  });
  if (!response.ok && response.status !== 401) throw new Error(`logout: HTTP ${response.status}`);
}

/** Revokes this device's refresh token, so the session cannot be renewed. */
async function revokeRefreshToken(session) {
  if (!session.refreshToken) return;
  const clientId = session.clientId ?? (await loadConfig()).clientId;
  await cognito("RevokeToken", { Token: session.refreshToken, ClientId: clientId }, {
    timeoutMs: SIGN_OUT_TIMEOUT_MS,
  });
}

/**
 * Signs out of this device, or of every device (`everywhere`: the API then also revokes every
 * refresh token of the account). Nothing of the member stays in the browser, even when the
 * network fails: the tokens are forgotten first, and the API refuses them from then on.
 * `reason` names the message of the sign-in page (`connexion/?<reason>=1`).
 */
export async function logout({ everywhere = false, reason = "deconnecte" } = {}) {
  signingOut = true;
  const session = getSession();
  clearMemberData();
  clearSession();
  forgetSpaces();
  // The card kept for offline use goes too: after sign-out nothing of hers stays on the device.
  await forgetCard();
  if (session) {
    await Promise.allSettled([
      closeSession(session, everywhere),
      everywhere ? null : revokeRefreshToken(session),
    ]);
  }
  location.replace(siteUrl(`connexion/?${encodeURIComponent(reason)}=1`));
}

// ---- role -----------------------------------------------------------------------------------

/** The claims of a JWT, unverified: only to choose which pages to show (the API checks them). */
export function tokenClaims(token) {
  try {
    const part = String(token).split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = decodeURIComponent(
      [...atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), "="))]
        .map((char) => `%${char.charCodeAt(0).toString(16).padStart(2, "0")}`)
        .join(""),
    );
    const claims = JSON.parse(json);
    return claims && typeof claims === "object" ? claims : {};
  } catch {
    return {};
  }
}

/** "advisor" when the access token puts the caller in the Cognito group `advisors`. */
export function roleOf(session) {
  let groups = tokenClaims(session?.accessToken)["cognito:groups"] ?? [];
  if (typeof groups === "string") groups = groups.replace(/[[\]]/g, "").split(/[\s,]+/);
  return groups.includes("advisors") ? "advisor" : "member";
}

function isAdvisorPath(path) {
  return new URL(path, location.origin).pathname.startsWith(siteUrl(ADVISOR_AREA).pathname);
}

// ---- redirects ----------------------------------------------------------------------------

/** Returns a same-origin path + query to go back to after sign-in, or null if unsafe. */
export function safeReturnPath(raw) {
  if (typeof raw !== "string" || raw.length > 2000) return null;
  if (!raw.startsWith("/") || raw.startsWith("//") || /[\\\u0000-\u001f]/.test(raw)) return null;
  let url;
  try {
    url = new URL(raw, location.origin);
  } catch {
    return null;
  }
  if (url.origin !== location.origin) return null;
  if (url.pathname === siteUrl("connexion/").pathname) return null;
  return url.pathname + url.search + url.hash;
}

/** The sign-in page URL, asking to come back to `returnPath` afterwards. */
export function loginUrl({ returnPath = location.pathname + location.search, expired = false } = {}) {
  const url = siteUrl("connexion/");
  const safe = safeReturnPath(returnPath);
  if (safe) url.searchParams.set("suite", safe);
  if (expired) url.searchParams.set("expiree", "1");
  return url;
}

export function redirectToLogin(options = {}) {
  clearMemberData();
  // A session the API refused even after a refresh (closed from another device, signed out
  // everywhere, over) is over here too: kept, the sign-in page would send her straight back.
  if (options.expired) clearSession();
  location.replace(loginUrl(options));
}

/**
 * Where to go after a successful sign-in: the `suite` parameter if safe and in the caller's own
 * space, else the landing page of her role.
 */
export function afterLoginPath(params = new URLSearchParams(location.search), role = "member") {
  const wanted = safeReturnPath(params.get("suite"));
  if (wanted && isAdvisorPath(wanted) === (role === "advisor")) return wanted;
  return sitePath(HOME[role] ?? HOME.member);
}

const never = () => new Promise(() => {});

/**
 * Guard of the pages of a space ("member" or "advisor"): resolves with the session, or sends
 * the visitor to sign-in, or someone of the other role to her own space (and never resolves).
 * Also protects against the back/forward cache showing a page after sign-out.
 */
export async function requireSession(role = "member") {
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && !getSession()) redirectToLogin();
  });
  let session = getSession();
  if (!session) {
    redirectToLogin();
    return never();
  }
  if (session.expiresAt - Date.now() < REFRESH_MARGIN_MS / 2) {
    if (!(await refresh())) {
      redirectToLogin({ expired: true });
      return never();
    }
    session = getSession();
  }
  const actual = roleOf(session);
  if (actual !== role) {
    location.replace(siteUrl(HOME[actual]));
    return never();
  }
  scheduleRefresh();
  return session;
}

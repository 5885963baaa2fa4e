// Passkeys: sign-in with a passkey (Cognito's USER_AUTH, challenge WEB_AUTHN), the browser's
// prompt for a new one, and the proof of one asked before a change of her passkeys. Apart from
// lib/session.js so that only the pages that use passkeys load this code.

import { loadConfig } from "./config.js";
import { cognito, getSession, LOGIN_MESSAGES, LoginError, storeResult, tokenClaims } from "./session.js";

/** French messages for each way a passkey can fail, at sign-in or when adding one. */
export const PASSKEY_MESSAGES = Object.freeze({
  unsupported:
    "Ce navigateur ne permet pas d'utiliser les clés d'accès. Connectez-vous avec votre mot de passe, " +
    "ou mettez à jour votre navigateur.",
  cancelled:
    "La clé d'accès n'a pas été utilisée : la demande a été annulée, ou cet appareil ne garde aucune " +
    "clé d'accès pour ce compte. Réessayez, ou connectez-vous avec votre mot de passe.",
  none:
    "Aucune clé d'accès n'est enregistrée pour ce compte. Connectez-vous avec votre mot de passe, puis " +
    "ajoutez-en une dans « Mes infos perso », rubrique « Mes clés d'accès ».",
  refused:
    "Cette clé d'accès n'a pas été acceptée (elle a peut-être été supprimée de votre compte). " +
    "Connectez-vous avec votre mot de passe.",
  expired: "La demande de clé d'accès a expiré. Recommencez.",
  exists: "Cet appareil garde déjà une clé d'accès pour votre compte : vous pouvez l'utiliser pour vous connecter.",
  unavailable: LOGIN_MESSAGES.unavailable,
});

export class PasskeyError extends Error {
  constructor(kind) {
    super(PASSKEY_MESSAGES[kind] ?? PASSKEY_MESSAGES.unavailable);
    this.name = "PasskeyError";
    this.kind = kind;
  }
}

export const passkeysSupported = () =>
  typeof window.PublicKeyCredential === "function" && typeof navigator.credentials?.get === "function";

// The WebAuthn library loads only when a passkey is used: the other pages stay as light.
const webauthn = () =>
  import("@simplewebauthn/browser").catch(() => {
    throw new PasskeyError("unavailable");
  });

/** What a failed browser prompt (SimpleWebAuthn's WebAuthnError, or the browser's own) means. */
function promptFailure(error) {
  const code = error?.code ?? "";
  const name = error?.cause?.name ?? error?.name ?? "";
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" || name === "InvalidStateError") return "exists";
  // Browsers answer « cancelled » and « nothing here for this site » alike, on purpose.
  if (code === "ERROR_CEREMONY_ABORTED" || name === "NotAllowedError" || name === "AbortError") return "cancelled";
  if (code === "ERROR_INVALID_DOMAIN" || code === "ERROR_INVALID_RP_ID" || name === "SecurityError") return "unsupported";
  return "unavailable";
}

/** The browser's prompt for a new passkey (options from the API); its RegistrationResponseJSON. */
export async function createPasskey(optionsJSON) {
  if (!passkeysSupported()) throw new PasskeyError("unsupported");
  const { startRegistration } = await webauthn();
  try {
    return await startRegistration({ optionsJSON });
  } catch (error) {
    throw new PasskeyError(promptFailure(error));
  }
}

/**
 * Cognito's passkey challenge for `username` on one app client (InitiateAuth USER_AUTH, preferred
 * challenge WEB_AUTHN), answered by the browser's prompt: `{ session, credential }` (the
 * AuthenticationResponseJSON as a string, as RespondToAuthChallenge takes it).
 */
async function passkeyAssertion(clientId, username) {
  let data;
  try {
    data = await cognito("InitiateAuth", {
      AuthFlow: "USER_AUTH",
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: "WEB_AUTHN" },
    });
  } catch (error) {
    if (error instanceof LoginError && error.kind === "invalid") throw new PasskeyError("none");
    if (error instanceof LoginError && error.kind === "throttled") throw error;
    throw new PasskeyError("unavailable");
  }
  const raw = data.ChallengeName === "WEB_AUTHN" ? data.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS : null;
  if (!raw) throw new PasskeyError("none");
  let optionsJSON;
  try {
    optionsJSON = typeof raw === "string" ? JSON.parse(raw) : raw;
  } catch {
    throw new PasskeyError("unavailable");
  }
  const { startAuthentication } = await webauthn();
  let credential;
  try {
    credential = await startAuthentication({ optionsJSON });
  } catch (error) {
    throw new PasskeyError(promptFailure(error));
  }
  return { session: data.Session, credential: JSON.stringify(credential), username, clientId };
}

async function answerPasskey(step) {
  let data;
  try {
    data = await cognito("RespondToAuthChallenge", {
      ChallengeName: "WEB_AUTHN",
      ClientId: step.clientId,
      Session: step.session,
      ChallengeResponses: { USERNAME: step.username, CREDENTIAL: step.credential },
    });
  } catch (error) {
    if (error instanceof LoginError && error.kind === "expiredStep") throw new PasskeyError("expired");
    if (error instanceof LoginError && error.kind === "invalid") throw new PasskeyError("refused");
    if (error instanceof LoginError && error.kind === "throttled") throw error;
    throw new PasskeyError("unavailable");
  }
  return data;
}

/**
 * Signs in with a passkey of the account `email` (Cognito needs the username first): members'
 * pool, else the advisors' (for an advisor, the passkey's user verification is her second
 * factor). Stores the session as the password sign-in does; throws a PasskeyError (or a
 * LoginError when throttled) with a French message.
 */
export async function loginWithPasskey(email) {
  if (!passkeysSupported()) throw new PasskeyError("unsupported");
  const config = await loadConfig().catch(() => {
    throw new PasskeyError("unavailable");
  });
  const username = email.trim();
  let step;
  try {
    step = await passkeyAssertion(config.clientId, username);
  } catch (error) {
    // Not a member's account (or one without passkey): perhaps an advisor's.
    if (!(error instanceof PasskeyError) || error.kind !== "none" || !config.advisorsClientId) throw error;
    step = await passkeyAssertion(config.advisorsClientId, username);
  }
  const data = await answerPasskey(step);
  if (data.ChallengeName === "SOFTWARE_TOKEN_MFA") {
    return { challenge: "code", session: data.Session, username, clientId: step.clientId };
  }
  if (!data.AuthenticationResult?.AccessToken) throw new PasskeyError("unavailable");
  return storeResult(data.AuthenticationResult, null, step.clientId);
}

/**
 * Proof that she holds one of her passkeys right now, for a change of her passkeys: the API
 * completes this sign-in itself and closes the session it opens. `{ session, credential }`.
 */
export async function passkeyProof() {
  const session = getSession();
  const config = await loadConfig().catch(() => {
    throw new PasskeyError("unavailable");
  });
  const claims = tokenClaims(session?.idToken);
  if (!session || !claims.email) throw new PasskeyError("unavailable");
  const step = await passkeyAssertion(session.clientId ?? config.clientId, claims.email);
  return { session: step.session, credential: step.credential };
}

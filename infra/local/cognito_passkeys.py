"""Cognito's passkeys (WebAuthn) on moto, which implements none of them: the pool's
`WebAuthnConfiguration` (SetUserPoolMfaConfig), the four credential actions
(StartWebAuthnRegistration, CompleteWebAuthnRegistration, ListWebAuthnCredentials,
DeleteWebAuthnCredential) and the `USER_AUTH` sign-in with its `WEB_AUTHN`, `PASSWORD` and
`SELECT_CHALLENGE` steps, answered as Cognito answers them. Every check is the `webauthn`
library's (challenge, origin, relying party, signature, user verification, sign count); this
module only keeps the state and turns each refusal into Cognito's error.

Applied by `cognito.faithful()`. docs/identity.md tells what differs from AWS."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import urllib.parse
import uuid
from typing import Any

from shared import clock

# Cognito's sign-in session lasts 3 minutes (the app client's AuthSessionValidity, default
# 3). How long a registration's challenge lasts is not documented: the same as the browser's
# ceremony timeout we hand out, 5 minutes.
SIGN_IN_SECONDS = 180
REGISTRATION_SECONDS = 300
MAX_CREDENTIALS = 20  # Cognito's limit of passkeys per user
PROMPT = "Incorrect username or password."


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _error(kind: str, message: str):
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError(kind, message)


def origin_allowed(origin: str, rp_id: str) -> bool:
    """The origin's host is the relying party id or one of its subdomains, over https (http
    only for localhost, which browsers count as a secure context)."""
    try:
        parts = urllib.parse.urlsplit(origin)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if host != rp_id and not host.endswith("." + rp_id):
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and host == "localhost")


def _client_data(credential: dict) -> dict:
    try:
        data = json.loads(_unb64url(credential["response"]["clientDataJSON"]))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _error("InvalidParameterException", "Invalid credential.") from exc
    if not isinstance(data, dict):
        raise _error("InvalidParameterException", "Invalid credential.")
    return data


def config_of(pool) -> dict[str, str]:
    return getattr(pool, "_ea_webauthn", None) or {}


def credentials_of(user) -> list[dict[str, Any]]:
    if not hasattr(user, "webauthn_credentials"):
        user.webauthn_credentials = []
    return user.webauthn_credentials


def _first_factors(pool) -> list[str]:
    policy = (pool.extended_config.get("Policies") or {}).get("SignInPolicy") or {}
    return policy.get("AllowedFirstAuthFactors") or ["PASSWORD"]


def _state(backend) -> dict[str, dict]:
    return backend.__dict__.setdefault("_ea_webauthn_state", {"registrations": {},
                                                              "sessions": {}})


def _user_of_token(backend, access_token: Any):
    """The user an access token names, as Cognito checks it (known, not expired, not
    revoked: moto forgets the tokens a sign-out everywhere ends), with its pool and client."""
    if not isinstance(access_token, str) or not access_token:
        raise _error("InvalidParameterException", "Missing required parameter AccessToken")
    for pool in backend.user_pools.values():
        if access_token in pool.access_tokens:
            client_id, username = pool.access_tokens[access_token]
            try:
                claims = json.loads(_unb64url(access_token.split(".")[1]))
            except (IndexError, ValueError) as exc:
                raise _error("NotAuthorizedException", "Invalid Access Token") from exc
            if claims.get("exp", 0) <= clock.epoch():
                raise _error("NotAuthorizedException", "Access Token has expired")
            user = pool._get_user(username)
            if user is None or not user.enabled:
                raise _error("NotAuthorizedException", "Invalid Access Token")
            return pool, client_id, user
    raise _error("NotAuthorizedException", "Invalid Access Token")


def _enabled(pool) -> dict[str, str]:
    config = config_of(pool)
    if "WEB_AUTHN" not in _first_factors(pool):
        raise _error("WebAuthnNotEnabledException", "Passkeys are not enabled for this user "
                     "pool.")
    if not config.get("RelyingPartyId"):
        raise _error("WebAuthnConfigurationMissingException", "The user pool has no "
                     "relying party id.")
    return config


# ------------------------------------------------------------------ the four credential actions
def start_registration(backend, access_token: Any) -> dict:
    from webauthn import generate_registration_options, options_to_json
    from webauthn.helpers.structs import (
        AuthenticatorSelectionCriteria,
        PublicKeyCredentialDescriptor,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    pool, client_id, user = _user_of_token(backend, access_token)
    config = _enabled(pool)
    if len(credentials_of(user)) >= MAX_CREDENTIALS:
        raise _error("LimitExceededException", "The user has too many passkeys.")
    email = user.attribute_lookup.get("email") or user.username
    challenge = secrets.token_bytes(32)
    options = generate_registration_options(
        rp_id=config["RelyingPartyId"], rp_name=pool.name, user_name=email,
        user_id=user.id.encode(), user_display_name=email, challenge=challenge,
        timeout=REGISTRATION_SECONDS * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement(
                config.get("UserVerification") or "preferred")),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=_unb64url(c["CredentialId"]))
                             for c in credentials_of(user)])
    _state(backend)["registrations"][_b64url(challenge)] = {
        "pool": pool.id, "user": user.username, "client": client_id,
        "expires": clock.epoch() + REGISTRATION_SECONDS}
    return {"CredentialCreationOptions": json.loads(options_to_json(options))}


def complete_registration(backend, access_token: Any, credential: Any) -> dict:
    from webauthn import verify_registration_response
    from webauthn.helpers import parse_attestation_object
    from webauthn.helpers.exceptions import WebAuthnException

    pool, client_id, user = _user_of_token(backend, access_token)
    config = _enabled(pool)
    if not isinstance(credential, dict):
        raise _error("InvalidParameterException", "Missing required parameter Credential")
    client_data = _client_data(credential)
    pending = _state(backend)["registrations"].pop(str(client_data.get("challenge")), None)
    if (not pending or pending["pool"] != pool.id or pending["user"] != user.username
            or pending["expires"] <= clock.epoch()):
        raise _error("WebAuthnChallengeNotFoundException", "The challenge was not found or "
                     "has expired.")
    if pending["client"] != client_id:
        raise _error("WebAuthnClientMismatchException", "The access token is for another "
                     "client than the registration's.")
    rp_id = config["RelyingPartyId"]
    origin = str(client_data.get("origin"))
    if client_data.get("type") != "webauthn.create" or not origin_allowed(origin, rp_id):
        raise _error("WebAuthnOriginNotAllowedException", "The credential's origin is not "
                     "allowed for this user pool's relying party.")
    try:
        attestation = parse_attestation_object(
            _unb64url(credential["response"]["attestationObject"]))
    except (KeyError, TypeError, ValueError, WebAuthnException) as exc:
        raise _error("InvalidParameterException", "Invalid credential.") from exc
    if attestation.auth_data.rp_id_hash != hashlib.sha256(rp_id.encode()).digest():
        raise _error("WebAuthnRelyingPartyMismatchException", "The credential is for another "
                     "relying party than the user pool's.")
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=_unb64url(client_data["challenge"]),
            expected_rp_id=rp_id, expected_origin=origin,
            require_user_verification=config.get("UserVerification") == "required")
    except (WebAuthnException, KeyError, TypeError, ValueError) as exc:
        raise _error("WebAuthnCredentialNotSupportedException",
                     f"The credential is not supported: {exc}") from exc
    credential_id = _b64url(verified.credential_id)
    for other in pool.users.values():
        if any(c["CredentialId"] == credential_id for c in credentials_of(other)):
            raise _error("InvalidParameterException", "The credential is already registered.")
    if len(credentials_of(user)) >= MAX_CREDENTIALS:
        raise _error("LimitExceededException", "The user has too many passkeys.")
    transports = (credential.get("response") or {}).get("transports") or []
    credentials_of(user).append({
        "CredentialId": credential_id,
        "FriendlyCredentialName": "Passkey",
        "RelyingPartyId": rp_id,
        "AuthenticatorAttachment": credential.get("authenticatorAttachment"),
        "AuthenticatorTransports": [t for t in transports if isinstance(t, str)],
        "CreatedAt": clock.epoch(),
        "public_key": verified.credential_public_key,
        "sign_count": verified.sign_count,
    })
    return {}


def list_credentials(backend, access_token: Any, max_results: Any, next_token: Any) -> dict:
    _, _, user = _user_of_token(backend, access_token)
    limit = 20 if max_results in (None, 0) else max_results
    if not isinstance(limit, int) or not 0 <= limit <= 20:
        raise _error("InvalidParameterException", "MaxResults must be between 0 and 20.")
    start = 0
    if next_token is not None:
        try:
            start = int(_unb64url(str(next_token)).decode())
        except ValueError as exc:
            raise _error("InvalidParameterException", "Invalid NextToken.") from exc
    listed = credentials_of(user)[start:start + limit]
    answer: dict[str, Any] = {"Credentials": [
        {k: v for k, v in c.items() if k[0].isupper() and v is not None} for c in listed]}
    if start + limit < len(credentials_of(user)):
        answer["NextToken"] = _b64url(str(start + limit).encode())
    return answer


def delete_credential(backend, access_token: Any, credential_id: Any) -> dict:
    _, _, user = _user_of_token(backend, access_token)
    kept = [c for c in credentials_of(user) if c["CredentialId"] != credential_id]
    if len(kept) == len(credentials_of(user)):
        raise _error("ResourceNotFoundException", "The credential was not found.")
    user.webauthn_credentials = kept
    return {}


# ------------------------------------------------------------------ USER_AUTH sign-in
def _tokens(pool, client_id: str, username: str) -> dict:
    """The tokens of a sign-in, made by moto's own code as for a password (the same claims,
    `origin_jti` and `auth_time`)."""
    refresh, origin_jti = pool.create_refresh_token(client_id, username)
    access, expires_in = pool.create_access_token(client_id, username, origin_jti=origin_jti)
    id_token, _ = pool.create_id_token(client_id, username, origin_jti=origin_jti)
    return {"ChallengeParameters": {}, "AuthenticationResult": {
        "IdToken": id_token, "AccessToken": access, "ExpiresIn": expires_in,
        "RefreshToken": refresh, "TokenType": "Bearer"}}


def _new_session(backend, pool, client_id: str, username: str, **extra) -> str:
    session = _b64url(secrets.token_bytes(48))
    _state(backend)["sessions"][session] = {
        "pool": pool.id, "client": client_id, "username": username,
        "expires": clock.epoch() + SIGN_IN_SECONDS, **extra}
    return session


def _available(pool, user) -> list[str]:
    factors = _first_factors(pool)
    available = ["PASSWORD"] if "PASSWORD" in factors else []
    if (user is not None and credentials_of(user) and "WEB_AUTHN" in factors
            and config_of(pool).get("RelyingPartyId")):
        available.append("WEB_AUTHN")
    return available


def _web_authn_challenge(backend, pool, client_id: str, username: str, user) -> dict:
    from webauthn import generate_authentication_options, options_to_json
    from webauthn.helpers.structs import (
        AuthenticatorTransport,
        PublicKeyCredentialDescriptor,
        UserVerificationRequirement,
    )

    config = config_of(pool)
    challenge = secrets.token_bytes(32)
    known = {t.value for t in AuthenticatorTransport}
    options = generate_authentication_options(
        rp_id=config["RelyingPartyId"], challenge=challenge, timeout=SIGN_IN_SECONDS * 1000,
        allow_credentials=[PublicKeyCredentialDescriptor(
            id=_unb64url(c["CredentialId"]),
            transports=[AuthenticatorTransport(t) for t in c["AuthenticatorTransports"]
                        if t in known] or None)
            for c in credentials_of(user)],
        user_verification=UserVerificationRequirement(
            config.get("UserVerification") or "preferred"))
    session = _new_session(backend, pool, client_id, username, challenge=challenge)
    return {"ChallengeName": "WEB_AUTHN", "Session": session,
            "ChallengeParameters": {"CREDENTIAL_REQUEST_OPTIONS": options_to_json(options)}}


def _client(backend, client_id: Any):
    for pool in backend.user_pools.values():
        if client_id in pool.clients:
            return pool, pool.clients[client_id]
    raise _error("ResourceNotFoundException", "User pool client does not exist.")


def initiate_user_auth(backend, password_sign_in, client_id: str,
                       parameters: dict[str, str]) -> dict:
    pool, client = _client(backend, client_id)
    flows = client.extended_config.get("ExplicitAuthFlows") or []
    if "ALLOW_USER_AUTH" not in flows:
        raise _error("InvalidParameterException", "USER_AUTH flow not enabled for this "
                     "client")
    username = (parameters or {}).get("USERNAME")
    if not isinstance(username, str) or not username:
        raise _error("InvalidParameterException", "Missing required parameter USERNAME")
    user = pool._get_user(username)
    if user is not None and not user.enabled:
        user = None
    available = _available(pool, user)
    preferred = parameters.get("PREFERRED_CHALLENGE")
    if preferred == "PASSWORD" and "PASSWORD" in available and "PASSWORD" in parameters:
        return password_sign_in(client_id, {"USERNAME": username,
                                            "PASSWORD": parameters["PASSWORD"]})
    if preferred == "WEB_AUTHN" and "WEB_AUTHN" in available:
        return _web_authn_challenge(backend, pool, client_id, user.username, user)
    # No preference, or one this user cannot answer: her choices (an unknown address gets
    # the password's, as a member without passkey: nothing tells them apart).
    session = _new_session(backend, pool, client_id, user.username if user else username)
    return {"ChallengeName": "SELECT_CHALLENGE", "Session": session, "ChallengeParameters": {},
            "AvailableChallenges": available}


def _session(backend, session: Any, client_id: str) -> dict:
    found = _state(backend)["sessions"].pop(session, None) if isinstance(session, str) else None
    if not found or found["client"] != client_id:
        raise _error("NotAuthorizedException", "Invalid session for the user.")
    if found["expires"] <= clock.epoch():
        raise _error("NotAuthorizedException", "Invalid session for the user, session is "
                     "expired.")
    return found


def respond(backend, password_sign_in, session: Any, client_id: str, challenge_name: str,
            responses: dict[str, str]) -> dict:
    pool, _ = _client(backend, client_id)
    found = _session(backend, session, client_id)
    responses = responses or {}
    user = pool._get_user(responses.get("USERNAME") or "")
    if user is None or user.username != found["username"] or not user.enabled:
        raise _error("NotAuthorizedException", PROMPT)
    if challenge_name == "SELECT_CHALLENGE":
        answer = responses.get("ANSWER")
        if answer not in _available(pool, user) or "challenge" in found:
            raise _error("NotAuthorizedException", PROMPT)
        if answer == "PASSWORD":
            return password_sign_in(client_id, {"USERNAME": responses["USERNAME"],
                                                "PASSWORD": responses.get("PASSWORD") or ""})
        return _web_authn_challenge(backend, pool, client_id, user.username, user)
    if "challenge" not in found:
        raise _error("NotAuthorizedException", "Invalid session for the user.")
    _verify_assertion(pool, user, found["challenge"], responses.get("CREDENTIAL"))
    if (pool.mfa_config == "ON" and config_of(pool).get("FactorConfiguration")
            != "MULTI_FACTOR_WITH_USER_VERIFICATION"):
        # A passkey alone is one factor there: the authenticator app's code still follows.
        moto_session = str(uuid.uuid4())
        backend.sessions[moto_session] = (user.username, pool)
        return {"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": moto_session,
                "ChallengeParameters": {}}
    return _tokens(pool, client_id, user.username)


def _verify_assertion(pool, user, challenge: bytes, credential_json: Any) -> None:
    from moto.core.exceptions import JsonRESTError
    from webauthn import verify_authentication_response
    from webauthn.helpers.exceptions import WebAuthnException

    config = config_of(pool)
    try:
        credential = json.loads(credential_json)
        client_data = _client_data(credential)
        stored = next((c for c in credentials_of(user)
                       if c["CredentialId"] == credential.get("id")), None)
    except (TypeError, ValueError, AttributeError, JsonRESTError) as exc:
        raise _error("NotAuthorizedException", PROMPT) from exc
    origin = str(client_data.get("origin"))
    if stored is None or not origin_allowed(origin, config["RelyingPartyId"]):
        raise _error("NotAuthorizedException", PROMPT)
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=challenge,
            expected_rp_id=config["RelyingPartyId"], expected_origin=origin,
            credential_public_key=stored["public_key"],
            credential_current_sign_count=stored["sign_count"],
            require_user_verification=config.get("UserVerification") == "required")
    except (WebAuthnException, KeyError, TypeError, ValueError) as exc:
        raise _error("NotAuthorizedException", PROMPT) from exc
    stored["sign_count"] = verified.new_sign_count
    stored["last_used"] = clock.epoch()


# ------------------------------------------------------------------ moto's patches
def apply() -> None:
    from moto.cognitoidp.models import CognitoIdpBackend
    from moto.cognitoidp.responses import CognitoIdpResponse

    if getattr(CognitoIdpBackend, "_ea_webauthn", False):
        return
    initiate_auth = CognitoIdpBackend.initiate_auth
    respond_to_auth_challenge = CognitoIdpBackend.respond_to_auth_challenge

    def initiate_auth_with_choice(self, client_id: str, auth_flow: str,
                                  auth_parameters: dict[str, str]) -> dict:
        if auth_flow != "USER_AUTH":
            return initiate_auth(self, client_id, auth_flow, auth_parameters)

        def password_sign_in(client: str, parameters: dict[str, str]) -> dict:
            return self.initiate_auth(client, "USER_PASSWORD_AUTH", parameters)

        return initiate_user_auth(self, password_sign_in, client_id, auth_parameters)

    def respond_with_choice(self, session: str, client_id: str, challenge_name: str,
                            challenge_responses: dict[str, str]) -> dict:
        if challenge_name not in ("WEB_AUTHN", "SELECT_CHALLENGE"):
            return respond_to_auth_challenge(self, session, client_id, challenge_name,
                                             challenge_responses)

        def password_sign_in(client: str, parameters: dict[str, str]) -> dict:
            return self.initiate_auth(client, "USER_PASSWORD_AUTH", parameters)

        return respond(self, password_sign_in, session, client_id, challenge_name,
                       challenge_responses)

    CognitoIdpBackend.initiate_auth = initiate_auth_with_choice
    CognitoIdpBackend.respond_to_auth_challenge = respond_with_choice

    set_mfa = CognitoIdpResponse.set_user_pool_mfa_config
    get_mfa = CognitoIdpResponse.get_user_pool_mfa_config

    def set_user_pool_mfa_config(self):
        config = self._get_param("WebAuthnConfiguration")
        answer = set_mfa(self)
        pool = self.backend.describe_user_pool(self._get_param("UserPoolId"))
        if config is not None:
            pool._ea_webauthn = {k: v for k, v in config.items() if v}
        return _with_webauthn(answer, pool)

    def get_user_pool_mfa_config(self):
        answer = get_mfa(self)
        pool = self.backend.describe_user_pool(self._get_param("UserPoolId"))
        return _with_webauthn(answer, pool)

    def action(handler, *params: str):
        def call(self) -> str:
            return json.dumps(handler(self.backend, *(self._get_param(p) for p in params)))

        return call

    CognitoIdpResponse.set_user_pool_mfa_config = set_user_pool_mfa_config
    CognitoIdpResponse.get_user_pool_mfa_config = get_user_pool_mfa_config
    CognitoIdpResponse.start_web_authn_registration = action(start_registration,
                                                             "AccessToken")
    CognitoIdpResponse.complete_web_authn_registration = action(
        complete_registration, "AccessToken", "Credential")
    CognitoIdpResponse.list_web_authn_credentials = action(
        list_credentials, "AccessToken", "MaxResults", "NextToken")
    CognitoIdpResponse.delete_web_authn_credential = action(
        delete_credential, "AccessToken", "CredentialId")
    CognitoIdpBackend._ea_webauthn = True


def _with_webauthn(answer, pool):
    """moto's answer to Set/GetUserPoolMfaConfig, with the pool's WebAuthnConfiguration."""
    config = config_of(pool)
    if not config:
        return answer
    from moto.core.responses import ActionResult

    if isinstance(answer, ActionResult):
        data = dict(answer.result if hasattr(answer, "result") else {})
        data["WebAuthnConfiguration"] = config
        return ActionResult(data)
    data = json.loads(answer) if isinstance(answer, str | bytes) else dict(answer)
    data["WebAuthnConfiguration"] = config
    return json.dumps(data)

"""Cognito as the local stack and the tests run it: moto, made to answer as Cognito does
where the product relies on it (each patch says what moto does otherwise). `faithful()` is
applied by the local stack and by the in-process integration tests alike."""

from __future__ import annotations

import json
import uuid

from infra.local import bootstrap, cognito_passkeys
from shared import clock

# The demo advisors' authenticator secret (local stack and tests only: printed by `make run`).
DEMO_TOTP_SECRET = "EADEMOCONSEILLERTOTPSECRETJVWGMT"  # noqa: S105 - demo only


def faithful() -> None:
    _tokens_name_the_user()
    _faithful_auth_time()
    _revoke_token()
    _software_tokens()
    cognito_passkeys.apply()  # after the TOTP patch: a passkey sign-in may still ask its code
    _refresh_token_life()
    _sessions_answer_their_challenge()  # last: it sees every flow's answer


def enroll_totp(pool_id: str, username: str, secret: str) -> None:
    """An advisor who enrolled her authenticator app earlier (the demo's): Cognito then asks
    her for its code at every sign-in."""
    from moto.cognitoidp.models import cognitoidp_backends

    for regions in cognitoidp_backends.values():
        backend = regions.get(bootstrap.REGION) if hasattr(regions, "get") else None
        if backend and pool_id in backend.user_pools:
            user = backend.admin_get_user(pool_id, username)
            _enrolled(user, secret)
            return
    raise RuntimeError(f"user pool {pool_id} not found in moto")


def client_of_session(session: str) -> str | None:
    """The app client a sign-in's session belongs to (which pool's rules its calls follow)."""
    from moto.cognitoidp.models import cognitoidp_backends

    for regions in cognitoidp_backends.values():
        backend = regions.get(bootstrap.REGION) if hasattr(regions, "get") else None
        found = backend.sessions.get(session) if backend else None
        if found:
            _, pool = found
            return next(iter(pool.clients), None)
    return None


def _enrolled(user, secret: str) -> None:
    user.totp_secret = secret
    user.token_verified = True
    user.software_token_mfa_enabled = True
    user.preferred_mfa_setting = "SOFTWARE_TOKEN_MFA"


def _code_is_right(user, code: str | None) -> bool:
    """The authenticator's code for now, or for the step either side (a phone's clock)."""
    import pyotp

    secret = getattr(user, "totp_secret", None)
    if not secret or not isinstance(code, str) or not code.isdigit():
        return False
    return pyotp.TOTP(secret).verify(code, for_time=clock.epoch(), valid_window=1)


def _software_tokens() -> None:
    """Cognito's TOTP second factor, which moto fakes: one secret for every user of every pool,
    codes checked only when an environment variable says so, a pool that requires MFA giving
    tokens to a user who never enrolled, and MFA_SETUP answered without any verified code.
    Here each user gets a secret of her own, every code is checked, a pool set to ON answers
    a first sign-in with MFA_SETUP, and only a session that verified a code completes it."""
    from moto.cognitoidp.exceptions import (
        CodeMismatchException,
        NotAuthorizedError,
        ResourceNotFoundError,
    )
    from moto.cognitoidp.models import CognitoIdpBackend

    if getattr(CognitoIdpBackend, "_ea_software_tokens", False):
        return
    initiate_auth = CognitoIdpBackend.initiate_auth
    respond = CognitoIdpBackend.respond_to_auth_challenge

    def user_of(backend, access_token: str, session: str):
        if session:
            if session not in backend.sessions:
                raise NotAuthorizedError("Invalid session for the user.")
            username, pool = backend.sessions[session]
            return pool, backend.admin_get_user(pool.id, username)
        for pool in backend.user_pools.values():
            if access_token in pool.access_tokens:
                _, username = pool.access_tokens[access_token]
                return pool, backend.admin_get_user(pool.id, username)
        raise NotAuthorizedError("Invalid Access Token")

    def associate_software_token(self, access_token: str, session: str) -> dict[str, str]:
        import pyotp

        _, user = user_of(self, access_token, session)
        user.totp_pending = pyotp.random_base32()
        answer = {"SecretCode": user.totp_pending}
        return {**answer, "Session": session} if session else answer

    def verify_software_token(self, access_token: str, session: str, user_code: str,
                              friendly_device_name: str) -> dict[str, str]:
        import pyotp

        pool, user = user_of(self, access_token, session)
        pending = getattr(user, "totp_pending", None)
        if not pending or not pyotp.TOTP(pending).verify(user_code or "", for_time=clock.epoch(),
                                                         valid_window=1):
            raise CodeMismatchException("Invalid code received for user")
        _enrolled(user, pending)
        user.totp_pending = None
        verified = str(uuid.uuid4())
        self.sessions[verified] = (user.username, pool)
        self.__dict__.setdefault("_ea_verified_sessions", set()).add(verified)
        return {"Status": "SUCCESS", "Session": verified}

    def initiate_auth_checked(self, client_id: str, auth_flow: str,
                              auth_parameters: dict[str, str]) -> dict:
        answer = initiate_auth(self, client_id, auth_flow, auth_parameters)
        result = answer.get("AuthenticationResult") if answer else None
        if not result or "RefreshToken" not in result:
            return answer
        pool = next(p for p in self.user_pools.values() if client_id in p.clients)
        user = self.admin_get_user(pool.id, auth_parameters.get("USERNAME"))
        if pool.mfa_config != "ON" or user.token_verified:
            return answer
        # A pool that requires a second factor gives no token before one is enrolled.
        pool.refresh_tokens.pop(result["RefreshToken"], None)
        pool.access_tokens.pop(result["AccessToken"], None)
        pool.id_tokens.pop(result.get("IdToken"), None)
        session = str(uuid.uuid4())
        self.sessions[session] = (user.username, pool)
        return {"ChallengeName": "MFA_SETUP", "Session": session,
                "ChallengeParameters": {"MFAS_CAN_SETUP": '["SOFTWARE_TOKEN_MFA"]'}}

    def respond_checked(self, session: str, client_id: str, challenge_name: str,
                        challenge_responses: dict[str, str]) -> dict:
        if challenge_name == "MFA_SETUP":
            verified = self.__dict__.setdefault("_ea_verified_sessions", set())
            if session not in verified:
                raise NotAuthorizedError("Invalid session for the user.")
            verified.discard(session)
        elif challenge_name == "SOFTWARE_TOKEN_MFA":
            if session not in self.sessions:
                raise ResourceNotFoundError(session)
            username, pool = self.sessions[session]
            user = self.admin_get_user(pool.id, username)
            if not _code_is_right(user, challenge_responses.get("SOFTWARE_TOKEN_MFA_CODE")):
                raise CodeMismatchException("Invalid code received for user")
            challenge_responses = {**challenge_responses, "USERNAME": username}
        return respond(self, session, client_id, challenge_name, challenge_responses)

    CognitoIdpBackend.associate_software_token = associate_software_token
    CognitoIdpBackend.verify_software_token = verify_software_token
    CognitoIdpBackend.initiate_auth = initiate_auth_checked
    CognitoIdpBackend.respond_to_auth_challenge = respond_checked
    CognitoIdpBackend._ea_software_tokens = True


def own_signing_key(*pool_ids: str):
    """Give the pools a key of the stack's own: moto signs every pool's tokens with one
    development key published in its sources, with which anyone could mint a token for any
    member. (One key for the stack's pools: moto publishes one JWKS for all; a token still
    names its pool, which the authorizers check.)"""
    from joserfc import jwk
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.cognitoidp.responses import CognitoIdpJsonWebKeyResponse

    key = jwk.RSAKey.generate_key(2048, private=True)
    found = set()
    for regions in cognitoidp_backends.values():
        backend = regions.get(bootstrap.REGION) if hasattr(regions, "get") else None
        for pool_id in pool_ids:
            if backend and pool_id in backend.user_pools:
                backend.user_pools[pool_id].json_web_key = key
                found.add(pool_id)
    if found != set(pool_ids):
        raise RuntimeError(f"user pools {set(pool_ids) - found} not found in moto")
    public = {**key.as_dict(private=False), "kid": "dummy", "alg": "RS256", "use": "sig"}
    CognitoIdpJsonWebKeyResponse.json_web_key = json.dumps({"keys": [public]}).encode()
    return key


def _tokens_name_the_user() -> None:
    """Cognito ties a token to the user (in a pool that signs in by email, its `username` is the
    user's id), moto to the address typed at sign-in: after an email change moto would refuse
    her own tokens, and a sign-out of every device by her id would miss them. The local
    stack's tokens name the user as Cognito's do."""
    from moto.cognitoidp.models import CognitoIdpUserPool

    if getattr(CognitoIdpUserPool, "_ea_tokens_name_the_user", False):
        return
    for name in ("create_access_token", "create_id_token", "create_refresh_token"):
        original = getattr(CognitoIdpUserPool, name)

        def by_id(self, client_id, username, *args, _original=original, **kwargs):
            user = self._get_user(username)
            return _original(self, client_id, user.username if user else username, *args,
                             **kwargs)

        setattr(CognitoIdpUserPool, name, by_id)
    CognitoIdpUserPool._ea_tokens_name_the_user = True


def _faithful_auth_time() -> None:
    """Cognito's `auth_time` is the time of the sign-in, kept by every token its refresh token
    brings; moto writes the time of each token. The sign-in history keys a sign-in by its
    session (`origin_jti`) and `auth_time`: keep the first one for the session's tokens."""
    from moto.cognitoidp.models import CognitoIdpUserPool

    if getattr(CognitoIdpUserPool.create_jwt, "faithful", False):
        return
    original = CognitoIdpUserPool.create_jwt

    def create_jwt(self, client_id, username, token_use, expires_in=3600, extra_data=None):
        extra = dict(extra_data or {})
        session = extra.get("origin_jti")
        if session:
            times = self.__dict__.setdefault("_auth_times", {})
            extra.setdefault("auth_time", times.setdefault(session, clock.epoch()))
        return original(self, client_id, username, token_use, expires_in, extra)

    create_jwt.faithful = True
    CognitoIdpUserPool.create_jwt = create_jwt


def _revoke_token() -> None:
    """Cognito's RevokeToken (one device's refresh token), which moto does not implement: done
    on moto's own state, with Cognito's answers (the same for an unknown token)."""
    from moto.cognitoidp.exceptions import InvalidParameterException
    from moto.cognitoidp.responses import CognitoIdpResponse

    if hasattr(CognitoIdpResponse, "revoke_token"):
        return

    def revoke_token(self) -> str:
        token, client_id = self._get_param("Token"), self._get_param("ClientId")
        if not isinstance(token, str) or not isinstance(client_id, str):
            raise InvalidParameterException("Invalid token or client.")
        for pool in self.backend.user_pools.values():
            owner = pool.refresh_tokens.get(token)
            if owner and owner[0] == client_id:
                pool.refresh_tokens[token] = None
        return json.dumps({})

    CognitoIdpResponse.revoke_token = revoke_token


# What each flow needs in the app client's ExplicitAuthFlows (Cognito refuses the others).
_FLOWS = {"USER_SRP_AUTH": "ALLOW_USER_SRP_AUTH", "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
          "USER_AUTH": "ALLOW_USER_AUTH", "CUSTOM_AUTH": "ALLOW_CUSTOM_AUTH",
          "REFRESH_TOKEN_AUTH": "ALLOW_REFRESH_TOKEN_AUTH",
          "REFRESH_TOKEN": "ALLOW_REFRESH_TOKEN_AUTH"}


def _sessions_answer_their_challenge() -> None:
    """Cognito binds a sign-in's session to the challenge it asked, and runs only the flows
    the app client allows; moto takes any session for any challenge (a session that asked an
    advisor's TOTP code answered NEW_PASSWORD_REQUIRED gave tokens without it, or enrolled a
    new authenticator) and any flow (its SRP checks no password). Here a session answers the
    challenge it was issued for (again after a wrong code, as Cognito lets her retry), the
    authenticator is enrolled only in an MFA_SETUP session, and a flow the client does not
    allow is refused."""
    from moto.cognitoidp.exceptions import InvalidParameterException, NotAuthorizedError
    from moto.cognitoidp.models import CognitoIdpBackend

    if getattr(CognitoIdpBackend, "_ea_bound_sessions", False):
        return
    initiate_auth = CognitoIdpBackend.initiate_auth
    respond = CognitoIdpBackend.respond_to_auth_challenge
    associate = CognitoIdpBackend.associate_software_token
    verify = CognitoIdpBackend.verify_software_token
    own = ("WEB_AUTHN", "SELECT_CHALLENGE")  # sessions cognito_passkeys keeps and checks

    def issued(backend) -> dict[str, str]:
        return backend.__dict__.setdefault("_ea_issued", {})

    def noted(backend, answer: dict) -> dict:
        if answer and answer.get("Session") and answer.get("ChallengeName") not in (None, *own):
            issued(backend)[answer["Session"]] = answer["ChallengeName"]
        return answer

    def initiate_checked(self, client_id: str, auth_flow: str,
                         auth_parameters: dict[str, str]) -> dict:
        pool = next((p for p in self.user_pools.values() if client_id in p.clients), None)
        flows = pool.clients[client_id].extended_config.get("ExplicitAuthFlows") if pool else []
        if flows and _FLOWS.get(auth_flow) not in flows:
            raise InvalidParameterException(f"{auth_flow} flow not enabled for this client")
        return noted(self, initiate_auth(self, client_id, auth_flow, auth_parameters))

    def respond_checked(self, session: str, client_id: str, challenge_name: str,
                        challenge_responses: dict[str, str]) -> dict:
        if challenge_name not in own and issued(self).get(session) != challenge_name:
            raise NotAuthorizedError("Invalid session for the user.")
        answer = respond(self, session, client_id, challenge_name, challenge_responses)
        issued(self).pop(session, None)
        return noted(self, answer)

    def associate_checked(self, access_token: str, session: str) -> dict[str, str]:
        if session and issued(self).get(session) != "MFA_SETUP":
            raise NotAuthorizedError("Invalid session for the user.")
        return associate(self, access_token, session)

    def verify_checked(self, access_token: str, session: str, user_code: str,
                       friendly_device_name: str) -> dict[str, str]:
        if session and issued(self).get(session) != "MFA_SETUP":
            raise NotAuthorizedError("Invalid session for the user.")
        answer = verify(self, access_token, session, user_code, friendly_device_name)
        if session:
            issued(self).pop(session, None)
            issued(self)[answer["Session"]] = "MFA_SETUP"
        return answer

    CognitoIdpBackend.initiate_auth = initiate_checked
    CognitoIdpBackend.respond_to_auth_challenge = respond_checked
    CognitoIdpBackend.associate_software_token = associate_checked
    CognitoIdpBackend.verify_software_token = verify_checked
    CognitoIdpBackend._ea_bound_sessions = True


_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


def _refresh_token_life() -> None:
    """Cognito refuses a refresh token older than its app client's RefreshTokenValidity (« Refresh
    Token has expired »); moto's never expire. The advisors' sessions end after a working day
    (10 hours) because of it, the members' after 12 hours: enforced here as on AWS."""
    from moto.cognitoidp.exceptions import NotAuthorizedError
    from moto.cognitoidp.models import CognitoIdpUserPool

    if getattr(CognitoIdpUserPool, "_ea_refresh_token_life", False):
        return
    create = CognitoIdpUserPool.create_refresh_token
    use = CognitoIdpUserPool.create_tokens_from_refresh_token

    def create_refresh_token(self, client_id: str, username: str):
        token, origin_jti = create(self, client_id, username)
        self.__dict__.setdefault("_ea_refresh_born", {})[token] = clock.epoch()
        return token, origin_jti

    def create_tokens_from_refresh_token(self, refresh_token: str):
        owner = self.refresh_tokens.get(refresh_token)
        born = self.__dict__.get("_ea_refresh_born", {}).get(refresh_token)
        client = self.clients.get(owner[0]) if owner else None
        if client is not None and born is not None:
            config = client.extended_config
            unit = (config.get("TokenValidityUnits") or {}).get("RefreshToken", "days")
            life = int(config.get("RefreshTokenValidity") or 30) * _UNIT_SECONDS.get(unit, 86400)
            if clock.epoch() - born >= life:
                raise NotAuthorizedError("Refresh Token has expired")
        return use(self, refresh_token)

    CognitoIdpUserPool.create_refresh_token = create_refresh_token
    CognitoIdpUserPool.create_tokens_from_refresh_token = create_tokens_from_refresh_token
    CognitoIdpUserPool._ea_refresh_token_life = True

"""Cognito as the local stack and the tests run it: moto, made to answer as Cognito does
where the product relies on it (each patch says what moto does otherwise). `faithful()` is
applied by the local stack and by the in-process integration tests alike."""

from __future__ import annotations

import json

from infra.local import bootstrap
from shared import clock


def faithful() -> None:
    _tokens_name_the_user()
    _faithful_auth_time()
    _revoke_token()


def own_signing_key(pool_id: str):
    """Give the pool a key of its own: moto signs every pool's tokens with one development key
    published in its sources, with which anyone could mint a token for any member."""
    from joserfc import jwk
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.cognitoidp.responses import CognitoIdpJsonWebKeyResponse

    key = jwk.RSAKey.generate_key(2048, private=True)
    found = False
    for regions in cognitoidp_backends.values():
        backend = regions.get(bootstrap.REGION) if hasattr(regions, "get") else None
        if backend and pool_id in backend.user_pools:
            backend.user_pools[pool_id].json_web_key = key
            found = True
    if not found:
        raise RuntimeError(f"user pool {pool_id} not found in moto")
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

"""The checks API Gateway's JWT authorizer makes, for the local stack.

Signature against the pool's JWKS, issuer, expiry, audience (client_id for access tokens) and
the required scope (which ID tokens do not carry, so they are refused as on AWS).
"""

from __future__ import annotations

from typing import Any

import jwt

from infra.local import template


class AuthorizerError(Exception):
    pass


def required_scopes() -> list[str]:
    props = template.resources("AWS::Serverless::HttpApi")["HttpApi"]
    auth = props["Auth"]["Authorizers"][props["Auth"]["DefaultAuthorizer"]]
    return list(auth.get("AuthorizationScopes", []))


class JwtAuthorizer:
    def __init__(self, *, issuer: str, jwks_url: str, audience: list[str]) -> None:
        self.issuer = issuer
        self.audience = audience
        self.scopes = required_scopes()
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True)

    def verify(self, authorization: str | None) -> dict[str, Any]:
        if not authorization:
            raise AuthorizerError("missing token")
        token = authorization.removeprefix("Bearer ").strip()
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            claims = jwt.decode(token, key.key, algorithms=["RS256"], issuer=self.issuer,
                                options={"require": ["exp", "iat", "iss", "sub"],
                                         "verify_aud": False})
        except jwt.PyJWTError as exc:
            raise AuthorizerError(str(exc)) from exc
        audience = claims.get("aud") or claims.get("client_id")
        if audience not in self.audience:
            raise AuthorizerError("wrong audience")
        granted = set(str(claims.get("scope", "")).split())
        if self.scopes and not granted.intersection(self.scopes):
            raise AuthorizerError("missing scope")
        return claims

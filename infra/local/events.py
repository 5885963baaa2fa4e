"""API Gateway HTTP API (payload v2) events, as the gateway builds them for the "api" stage."""

from __future__ import annotations

import time
import urllib.parse
import uuid
from typing import Any

from infra.local.template import Route
from shared import clock


def http_api_event(route: Route, *, path: str, query: str = "",
                   headers: dict[str, str] | None = None, body: bytes | str | None = None,
                   claims: dict[str, Any] | None = None, params: dict[str, str] | None = None,
                   domain: str = "127.0.0.1", source_ip: str = "127.0.0.1",
                   iam: dict[str, Any] | None = None) -> dict[str, Any]:
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    qs: dict[str, str] = {}
    for key, value in urllib.parse.parse_qsl(query, keep_blank_values=True):
        qs[key] = f"{qs[key]},{value}" if key in qs else value
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    now = clock.epoch()
    # The gateway hands claims over as strings, lists flattened to "[a b]".
    jwt_claims = {k: (f"[{' '.join(v)}]" if isinstance(v, list) else str(v))
                  for k, v in (claims or {}).items()}
    return {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": f"/api{path}",
        "rawQueryString": query,
        "headers": headers,
        "queryStringParameters": qs or None,
        "pathParameters": params or None,
        "requestContext": {
            "accountId": "000000000000", "apiId": "local", "domainName": domain,
            "domainPrefix": "local",
            **({"authorizer": {"jwt": {"claims": jwt_claims, "scopes": None}}}
               if claims is not None else {}),
            # A route with `Authorizer: AWS_IAM`: the SigV4 signer, as the gateway names it.
            **({"authorizer": {"iam": iam}} if iam is not None else {}),
            "http": {"method": route.method, "path": f"/api{path}", "protocol": "HTTP/1.1",
                     "sourceIp": source_ip, "userAgent": headers.get("user-agent", "")},
            "requestId": str(uuid.uuid4()), "routeKey": route.route_key, "stage": "api",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "body": body or None,
        "isBase64Encoded": False,
    }


def iam_identity(access_key: str, account: str = "000000000000") -> dict[str, Any]:
    """The gateway's `authorizer.iam` of a caller whose SigV4 signature it verified."""
    return {"accessKey": access_key, "accountId": account, "callerId": access_key,
            "principalOrgId": None, "userArn": f"arn:aws:iam::{account}:user/gestion",
            "userId": access_key, "cognitoIdentity": None}


def match_route(routes: list[Route], method: str, path: str) -> tuple[Route | None,
                                                                       dict[str, str]]:
    for route in routes:
        if route.method != method:
            continue
        match = route.pattern.match(path)
        if match:
            return route, {k: urllib.parse.unquote(v) for k, v in match.groupdict().items()}
    return None, {}

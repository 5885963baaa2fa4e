"""Schemathesis hooks (SCHEMATHESIS_HOOKS=tests.schemathesis_sigv4): the management system's
routes are called signed, as it calls them, each request signed after Schemathesis built it
(the very bytes sent), with the local stack's credentials (GESTION_* variables)."""

from __future__ import annotations

import os

import schemathesis

from infra.local.sigv4 import sign


class SigV4:
    def __call__(self, request):
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        headers = {k: request.headers[k] for k in ("Content-Type",) if k in request.headers}
        signed = sign(request.method, request.url, body,
                      access_key=os.environ["GESTION_ACCESS_KEY_ID"],
                      secret=os.environ["GESTION_SECRET_ACCESS_KEY"],
                      region=os.environ["GESTION_REGION"], headers=headers)
        for name in ("Authorization", "X-Amz-Date"):
            request.headers[name] = signed[name]
        return request


@schemathesis.hook
def before_call(context, case, kwargs):
    from schemathesis.transport.prepare import get_exclude_headers

    # A case that tests the call without its Authorization header goes unsigned.
    if case.operation.path.startswith("/system/") and \
            "Authorization" not in get_exclude_headers(case):
        kwargs["auth"] = SigV4()

"""A function's app with the domain's checks: every handler builds its app here.

The kernel's entry point asks how a caller is checked and what an invocation starts afresh;
the answers are the domain's (a closed session is refused, the member file read for an earlier
request is forgotten), given here once so that no handler can leave them out.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from domain.membership import forget
from domain.sessions import ensure_open
from shared import http
from shared.http import make_app

__all__ = ["entry_point", "make_app"]


def entry_point(app: APIGatewayHttpResolver):
    return http.entry_point(app, check_caller=ensure_open, on_invocation=forget)

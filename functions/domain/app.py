"""A function's app with the domain's checks: every handler builds its app here.

The kernel's entry point asks how a caller is checked and what an invocation starts afresh;
the answers are the domain's (a closed session is refused, an advisor's sign-in is recorded,
the member file read for an earlier request is forgotten, a member whose cover ended reaches
only what she keeps: see domain.access), given here once so that no handler can leave them
out; and someone acting for a member (header `X-Act-For: <procuration id>`) becomes that
member, within the procuration's scope (domain.procurations), her own session checked and the
member's cover.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from domain import access, procurations, sessions
from shared import http
from shared.http import make_app
from shared.identity import Caller

__all__ = ["entry_point", "make_app"]


def entry_point(app: APIGatewayHttpResolver):
    def check_caller(caller: Caller, headers: dict[str, str], route_key: str) -> Caller | None:
        sessions.ensure_open(caller)
        if caller.role == "advisor":  # an advisor's sign-in, once per session
            sessions.record_advisor_sign_in(
                caller, user_agent=(headers.get("user-agent") or "")[:512],
                viewer_country=headers.get("cloudfront-viewer-country"))
        acting_for = (headers.get(procurations.HEADER) or "").strip()
        if acting_for:
            caller = procurations.resolve(caller, acting_for, route_key)
        if caller.member_id:  # a member whose cover ended keeps her documents only
            access.check(caller.member_id, route_key)
        return caller

    def on_invocation() -> None:
        sessions.forget()
        procurations.forget()

    return http.entry_point(app, check_caller=check_caller, on_invocation=on_invocation)

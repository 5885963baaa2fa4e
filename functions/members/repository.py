"""The members function's calls to Cognito (the member's file is read through
shared.membership)."""

from __future__ import annotations

from shared.repository import aws_call, cognito


def sign_out_everywhere(access_token: str) -> None:
    """Revoke every refresh token of the user (Cognito GlobalSignOut, with her own token)."""
    with aws_call():
        cognito().global_sign_out(AccessToken=access_token)

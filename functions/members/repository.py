"""The members function's calls to Cognito (the member's file is read through
shared.membership)."""

from __future__ import annotations

from botocore.exceptions import ClientError

from shared.repository import aws_call, cognito


def sign_out_everywhere(access_token: str) -> None:
    """Revoke every refresh token of the user (Cognito GlobalSignOut, with her own token).
    A token Cognito already signed out (a retry after a failure that followed the sign-out)
    means it is done."""
    with aws_call():
        try:
            cognito().global_sign_out(AccessToken=access_token)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "NotAuthorizedException":
                raise

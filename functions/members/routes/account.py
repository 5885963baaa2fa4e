"""Public routes of the account's life (no sign-in, held to a low rate at the gateway):
creating her account, choosing a new password when she forgot hers."""

from aws_lambda_powertools.event_handler import Response, content_types

from members.logic import account
from members.models import (
    AccountCreatedOut,
    CodeSentOut,
    PasswordResetOut,
    ResetConfirmIn,
    ResetIn,
    SignupConfirmIn,
    SignupIn,
)
from members.routes.profile import TOO_MANY
from shared.http import IdempotencyKey, Router, created, created_as
from shared.idempotency import run_once

router = Router()
PUBLIC = "PUBLIC"  # the idempotency keys' scope when nobody is signed in
SENT = {202: {"description": "La même réponse, qu'un code soit parti ou non",
              "content": {"application/json": {"model": CodeSentOut}}}, **TOO_MANY}


def _accepted(answer: CodeSentOut) -> Response:
    return Response(status_code=202, content_type=content_types.APPLICATION_JSON,
                    body=answer.model_dump(mode="json"))


@router.post("/public/accounts", security=[], responses=SENT)
def start_signup(body: SignupIn, key: IdempotencyKey):
    return _accepted(run_once(operation="signup", member_id=PUBLIC, key=key,
                              payload=body.model_dump(mode="json"), output=CodeSentOut,
                              action=lambda: account.start_signup(body),
                              lambda_context=router.context.get("lambda_context")))


@router.post("/public/accounts/confirm", security=[],
             responses=created_as(AccountCreatedOut, "Compte créé"))
def confirm_signup(body: SignupConfirmIn):
    return created(account.confirm_signup(body))


@router.post("/public/password-resets", security=[], responses=SENT)
def start_reset(body: ResetIn, key: IdempotencyKey):
    return _accepted(run_once(operation="password_reset", member_id=PUBLIC, key=key,
                              payload=body.model_dump(mode="json"), output=CodeSentOut,
                              action=lambda: account.start_reset(body),
                              lambda_context=router.context.get("lambda_context")))


@router.post("/public/password-resets/confirm", security=[])
def confirm_reset(body: ResetConfirmIn) -> PasswordResetOut:
    return account.confirm_reset(body)
